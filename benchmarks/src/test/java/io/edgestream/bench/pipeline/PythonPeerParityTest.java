package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.FilterOutput;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.GradientFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.stats.EdgeStatsPartial;
import io.edgestream.imaging.stats.EdgeSummary;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.MapSamples;
import io.edgestream.testing.stack.LocalStack;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python service of the pipeline benchmark ({@code benchmarks/python/edge_service.py}) must do
 * the edge job's work, or the comparison is unfair: its maps and statistics of an RGB image are
 * checked against the imaging core's, computed tile by tile exactly as the job does (filter bank
 * per tile, statistics merged over the tiles). Needs Debian's python3-numpy and python3-opencv for
 * /usr/bin/python3; skipped without them, except under CI.
 */
class PythonPeerParityTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final String FILTERS = "vertical,horizontal,sobel,laplacian,scharr";
    static final int W = 301;
    static final int H = 203;
    static final int TILE = 64;

    @TempDir Path dir;

    @Test
    void shouldComputeTheJobsMapsAndStatistics() throws Exception {
        requirePython();
        byte[] px = image();
        Path raw = dir.resolve("image.raw");
        Files.write(raw, px);
        Path script = LocalStack.repoRoot().resolve("benchmarks/python/edge_service.py");
        Process p =
                new ProcessBuilder(
                                PYTHON.toString(),
                                script.toString(),
                                "--compute",
                                raw.toString(),
                                "" + W,
                                "" + H,
                                "3",
                                "--out",
                                dir.resolve("out").toString(),
                                "--filters",
                                FILTERS,
                                "--tile-size",
                                "" + TILE)
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        JsonNode stats = new ObjectMapper().readTree(dir.resolve("out/stats.json").toFile());

        List<Filter> filters = Filters.parseList(FILTERS);
        ConvParams params = ConvParams.DEFAULT;
        TilePlan plan = TilePlan.forFilters(W, H, filters, params, TILE, TILE);
        List<StatsConfig> cfgs = new ArrayList<>();
        List<EdgeStatsPartial> partials = new ArrayList<>();
        List<MapAssembler> maps = new ArrayList<>();
        for (Filter f : filters) {
            cfgs.add(StatsConfig.forFilter(f, params, 3, 0f, 255f, 0, null, plan));
            partials.add(new EdgeStatsPartial());
            maps.add(MapAssembler.forPlan(plan, 1));
        }
        FilterBank bank = new FilterBank(filters, params, cfgs);
        ImageF32 img = ImageF32.allocate(W, H, 3);
        for (int i = 0; i < px.length; i++) {
            img.data[i] = px[i] & 0xff;
        }
        for (TileSpec t : plan.tiles()) {
            List<FilterOutput> outs = bank.apply(plan.extract(img, t), t, cfgs);
            for (int i = 0; i < filters.size(); i++) {
                partials.get(i).merge(outs.get(i).stats());
                maps.get(i).add(t, outs.get(i).map());
            }
        }
        for (int i = 0; i < filters.size(); i++) {
            Filter f = filters.get(i);
            ImageF32 javaMap = maps.get(i).result();
            float[] py = floats(dir.resolve("out").resolve(f.name() + ".f32"));
            assertThat(py).as(f.name() + " map size").hasSize(javaMap.width * javaMap.height);
            for (int k = 0; k < py.length; k++) {
                float j = javaMap.data[k];
                // Linear maps of 8-bit input are exact integers on both sides; a magnitude is
                // one correctly rounded square root of the same float sum.
                float tolerance = f instanceof GradientFilter ? Math.ulp(j) : 0f;
                assertThat(py[k]).as("%s at %d", f.name(), k).isCloseTo(j, within(tolerance));
            }
            EdgeSummary s = partials.get(i).finish(cfgs.get(i));
            JsonNode ps = stats.path(f.name());
            assertThat(ps.path("mapWidth").asInt()).isEqualTo(plan.outputWidth());
            assertThat(ps.path("mapHeight").asInt()).isEqualTo(plan.outputHeight());
            assertThat(ps.path("pixelCount").asLong()).isEqualTo(s.pixelCount());
            assertThat(ps.path("min").asDouble()).as(f.name() + " min").isEqualTo(s.min());
            assertThat(ps.path("max").asDouble()).as(f.name() + " max").isEqualTo(s.max());
            assertThat(ps.path("mean").asDouble())
                    .as(f.name() + " mean")
                    .isCloseTo(s.mean(), within(1e-9 * Math.max(1, Math.abs(s.mean()))));
            assertThat(ps.path("stddev").asDouble())
                    .as(f.name() + " stddev")
                    .isCloseTo(s.stddev(), within(1e-9 * s.stddev()));
            assertThat(ps.path("meanAbs").asDouble())
                    .as(f.name() + " meanAbs")
                    .isCloseTo(s.meanAbs(), within(1e-9 * s.meanAbs()));
            assertThat(ps.path("edgeThreshold").asDouble()).isEqualTo(s.edgeThreshold());
            assertThat(ps.path("edgeCount").asLong())
                    .as(f.name() + " edges")
                    .isEqualTo(s.edgeCount());
            assertThat(ps.path("histogram").path("min").asDouble()).isEqualTo(s.histogram().min());
            assertThat(ps.path("histogram").path("max").asDouble()).isEqualTo(s.histogram().max());
            assertThat(longs(ps.path("histogram").path("counts")))
                    .as(f.name() + " histogram")
                    .containsExactly(s.histogram().counts());
            if (s.orientation() == null) {
                assertThat(ps.path("orientationHistogram").isNull()).isTrue();
            } else {
                assertThat(longs(ps.path("orientationHistogram")))
                        .as(f.name() + " orientation")
                        .containsExactly(s.orientation());
            }
            assertThat(ps.path("densityGrid").path("rows").asInt()).isEqualTo(s.density().rows());
            assertThat(ps.path("densityGrid").path("cols").asInt()).isEqualTo(s.density().cols());
            float[] density = new float[s.density().fraction().length];
            for (int k = 0; k < density.length; k++) {
                density[k] = (float) ps.path("densityGrid").path("values").get(k).asDouble();
            }
            assertThat(density).as(f.name() + " density").containsExactly(s.density().fraction());

            // The records it writes for them decode with the project's codec.
            FeatureMapTile tile =
                    AvroWire.featureMapTiles()
                            .decode(
                                    Files.readAllBytes(
                                            dir.resolve("out/" + f.name() + ".map.avro")));
            assertThat(tile.getFilter().toString()).isEqualTo(f.name());
            assertThat(tile.getWidth()).isEqualTo(plan.outputWidth());
            assertThat(tile.getScale()).isEqualTo(1f);
            assertThat(MapSamples.decode(tile)).as(f.name() + " map record").containsExactly(py);
            EdgeStats record =
                    AvroWire.edgeStats()
                            .decode(
                                    Files.readAllBytes(
                                            dir.resolve("out/" + f.name() + ".stats.avro")));
            assertThat(record.getFilter().toString()).isEqualTo(f.name());
            assertThat(record.getPixelCount()).isEqualTo(s.pixelCount());
            assertThat(record.getEdgeCount()).isEqualTo(s.edgeCount());
        }
    }

    /**
     * An RGB frame of the synthetic camera's scene plus fixed noise: edges of every size and
     * direction.
     */
    private static byte[] image() {
        byte[] px =
                new io.edgestream.clients.produce.SyntheticCamera(
                                W, H, io.edgestream.schemas.PixelFormat.RGB8)
                        .frame(7);
        long seed = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < px.length; i++) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            int v = (px[i] & 0xff) + (int) Long.remainderUnsigned(seed, 61) - 30;
            px[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return px;
    }

    private static float[] floats(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    private static void requirePython() throws InterruptedException {
        String problem;
        try {
            Process p =
                    new ProcessBuilder(PYTHON.toString(), "-c", "import numpy, cv2")
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                return;
            }
            problem = out.strip();
        } catch (IOException e) {
            problem = PYTHON + " cannot be run: " + e.getMessage();
        }
        String message =
                "the Python service needs NumPy and OpenCV for "
                        + PYTHON
                        + " ("
                        + problem
                        + "); install them with: apt-get install -y python3-numpy python3-opencv";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            fail("CI=" + ci + " is set, so this does not skip: " + message);
        }
        abort(message);
    }
}
