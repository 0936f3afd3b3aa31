package io.edgestream.bench;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.FilterOutput;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.stats.EdgeStatsPartial;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The statistics of one 256x256 map tile as the job computes them ({@link EdgeStatsPartial#of}),
 * without the convolution: {@code filter=vertical} is an integer map of an RGB8 window in the
 * default {@code VOLUME} mode, {@code filter=sobel} the gradient magnitude of the same window with
 * its orientation histogram (the default filters' two kinds of map). The maps are computed once in
 * the set-up, by the same {@link FilterBank} as {@link TileBenchmark}. The {@code megapixels}
 * secondary result counts map values.
 */
public class StatsBenchmark extends SingleThreadBenchmark {

    @Param({"vertical", "sobel"})
    public String filter;

    private ImageF32 map;
    private ImageF32 gx;
    private ImageF32 gy;
    private StatsConfig cfg;
    private TileSpec tile;

    @Setup
    public void setUp() {
        int size = 258;
        byte[] pixels = SyntheticPhoto.rgb(size, size, 42);
        float[] samples = new float[pixels.length];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = pixels[i] & 0xFF;
        }
        ImageF32 image = ImageF32.wrap(samples, size, size, 3);
        // The gradient components are linear filters of their own: the bank keeps its own ones.
        List<Filter> filters = Filters.parseList("sobel_x,sobel_y," + filter);
        ConvParams p = ConvParams.DEFAULT;
        TilePlan plan = TilePlan.forFilters(size, size, filters, p, 256, 256);
        tile = plan.tiles().get(0);
        List<FilterOutput> outs = new FilterBank(filters, p).apply(plan.extract(image, tile), tile);
        map = outs.get(2).map();
        boolean gradient = filter.equals("sobel");
        gx = gradient ? outs.get(0).map() : null;
        gy = gradient ? outs.get(1).map() : null;
        cfg = StatsConfig.forFilter(filters.get(2), p, 3, 0, 255, 0, null, plan);
        System.out.println("\nstatistics: " + EdgeStatsPartial.implementation());
    }

    @Benchmark
    public EdgeStatsPartial statistics(MegapixelCounter mp) {
        mp.megapixels += 256 * 256 / 1e6;
        return EdgeStatsPartial.of(map, gx, gy, cfg, tile);
    }
}
