package io.edgestream.bench;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.stats.EdgeStatsPartial;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the job's convolution task does per tile: the default filters ({@code
 * vertical,horizontal,sobel}) through one {@link FilterBank} on a 256x256 tile's window (258x258
 * with the halo) of 8-bit samples, grey ({@code channels=1}) or RGB in the default {@code VOLUME}
 * mode ({@code channels=3}). {@code maps} is the convolution and the gradient magnitude only;
 * {@code mapsAndStats} adds each map's edge statistics, as the job computes them. {@code
 * samples=fraction} adds 0.5 to every sample, which keeps an RGB window off the channel-sum path
 * (its condition needs integer samples) at the same arithmetic cost: the volume way for comparison.
 * {@code fromBytes} is what the job's convolution task runs on an 8-bit window since 2026-11-30
 * ({@link FilterBank#applyReusingMapsU8}: RGB summed straight from the bytes), {@code widened} what
 * it ran before (the bytes widened to float, then {@link FilterBank#applyReusingMaps}); both ignore
 * {@code samples}. The {@code megapixels} secondary result counts tile pixels.
 */
public class TileBenchmark extends SingleThreadBenchmark {

    @Param({"1", "3"})
    public int channels;

    @Param({"integer", "fraction"})
    public String samples;

    private FilterBank bank;
    private ImageF32 window;
    private TileSpec tile;
    private List<StatsConfig> stats;
    private byte[] windowU8;
    private float[] widenScratch;

    @Setup
    public void setUp() {
        int size = 258;
        byte[] pixels =
                channels == 3
                        ? SyntheticPhoto.rgb(size, size, 42)
                        : SyntheticPhoto.grey(size, size, 42);
        float add = samples.equals("fraction") ? 0.5f : 0f;
        float[] samplesF = new float[pixels.length];
        for (int i = 0; i < samplesF.length; i++) {
            samplesF[i] = (pixels[i] & 0xFF) + add;
        }
        ImageF32 image = ImageF32.wrap(samplesF, size, size, channels);
        List<Filter> filters = Filters.parseList("vertical,horizontal,sobel");
        ConvParams p = ConvParams.DEFAULT;
        TilePlan plan = TilePlan.forFilters(size, size, filters, p, 256, 256);
        tile = plan.tiles().get(0);
        window = plan.extract(image, tile);
        windowU8 = new byte[window.width * window.height * channels];
        for (int i = 0; i < windowU8.length; i++) {
            windowU8[i] = (byte) window.data[i];
        }
        widenScratch = new float[windowU8.length];
        bank = new FilterBank(filters, p);
        stats = new ArrayList<>();
        for (Filter f : filters) {
            stats.add(StatsConfig.forFilter(f, p, channels, 0, 255, 0, null, plan));
        }
        System.out.println(
                "\nconvolution: "
                        + Convolution.implementation()
                        + ", statistics: "
                        + EdgeStatsPartial.implementation());
    }

    @Benchmark
    public void maps(MegapixelCounter mp, Blackhole bh) {
        bh.consume(bank.apply(window, tile, null));
        mp.megapixels += 256 * 256 / 1e6;
    }

    @Benchmark
    public void mapsAndStats(MegapixelCounter mp, Blackhole bh) {
        bh.consume(bank.apply(window, tile, stats));
        mp.megapixels += 256 * 256 / 1e6;
    }

    @Benchmark
    public void fromBytes(MegapixelCounter mp, Blackhole bh) {
        bh.consume(bank.applyReusingMapsU8(windowU8, channels, tile, stats));
        mp.megapixels += 256 * 256 / 1e6;
    }

    @Benchmark
    public void widened(MegapixelCounter mp, Blackhole bh) {
        Convolution.widenU8(windowU8, 0, widenScratch, 0, windowU8.length);
        ImageF32 w =
                new ImageF32(
                        widenScratch, tile.inW(), tile.inH(), channels, tile.inW() * channels, 0);
        bh.consume(bank.applyReusingMaps(w, tile, stats));
        mp.megapixels += 256 * 256 / 1e6;
    }
}
