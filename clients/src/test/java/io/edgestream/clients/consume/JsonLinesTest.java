package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.EdgeStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a resumed consumer group reads back: a line cut short by a kill is dropped, and a
 * {@code stats.jsonl} line turns back into the very {@code EdgeStats} it was written from.
 */
class JsonLinesTest {

    @Test
    void aLineCutShortByAKillIsDroppedWhenTheFileIsOpenedAgain(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("stats.jsonl");
        Files.writeString(f, "{\"a\":1}\n{\"b\":2}\n{\"c\":", StandardCharsets.UTF_8);
        assertThat(JsonLines.read(f)).containsExactly("{\"a\":1}", "{\"b\":2}");
        try (JsonLines lines = new JsonLines(f)) {
            lines.append("{\"d\":4}");
            lines.sync();
        }
        assertThat(Files.readString(f)).isEqualTo("{\"a\":1}\n{\"b\":2}\n{\"d\":4}\n");

        Path broken = dir.resolve("only-partial.jsonl");
        Files.writeString(broken, "{\"x\":", StandardCharsets.UTF_8);
        new JsonLines(broken).close();
        assertThat(Files.size(broken)).isZero();
        assertThat(JsonLines.read(dir.resolve("missing.jsonl"))).isEmpty();
    }

    @Test
    void aStatsLineReadsBackAsTheRecordItCameFromNaNAndNullsIncluded() {
        ImageF32 map = MapRecords.map(5, 4, 1);
        EdgeStats s = MapRecords.stats("cam/1 \"x\"\n", "sobel", map, 2);
        s.setBatchId(null);
        s.setOrientationHistogram(List.of(1L, 2L, 3L));
        s.setStddev(Double.NaN);
        EdgeStats back =
                JsonRecords.read(StatsJson.line(s), EdgeStats.getClassSchema(), EdgeStats.class);
        assertSameFields(back, s);

        s.setBatchId("b-7");
        s.setOrientationHistogram(null);
        assertSameFields(
                JsonRecords.read(StatsJson.line(s), EdgeStats.getClassSchema(), EdgeStats.class),
                s);
    }

    /** Field by field with {@code equals} (Avro's record comparison does not take NaN = NaN). */
    private static void assertSameFields(EdgeStats back, EdgeStats s) {
        for (Schema.Field f : EdgeStats.getClassSchema().getFields()) {
            assertThat(back.get(f.pos())).as(f.name()).isEqualTo(s.get(f.pos()));
        }
        assertThat(StatsJson.line(back)).isEqualTo(StatsJson.line(s));
    }
}
