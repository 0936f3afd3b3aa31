package io.edgestream.job.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Gradient;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.GradientFilter;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.stats.EdgeStatistics;
import io.edgestream.imaging.stats.EdgeSummary;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.job.functions.ProcessingSpec;
import io.edgestream.schemas.EdgeStats;
import java.util.List;

/**
 * The imaging core's whole-image results, computed without tiles or Flink: what the job's
 * reassembled outputs must equal.
 */
public final class Reference {
    private Reference() {}

    /** The whole feature map of {@code f}: plain {@link Convolution#convolve}, no tiles. */
    public static ImageF32 map(Filter f, ImageF32 decoded, ConvParams p) {
        if (f instanceof LinearFilter lf) {
            return Convolution.convolve(decoded, lf.kernel(), p);
        }
        GradientFilter g = (GradientFilter) f;
        return Gradient.magnitude(
                Convolution.convolve(decoded, g.x(), p), Convolution.convolve(decoded, g.y(), p));
    }

    /** The whole-map statistics of {@code f} on {@code d}, as the job configures them. */
    public static EdgeSummary stats(Filter f, DecodedImage d, ProcessingSpec spec) {
        ConvParams p = spec.convParams();
        TilePlan plan =
                TilePlan.plan(
                        d.width(),
                        d.height(),
                        f.rows(),
                        f.cols(),
                        p,
                        spec.tileWidth,
                        spec.tileHeight);
        StatsConfig cfg =
                StatsConfig.forFilter(
                        f,
                        p,
                        d.channels(),
                        d.minValue(),
                        d.maxValue(),
                        spec.histogramBins,
                        spec.edgeThreshold,
                        plan);
        ImageF32 img = d.toF32();
        ImageF32 gx = null;
        ImageF32 gy = null;
        if (f instanceof GradientFilter g) {
            gx = Convolution.convolve(img, g.x(), p);
            gy = Convolution.convolve(img, g.y(), p);
        }
        return EdgeStatistics.whole(map(f, img, p), gx, gy, cfg, plan);
    }

    /** Asserts the job's statistics equal the whole-map ones (exact counts, 1e-9 moments). */
    public static void assertStatsEqual(EdgeStats actual, EdgeSummary expected) {
        String what = actual.getImageId() + "/" + actual.getFilter();
        assertThat(actual.getPixelCount())
                .as(what + " pixelCount")
                .isEqualTo(expected.pixelCount());
        assertThat(actual.getEdgeCount()).as(what + " edgeCount").isEqualTo(expected.edgeCount());
        assertThat(actual.getMin()).as(what + " min").isEqualTo(expected.min());
        assertThat(actual.getMax()).as(what + " max").isEqualTo(expected.max());
        assertRel(actual.getMean(), expected.mean(), what + " mean");
        assertRel(actual.getStddev(), expected.stddev(), what + " stddev");
        assertRel(actual.getMeanAbs(), expected.meanAbs(), what + " meanAbs");
        assertThat(actual.getEdgeThreshold()).isEqualTo(expected.edgeThreshold());
        assertThat(actual.getEdgeFraction()).isEqualTo(expected.edgeFraction());
        assertThat(actual.getHistogram().getMin()).isEqualTo(expected.histogram().min());
        assertThat(actual.getHistogram().getMax()).isEqualTo(expected.histogram().max());
        assertThat(actual.getHistogram().getCounts())
                .as(what + " histogram")
                .containsExactlyElementsOf(boxed(expected.histogram().counts()));
        if (expected.orientation() == null) {
            assertThat(actual.getOrientationHistogram()).isNull();
        } else {
            assertThat(actual.getOrientationHistogram())
                    .as(what + " orientation")
                    .containsExactlyElementsOf(boxed(expected.orientation()));
        }
        assertThat(actual.getDensityGrid().getRows()).isEqualTo(expected.density().rows());
        assertThat(actual.getDensityGrid().getCols()).isEqualTo(expected.density().cols());
        float[] f = expected.density().fraction();
        assertThat(actual.getDensityGrid().getValues()).hasSize(f.length);
        for (int i = 0; i < f.length; i++) {
            assertThat(actual.getDensityGrid().getValues().get(i)).isEqualTo(f[i]);
        }
    }

    /**
     * {@code got} has the size of {@code want} and the same value bits at every sample, except that
     * every NaN counts as the same NaN ({@code floatToIntBits}).
     */
    public static void assertSameBits(String what, ImageF32 got, ImageF32 want) {
        float[] g = got.toArray();
        float[] w = want.toArray();
        assertThat(g).as("samples of %s", what).hasSameSizeAs(w);
        for (int i = 0; i < w.length; i++) {
            if (Float.floatToIntBits(g[i]) != Float.floatToIntBits(w[i])) {
                throw new AssertionError(
                        what
                                + " differs from the core at sample "
                                + i
                                + ": "
                                + g[i]
                                + " != "
                                + w[i]);
            }
        }
    }

    private static void assertRel(double actual, double expected, String what) {
        assertThat(actual)
                .as(what)
                .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
    }

    private static List<Long> boxed(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
