package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputProfileTest {

    @Test
    void shouldCountEqualRecordsTogetherMapsFirstLargestFirst() {
        List<OutputProfile.Written> w = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            w.add(new OutputProfile.Written(OutputProfile.MAPS, 14, 262_154));
        }
        w.add(new OutputProfile.Written(OutputProfile.STATS, 14, 1_093));
        w.add(new OutputProfile.Written(OutputProfile.MAPS, 14, 190_000));
        w.add(new OutputProfile.Written(OutputProfile.STATS, 14, 1_093));
        OutputProfile p = OutputProfile.of(w, Map.of("sobel", "FLOAT32_LE"));

        assertThat(p.spec()).isEqualTo("maps:14:262154*12,maps:14:190000*1,stats:14:1093*2");
        assertThat(p.records()).isEqualTo(15);
        assertThat(p.records(OutputProfile.MAPS)).isEqualTo(13);
        assertThat(p.records(OutputProfile.STATS)).isEqualTo(2);
        assertThat(p.valueBytes()).isEqualTo(12L * 262_154 + 190_000 + 2 * 1_093);
        assertThat(p.bytes()).isEqualTo(p.valueBytes() + 15 * 14);
        assertThat(p.expand()).hasSize(15);
        assertThat(p.mapTypes()).containsEntry("sobel", "FLOAT32_LE");
    }

    @Test
    void shouldCountTilesThatDifferOnlyInTheirVarintsTogetherKeepingTheBytes() {
        List<OutputProfile.Written> w =
                List.of(
                        new OutputProfile.Written(OutputProfile.MAPS, 12, 262_210),
                        new OutputProfile.Written(OutputProfile.MAPS, 12, 262_208),
                        new OutputProfile.Written(OutputProfile.MAPS, 12, 262_203),
                        new OutputProfile.Written(OutputProfile.MAPS, 12, 194_626),
                        new OutputProfile.Written(OutputProfile.MAPS, 12, 194_620),
                        new OutputProfile.Written(OutputProfile.STATS, 12, 389),
                        new OutputProfile.Written(OutputProfile.STATS, 12, 322));
        OutputProfile p = OutputProfile.of(w, Map.of());
        assertThat(p.spec())
                .isEqualTo("maps:12:262207*3,maps:12:194623*2,stats:12:389*1,stats:12:322*1");
        long exact = w.stream().mapToLong(OutputProfile.Written::valueBytes).sum();
        assertThat(p.valueBytes()).isBetween(exact - 4, exact + 4);
    }

    @Test
    void shouldParseItsOwnSpec() {
        OutputProfile p = OutputProfile.parse("maps:14:262154*12,maps:14:190000*1,stats:14:1093*2");
        assertThat(OutputProfile.parse(p.spec()).entries()).isEqualTo(p.entries());
        assertThat(p.entries().get(1)).isEqualTo(new OutputProfile.Entry("maps", 14, 190_000, 1));
    }

    @Test
    void shouldRefuseASpecItCannotRead() {
        assertThatThrownBy(() -> OutputProfile.parse("maps:14:100"))
                .hasMessageContaining("role:keyBytes:valueBytes*count");
        assertThatThrownBy(() -> OutputProfile.parse("tiles:14:100*2"))
                .hasMessageContaining("role must be maps or stats");
        assertThatThrownBy(() -> OutputProfile.parse("maps:x:100*2"))
                .hasMessageContaining("not a whole number");
    }
}
