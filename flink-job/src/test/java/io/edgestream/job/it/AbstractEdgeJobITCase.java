package io.edgestream.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.job.records.MapTileSerializationSchema;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.Reference;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job end to end on a MiniCluster (2 TaskManagers x 2 slots) against a real Kafka broker, which
 * each subclass provides. Steps: produce generated images, run the job (bounded), consume every
 * output with read_committed, and compare with the imaging core's whole-image results.
 */
abstract class AbstractEdgeJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    /** Three filters in two size groups, one of them a gradient magnitude. */
    static final String FILTERS =
            "vertical|sobel|box5=1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1";

    static final byte[] KEY = "camera-1".getBytes(StandardCharsets.UTF_8);

    /** Bootstrap servers of the broker under test. */
    abstract String bootstrapServers();

    private Properties client() {
        return PipelineHarness.client(bootstrapServers());
    }

    @Test
    @Timeout(180)
    void shouldProduceMapsAndStatsEqualToTheWholeImageResultExactlyOnce() throws Exception {
        Topics topics = Topics.fresh("e2e");
        PipelineHarness.createTopics(client(), topics, 2);

        Map<String, ImageFrame> images = new LinkedHashMap<>();
        // Much larger than a 32x32 tile: 20 tiles per filter group.
        images.put("raw-gray8-large", raw8("raw-gray8-large", 150, 110, 1));
        images.put("raw-gray8-small", raw8("raw-gray8-small", 10, 9, 2));
        images.put(
                "png-rgb8",
                TestImages.frame(
                        "png-rgb8",
                        ImageEncoding.PNG,
                        null,
                        0,
                        0,
                        0,
                        TestImages.pngRgb8(40, 30, 3)));
        images.put(
                "png-gray16",
                TestImages.frame(
                        "png-gray16",
                        ImageEncoding.PNG,
                        null,
                        50,
                        45,
                        0,
                        TestImages.pngGray16(50, 45, 4)));
        List<byte[]> values = new ArrayList<>();
        for (ImageFrame f : images.values()) {
            values.add(TestImages.encode(f));
        }
        byte[] junk = "not an image".getBytes(StandardCharsets.UTF_8);
        values.add(2, junk);
        PipelineHarness.produce(client(), topics.images(), KEY, values);

        EdgeJobOptions o =
                PipelineHarness.boundedOptions(
                        bootstrapServers(),
                        topics,
                        Map.of(
                                EdgeJobOptions.FILTERS.key(),
                                FILTERS,
                                EdgeJobOptions.TILE_SIZE.key(),
                                "32",
                                // Both paths: the large image spread, the small ones local.
                                EdgeJobOptions.TILES_SPREAD_MIN.key(),
                                "3"));
        PipelineHarness.runToEnd(o);

        List<ConsumerRecord<byte[], byte[]>> mapRecords =
                PipelineHarness.drain(client(), topics.maps());
        List<ConsumerRecord<byte[], byte[]>> statsRecords =
                PipelineHarness.drain(client(), topics.stats());
        List<ConsumerRecord<byte[], byte[]>> dlqRecords =
                PipelineHarness.drain(client(), topics.dlq());

        // Dead letters: only the junk record, with its original bytes and key.
        AvroWire<DeadLetter> dlWire = AvroWire.deadLetters();
        assertThat(dlqRecords).hasSize(1);
        DeadLetter dl = dlWire.decode(dlqRecords.get(0).value());
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT);
        assertThat(PipelineHarness.bytes(dl.getPayload())).isEqualTo(junk);
        assertThat(dlqRecords.get(0).key()).isEqualTo(KEY);

        ProcessingSpec spec = o.processing();
        ConvParams params = spec.convParams();
        List<Filter> filters = spec.filterList();

        // Maps: every tile exactly once, reassembled bit for bit equal to the whole image.
        AvroWire<FeatureMapTile> mapWire = AvroWire.featureMapTiles();
        Map<String, List<FeatureMapTile>> tilesByMap = new HashMap<>();
        Map<String, Set<Integer>> subtasksByImage = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : mapRecords) {
            FeatureMapTile t = mapWire.decode(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(t.getImageId());
            tilesByMap
                    .computeIfAbsent(t.getImageId() + "/" + t.getFilter(), k -> new ArrayList<>())
                    .add(t);
            subtasksByImage.computeIfAbsent(t.getImageId(), k -> new HashSet<>()).add(subtask(r));
        }
        assertThat(tilesByMap).hasSize(images.size() * filters.size());
        for (ImageFrame frame : images.values()) {
            DecodedImage decoded = PipelineHarness.decode(frame);
            for (Filter f : filters) {
                String id = frame.getImageId() + "/" + f.name();
                List<FeatureMapTile> tiles = tilesByMap.get(id);
                assertThat(tiles).as(id).isNotNull();
                int tileCount = tiles.get(0).getTileCount();
                assertThat(tiles).as(id + " tiles").hasSize(tileCount);
                assertThat(tiles.stream().map(FeatureMapTile::getTileIndex).distinct().count())
                        .as(id + " distinct tiles")
                        .isEqualTo(tileCount);
                PipelineHarness.assertMapEqualsReference(id, tiles, f, decoded, params);
            }
        }
        // The large image was convolved by more than one subtask.
        assertThat(subtasksByImage.get("raw-gray8-large")).hasSizeGreaterThan(1);

        // Stats: one per image and filter, equal to the whole-map statistics.
        AvroWire<EdgeStats> statsWire = AvroWire.edgeStats();
        Map<String, EdgeStats> stats = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : statsRecords) {
            EdgeStats s = statsWire.decode(r.value());
            assertThat(stats.put(s.getImageId() + "/" + s.getFilter(), s))
                    .as("one EdgeStats per image and filter")
                    .isNull();
        }
        assertThat(stats).hasSize(images.size() * filters.size());
        for (ImageFrame frame : images.values()) {
            DecodedImage decoded = PipelineHarness.decode(frame);
            for (Filter f : filters) {
                EdgeStats s = stats.get(frame.getImageId() + "/" + f.name());
                Reference.assertStatsEqual(s, Reference.stats(f, decoded, spec));
                assertThat(s.getTileCount())
                        .isEqualTo(tilesByMap.get(frame.getImageId() + "/" + f.name()).size());
                assertThat(s.getBatchId()).isEqualTo("batch-1");
                assertThat(s.getSourceName()).isEqualTo(TestImages.FILE_NAME);
                assertThat(s.getCaptureTimeMs()).isEqualTo(frame.getCaptureTimeMs());
                assertThat(s.getCompletedTimeMs()).isGreaterThanOrEqualTo(s.getIngestTimeMs());
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldSpreadTheTilesOfOneImageOverSeveralSubtasks() throws Exception {
        Topics topics = Topics.fresh("spread");
        PipelineHarness.createTopics(client(), topics, 1);
        PipelineHarness.produce(
                client(),
                topics.images(),
                KEY,
                List.of(TestImages.encode(raw8("big", 130, 66, 9))));
        PipelineHarness.runToEnd(
                PipelineHarness.boundedOptions(
                        bootstrapServers(),
                        topics,
                        Map.of(
                                EdgeJobOptions.FILTERS.key(),
                                "sobel",
                                EdgeJobOptions.TILE_SIZE.key(),
                                "16",
                                EdgeJobOptions.TILES_SPREAD_MIN.key(),
                                "3")));
        Map<Integer, Integer> tilesPerSubtask = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client(), topics.maps())) {
            tilesPerSubtask.merge(subtask(r), 1, Integer::sum);
        }
        // 128x64 map in 16x16 tiles = 32 tiles, dealt round robin over the 4 subtasks.
        assertThat(tilesPerSubtask.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(32);
        assertThat(tilesPerSubtask).hasSize(4);
        assertThat(tilesPerSubtask.values()).containsOnly(8);
    }

    /**
     * Images of one tile (fewer than {@code tiles.spread.min}, 3 here) are convolved by the
     * convolution chained to the decoder (one task: {@code EdgeJobGraphTest}), so every tile of the
     * small images here comes from one subtask, the one that decoded them all (one input
     * partition), although their ids are chosen so that spreading would have dealt them to four
     * different subtasks. A large image is still spread; all maps and statistics are exact.
     */
    @Test
    @Timeout(180)
    void shouldConvolveSmallImagesInTheSlotThatDecodedThem() throws Exception {
        Topics topics = Topics.fresh("local");
        PipelineHarness.createTopics(client(), topics, 1);
        Map<String, ImageFrame> images = new LinkedHashMap<>();
        // Ids whose spread keys (the id's hash code, see TileSpreader) cover all four subtasks.
        Set<Integer> spreadTo = new HashSet<>();
        for (int i = 0; spreadTo.size() < 4; i++) {
            String id = "small-" + i;
            if (spreadTo.add(Math.floorMod(id.hashCode(), 4))) {
                images.put(id, raw8(id, 20 + i % 7, 18, i));
            }
        }
        images.put("large", raw8("large", 130, 66, 99));
        List<byte[]> values = new ArrayList<>();
        for (ImageFrame f : images.values()) {
            values.add(TestImages.encode(f));
        }
        PipelineHarness.produce(client(), topics.images(), KEY, values);
        EdgeJobOptions o =
                PipelineHarness.boundedOptions(
                        bootstrapServers(),
                        topics,
                        Map.of(
                                EdgeJobOptions.FILTERS.key(),
                                "vertical,sobel",
                                EdgeJobOptions.TILE_SIZE.key(),
                                "32",
                                EdgeJobOptions.TILES_SPREAD_MIN.key(),
                                "3"));
        PipelineHarness.runToEnd(o);

        AvroWire<FeatureMapTile> wire = AvroWire.featureMapTiles();
        Map<String, List<FeatureMapTile>> tilesByMap = new HashMap<>();
        Set<Integer> smallSubtasks = new HashSet<>();
        Set<Integer> largeSubtasks = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client(), topics.maps())) {
            FeatureMapTile t = wire.decode(r.value());
            tilesByMap
                    .computeIfAbsent(t.getImageId() + "/" + t.getFilter(), k -> new ArrayList<>())
                    .add(t);
            if (t.getImageId().startsWith("small-")) {
                assertThat(t.getTileCount()).as("a small image is one tile").isEqualTo(1);
                smallSubtasks.add(subtask(r));
            } else {
                largeSubtasks.add(subtask(r));
            }
        }
        assertThat(smallSubtasks).as("subtasks that convolved the small images").hasSize(1);
        assertThat(largeSubtasks).as("subtasks that convolved the large image").hasSize(4);

        ProcessingSpec spec = o.processing();
        Map<String, EdgeStats> stats = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client(), topics.stats())) {
            EdgeStats s = AvroWire.edgeStats().decode(r.value());
            assertThat(stats.put(s.getImageId() + "/" + s.getFilter(), s)).isNull();
        }
        assertThat(tilesByMap).hasSize(images.size() * spec.filterList().size());
        assertThat(stats).hasSize(images.size() * spec.filterList().size());
        for (ImageFrame frame : images.values()) {
            DecodedImage decoded = PipelineHarness.decode(frame);
            for (Filter f : spec.filterList()) {
                String id = frame.getImageId() + "/" + f.name();
                List<FeatureMapTile> tiles = tilesByMap.get(id);
                assertThat(tiles).as(id).hasSize(tiles.get(0).getTileCount());
                PipelineHarness.assertMapEqualsReference(id, tiles, f, decoded, spec.convParams());
                Reference.assertStatsEqual(stats.get(id), Reference.stats(f, decoded, spec));
            }
        }
        assertThat(PipelineHarness.drain(client(), topics.dlq())).isEmpty();
    }

    @Test
    @Timeout(120)
    void shouldWriteHalfPrecisionMapsWhenAskedExactForIntegerResponses() throws Exception {
        Topics topics = Topics.fresh("half");
        PipelineHarness.createTopics(client(), topics, 1);
        ImageFrame frame = raw8("half", 70, 50, 5);
        PipelineHarness.produce(client(), topics.images(), KEY, List.of(TestImages.encode(frame)));
        EdgeJobOptions o =
                PipelineHarness.boundedOptions(
                        bootstrapServers(),
                        topics,
                        Map.of(
                                EdgeJobOptions.FILTERS.key(),
                                "sobel_x,laplacian,sobel",
                                EdgeJobOptions.TILE_SIZE.key(),
                                "32",
                                EdgeJobOptions.MAP_ENCODING.key(),
                                "float16"));
        PipelineHarness.runToEnd(o);

        AvroWire<FeatureMapTile> wire = AvroWire.featureMapTiles();
        Map<String, List<FeatureMapTile>> tilesByFilter = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client(), topics.maps())) {
            FeatureMapTile t = wire.decode(r.value());
            assertThat(t.getDataType()).isEqualTo(MapDataType.FLOAT16_LE);
            assertThat(t.getData().remaining())
                    .as("2 bytes per sample")
                    .isEqualTo(t.getWidth() * t.getHeight() * t.getChannels() * 2);
            tilesByFilter.computeIfAbsent(t.getFilter(), k -> new ArrayList<>()).add(t);
        }
        DecodedImage decoded = PipelineHarness.decode(frame);
        ConvParams params = o.processing().convParams();
        for (Filter f : o.processing().filterList()) {
            List<FeatureMapTile> tiles = tilesByFilter.get(f.name());
            assertThat(tiles).as(f.name()).isNotNull();
            PipelineHarness.assertMapEqualsReference("half/" + f.name(), tiles, f, decoded, params);
        }
        // Integer responses of 8-bit input below 2048 in magnitude survive float16 unchanged.
        for (String exact : List.of("sobel_x", "laplacian")) {
            Filter f =
                    o.processing().filterList().stream()
                            .filter(x -> x.name().equals(exact))
                            .findFirst()
                            .orElseThrow();
            MapAssembler a = PipelineHarness.reassemble(tilesByFilter.get(exact));
            assertThat(a.result().contentEquals(Reference.map(f, decoded.toF32(), params)))
                    .as(exact + " in float16 equals the float32 result exactly")
                    .isTrue();
        }
    }

    static ImageFrame raw8(String id, int w, int h, long seed) {
        return TestImages.frame(
                id, ImageEncoding.RAW, PixelFormat.GRAY8, w, h, 1, TestImages.rawGray8(w, h, seed));
    }

    static int subtask(ConsumerRecord<byte[], byte[]> r) {
        return ByteBuffer.wrap(
                        r.headers().lastHeader(MapTileSerializationSchema.SUBTASK_HEADER).value())
                .getInt();
    }
}
