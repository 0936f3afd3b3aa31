package io.edgestream.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.Reference;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.MapSamples;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job with a different map encoding per filter, end to end on a MiniCluster (2 TaskManagers x 2
 * slots) and an in-process broker: produce 8-bit grey, 8-bit RGB and 16-bit grey images, run the
 * job bounded with {@code map.encoding INT16,laplacian=FLOAT16,sobel=UINT8,horizontal=NONE},
 * consume with read_committed, and compare every map with the imaging core's float32 result.
 */
class EdgeJobMapEncodingITCase {

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    /** Two size groups; two INT16 filters (sobel_x, box5), one of each other encoding. */
    static final String FILTERS =
            "sobel_x|laplacian|horizontal|sobel|box5=1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1";

    static final String ENCODING = "INT16,laplacian=FLOAT16,sobel=UINT8,horizontal=NONE";

    @Test
    @Timeout(180)
    void shouldWriteEachFilterInItsEncodingAndFullStatsForAll() throws Exception {
        Properties client = PipelineHarness.client(KAFKA.broker().bootstrapServers());
        Topics topics = Topics.fresh("encodings");
        PipelineHarness.createTopics(client, topics, 1);
        List<ImageFrame> frames =
                List.of(
                        AbstractEdgeJobITCase.raw8("gray8", 70, 50, 5),
                        TestImages.frame(
                                "rgb8",
                                ImageEncoding.PNG,
                                null,
                                0,
                                0,
                                0,
                                TestImages.pngRgb8(40, 30, 6)),
                        TestImages.frame(
                                "gray16",
                                ImageEncoding.PNG,
                                null,
                                0,
                                0,
                                0,
                                TestImages.pngGray16(50, 45, 7)));
        PipelineHarness.produceFrames(client, topics.images(), frames);
        EdgeJobOptions o =
                PipelineHarness.boundedOptions(
                        KAFKA.broker().bootstrapServers(),
                        topics,
                        Map.of(
                                EdgeJobOptions.FILTERS.key(),
                                FILTERS,
                                EdgeJobOptions.TILE_SIZE.key(),
                                "16",
                                EdgeJobOptions.MAP_ENCODING.key(),
                                ENCODING));
        PipelineHarness.runToEnd(o);

        AvroWire<FeatureMapTile> mapWire = AvroWire.featureMapTiles();
        Map<String, List<FeatureMapTile>> tiles = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client, topics.maps())) {
            FeatureMapTile t = mapWire.decode(r.value());
            assertThat(t.getData().remaining())
                    .as("%s/%s bytes", t.getImageId(), t.getFilter())
                    .isEqualTo(
                            t.getWidth()
                                    * t.getHeight()
                                    * t.getChannels()
                                    * MapSamples.bytesPerSample(t.getDataType()));
            tiles.computeIfAbsent(t.getImageId() + "/" + t.getFilter(), k -> new ArrayList<>())
                    .add(t);
        }
        AvroWire<EdgeStats> statsWire = AvroWire.edgeStats();
        Map<String, EdgeStats> stats = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : PipelineHarness.drain(client, topics.stats())) {
            EdgeStats s = statsWire.decode(r.value());
            assertThat(stats.put(s.getImageId() + "/" + s.getFilter(), s))
                    .as("one EdgeStats per image and filter")
                    .isNull();
        }
        assertThat(PipelineHarness.drain(client, topics.dlq())).as("dead letters").isEmpty();

        ProcessingSpec spec = o.processing();
        ConvParams params = spec.convParams();
        List<Filter> filters = spec.filterList();
        // NONE: no map record at all; every other filter: one map per image.
        assertThat(tiles.keySet()).noneMatch(k -> k.endsWith("/horizontal"));
        assertThat(tiles).hasSize(frames.size() * (filters.size() - 1));
        assertThat(stats).hasSize(frames.size() * filters.size());

        for (ImageFrame frame : frames) {
            String image = frame.getImageId();
            DecodedImage decoded = PipelineHarness.decode(frame);
            for (Filter f : filters) {
                String id = image + "/" + f.name();
                EdgeStats s = stats.get(id);
                // The statistics of every filter, NONE included, are those of the float32 map.
                Reference.assertStatsEqual(s, Reference.stats(f, decoded, spec));
                if (f.name().equals("horizontal")) {
                    continue;
                }
                List<FeatureMapTile> ts = tiles.get(id);
                assertThat(ts).as(id).hasSize(s.getTileCount());
                MapDataType expected = expectedType(f.name(), decoded.bitDepth());
                assertThat(ts).extracting(FeatureMapTile::getDataType).containsOnly(expected);
                if (expected == MapDataType.UINT8) {
                    // One scale per map: the histogram range of the map's statistics.
                    assertThat(ts.get(0).getOffset()).isEqualTo((float) s.getHistogram().getMin());
                    assertThat(ts.get(0).getScale())
                            .isEqualTo(
                                    MapSamples.uint8Scale(
                                            s.getHistogram().getMin(), s.getHistogram().getMax()));
                }
                // INT16 and FLOAT32 bit for bit, FLOAT16 as the float32 result rounded to
                // binary16, UINT8 within half a step.
                PipelineHarness.assertMapEqualsReference(id, ts, f, decoded, params);
            }
        }
    }

    /** What the job must write: INT16 only where the image's depth proves it. */
    private static MapDataType expectedType(String filter, int bitDepth) {
        return switch (filter) {
            case "laplacian" -> MapDataType.FLOAT16_LE;
            case "sobel" -> MapDataType.UINT8;
            // sobel_x and box5: 16-bit samples overflow int16, so those maps fall back.
            default -> bitDepth == 8 ? MapDataType.INT16_LE : MapDataType.FLOAT32_LE;
        };
    }
}
