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

    /**
     * Three FLOAT32 filters of 1280x960 RGB, 256x256 tiles: 15 full tiles and 5 edge tiles each.
     */
    private static final String FLOAT32_TILES =
            "maps:12:261806*45,maps:12:194327*15,stats:12:390*1,stats:12:389*2";

    @Test
    void perMapShouldWriteEachFiltersTilesAsOneRecordKeepingTheBytesAndTheStatistics() {
        OutputProfile tiles =
                new OutputProfile(
                        OutputProfile.parse(FLOAT32_TILES).entries(),
                        Map.of(
                                "vertical", "FLOAT32_LE",
                                "horizontal", "FLOAT32_LE",
                                "sobel", "FLOAT32_LE"));

        OutputProfile maps = tiles.perMap();

        // 45 * 261806 + 15 * 194327 = 14696175 bytes of maps = 3 maps of 4898725 bytes.
        assertThat(maps.spec()).isEqualTo("maps:12:4898725*3,stats:12:390*1,stats:12:389*2");
        assertThat(maps.records(OutputProfile.MAPS)).isEqualTo(3);
        assertThat(maps.records(OutputProfile.STATS)).isEqualTo(3);
        assertThat(maps.valueBytes()).isEqualTo(tiles.valueBytes());
        assertThat(maps.bytes()).isEqualTo(tiles.bytes() - 57 * 12);
        assertThat(maps.mapTypes()).isEqualTo(tiles.mapTypes());
        assertThat(OutputProfile.parse(maps.spec()).entries()).isEqualTo(maps.entries());
    }

    @Test
    void perMapShouldGiveEachFilterTheShareOfItsSampleType() {
        // INT16 maps of vertical and horizontal (half the bytes of a FLOAT32 tile), a FLOAT32
        // sobel.
        OutputProfile tiles =
                new OutputProfile(
                        OutputProfile.parse(
                                        "maps:12:261806*15,maps:12:194327*5,maps:12:130990*30,"
                                                + "maps:12:97250*10,stats:12:390*3")
                                .entries(),
                        Map.of(
                                "vertical", "INT16_LE",
                                "horizontal", "INT16_LE",
                                "sobel", "FLOAT32_LE"));

        OutputProfile maps = tiles.perMap();

        // 9800925 bytes of maps: 2/8 of them per INT16 map, 4/8 for the FLOAT32 one (rounded).
        assertThat(maps.spec()).isEqualTo("maps:12:4900463*1,maps:12:2450231*2,stats:12:390*3");
        assertThat(maps.valueBytes()).isBetween(tiles.valueBytes() - 2, tiles.valueBytes() + 2);
    }

    @Test
    void perMapShouldWriteNoMapForAFilterWithoutMapsAndSplitEquallyWithoutMapTypes() {
        OutputProfile noVertical =
                new OutputProfile(
                        OutputProfile.parse("maps:12:261806*30,maps:12:194327*10,stats:12:390*3")
                                .entries(),
                        Map.of(
                                "vertical",
                                "NONE",
                                "horizontal",
                                "FLOAT32_LE",
                                "sobel",
                                "FLOAT32_LE"));
        assertThat(noVertical.perMap().spec()).isEqualTo("maps:12:4898725*2,stats:12:390*3");

        OutputProfile statsOnly =
                new OutputProfile(
                        OutputProfile.parse("stats:12:390*3").entries(),
                        Map.of("vertical", "NONE", "horizontal", "NONE", "sobel", "NONE"));
        assertThat(statsOnly.perMap().spec()).isEqualTo("stats:12:390*3");

        // A parsed spec has no map types: 100 bytes over 3 filters, 33 each (rounded).
        OutputProfile untyped = OutputProfile.parse("maps:14:60*1,maps:14:40*1,stats:14:50*3");
        assertThat(untyped.perMap().spec()).isEqualTo("maps:14:33*3,stats:14:50*3");
        assertThat(untyped.perMap().valueBytes()).isEqualTo(untyped.valueBytes() - 1);
    }

    @Test
    void aMapRecordLargerThanTheTopicsTakeIsRefusedWithItsSize() {
        // 1280x960 FLOAT32: 4.9 MB per map; 4000x4000 FLOAT32: 64 MB, twice the 32 MiB limit.
        assertThat(ThroughputBench.tooLargeForTopic(OutputProfile.parse(FLOAT32_TILES).perMap()))
                .isNull();
        assertThat(
                        ThroughputBench.tooLargeForTopic(
                                OutputProfile.parse("maps:12:63952036*3,stats:12:390*3")))
                .contains("its largest record (63952048 bytes) is more than the topics take");
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
