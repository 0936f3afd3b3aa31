package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.clients.cli.Progress;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the consumer does with decoded records, without Kafka: files, counts, completeness. */
class EdgeCollectorTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private EdgeCollector collector(ConsumeEdges.Options o, OutputDir dir) {
        return new EdgeCollector(
                o,
                dir,
                new ConsumeReport(out, true),
                new Progress(out, Progress.Mode.NONE, "images", -1));
    }

    @Test
    void writesEachCompletedMapAndCountsAnImageCompleteWithItsExpectedFilters(@TempDir Path root)
            throws Exception {
        ConsumeEdges.Options o = new ConsumeEdges.Options().out(root).expectFilters(2);
        ImageF32 sobel = MapRecords.map(9, 6, 1);
        ImageF32 lap = MapRecords.map(9, 6, 1);
        lap.data[0] = 12.5f;
        List<FeatureMapTile> sobelTiles =
                MapRecords.tiles("cam/1", "sobel", sobel, 5, 5, MapDataType.FLOAT32_LE);
        List<FeatureMapTile> lapTiles =
                MapRecords.tiles("cam/1", "laplacian", lap, 9, 3, MapDataType.FLOAT16_LE);
        try (OutputDir dir = OutputDir.open(root)) {
            EdgeCollector c = collector(o, dir);
            c.stats(MapRecords.stats("cam/1", "sobel", sobel, 4), "edge-stats-0@0");
            for (FeatureMapTile t : sobelTiles) {
                c.tile(t, "edge-maps-0@" + t.getTileIndex(), 100);
            }
            assertThat(c.completeImages()).as("one of two filters").isZero();
            c.tile(sobelTiles.get(2), "edge-maps-1@0", 100);
            for (FeatureMapTile t : lapTiles) {
                c.tile(t, "edge-maps-1@" + t.getTileIndex(), 100);
            }
            c.stats(MapRecords.stats("cam/1", "laplacian", lap, 2), "edge-stats-0@1");
            assertThat(c.completeImages()).isEqualTo(1);
            c.unreadable("edge-maps-0@9", "not Avro");
            c.writeGallery(0);

            ConsumeEdges.Summary s = c.summary(true, 1.5);
            assertThat(s.completeImages()).isEqualTo(1);
            assertThat(s.tiles()).isEqualTo(4 + 1 + 2);
            assertThat(s.stats()).isEqualTo(2);
            assertThat(s.unreadable()).containsExactly("edge-maps-0@9: not Avro");
            assertThat(s.incompleteMaps()).isEmpty();
            assertThat(s.exitCode()).isEqualTo(2);
            assertThat(c.duplicates()).isEqualTo(1);
            ConsumeEdges.ImageResult image = s.images().get(0);
            assertThat(image.imageId()).isEqualTo("cam/1");
            assertThat(image.dir()).isEqualTo(root.resolve(OutputDir.dirName("cam/1")));
            assertThat(image.maps())
                    .extracting(ConsumeEdges.MapResult::filter)
                    .containsExactly("sobel", "laplacian");
            assertThat(NpyReader.read(image.maps().get(0).npy()).toArray())
                    .containsExactly(sobel.toArray());
            assertThat(NpyReader.read(image.maps().get(1).npy()).toArray())
                    .containsExactly(lap.toArray());
        }
        assertThat(Files.readAllLines(root.resolve("stats.jsonl"))).hasSize(2);
        assertThat(Files.readString(root.resolve("index.html")))
                .contains("sobel.png")
                .contains("laplacian.png");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("wrote " + root.resolve(OutputDir.dirName("cam/1")).resolve("sobel.npy"))
                .contains("consume-edges: skipped edge-maps-0@9: not Avro");
    }

    @Test
    void withoutExpectedFiltersAnImageIsCompleteWhenNoneOfItsMapsIsWaiting(@TempDir Path root)
            throws Exception {
        ConsumeEdges.Options o = new ConsumeEdges.Options().out(root);
        ImageF32 map = MapRecords.map(4, 4, 1);
        List<FeatureMapTile> a = MapRecords.tiles("img", "a", map, 2, 4, MapDataType.FLOAT32_LE);
        List<FeatureMapTile> b = MapRecords.tiles("img", "b", map, 4, 2, MapDataType.FLOAT32_LE);
        try (OutputDir dir = OutputDir.open(root)) {
            EdgeCollector c = collector(o, dir);
            c.tile(b.get(0), "m@0", 1);
            c.stats(MapRecords.stats("img", "a", map, 2), "s@0");
            c.tile(a.get(0), "m@1", 1);
            c.tile(a.get(1), "m@2", 1);
            assertThat(c.completeImages()).as("b is still waiting").isZero();
            c.tile(b.get(1), "m@3", 1);
            c.stats(MapRecords.stats("img", "b", map, 2), "s@1");
            assertThat(c.completeImages()).isEqualTo(1);
            assertThat(c.summary(true, 0).mapCount()).isEqualTo(2);
        }
    }

    @Test
    void aResumedRunTakesOverTheMapsOfStatsJsonlAndHoldsOnlyMapsNotWritten(@TempDir Path root)
            throws Exception {
        ConsumeEdges.Options o = new ConsumeEdges.Options().out(root).expectFilters(2).group("g");
        ImageF32 map = MapRecords.map(4, 4, 1);
        List<FeatureMapTile> a = MapRecords.tiles("img", "a", map, 2, 4, MapDataType.FLOAT32_LE);
        List<FeatureMapTile> b = MapRecords.tiles("img", "b", map, 4, 2, MapDataType.FLOAT32_LE);
        try (OutputDir dir = OutputDir.open(root, true)) {
            EdgeCollector c = collector(o, dir);
            assertThat(c.tile(a.get(0), "m@0", 1)).isEqualTo(EdgeCollector.mapKey("img", "a"));
            assertThat(c.stats(MapRecords.stats("img", "a", map, 2), "s@0"))
                    .isEqualTo(EdgeCollector.mapKey("img", "a"));
            assertThat(c.tile(a.get(1), "m@1", 1)).as("completes a: nothing to hold").isNull();
            assertThat(c.drainWritten()).containsExactly(EdgeCollector.mapKey("img", "a"));
            assertThat(c.tile(a.get(1), "m@1", 1)).as("a duplicate").isNull();
            assertThat(c.tile(b.get(0), "m@2", 1)).isEqualTo(EdgeCollector.mapKey("img", "b"));
            c.deadLetter(deadLetter(), "images-dlq-0@0");
            // Killed here: b is not written; a temporary file is left behind.
        }
        Files.writeString(root.resolve(OutputDir.dirName("img")).resolve(".tmp-123.npy"), "x");

        try (OutputDir dir = OutputDir.open(root, true)) {
            EdgeCollector c = collector(o, dir);
            c.resume(dir.earlier());
            assertThat(c.resumedMaps()).isEqualTo(1);
            // Read again before its offset was committed: not appended twice.
            c.deadLetter(deadLetter(), "images-dlq-0@0");
            assertThat(c.completeImages()).as("one of two filters").isZero();
            // The run starts again at the first held record: a's records are duplicates now.
            assertThat(c.tile(a.get(0), "m@0", 1)).isNull();
            assertThat(c.stats(MapRecords.stats("img", "a", map, 2), "s@0")).isNull();
            c.tile(b.get(0), "m@2", 1);
            c.tile(b.get(1), "m@3", 1);
            assertThat(c.stats(MapRecords.stats("img", "b", map, 2), "s@1")).isNull();
            assertThat(c.completeImages()).isEqualTo(1);
            assertThat(c.duplicates()).isEqualTo(2);
            c.writeGallery(0);
        }
        assertThat(Files.readAllLines(root.resolve("stats.jsonl")))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("\"filter\":\"a\""))
                .anySatisfy(l -> assertThat(l).contains("\"filter\":\"b\""));
        assertThat(root.resolve(OutputDir.dirName("img")).resolve(".tmp-123.npy")).doesNotExist();
        assertThat(Files.readAllLines(root.resolve("dead-letters.jsonl"))).hasSize(1);
        String html = Files.readString(root.resolve("index.html"));
        assertThat(html).contains("a.png").contains("b.png").contains("UNDECODABLE_IMAGE");
    }

    private static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("images")
                .setSourcePartition(1)
                .setSourceOffset(42)
                .setKey(null)
                .setImageId("cam/9")
                .setReason(DeadLetterReason.UNDECODABLE_IMAGE)
                .setMessage("bad header")
                .setFailedAtMs(9)
                .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .build();
    }
}
