package io.edgestream.imaging.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.tile.TilePlan;
import org.junit.jupiter.api.Test;

class StatsConfigTest {
    private static final ConvParams P = ConvParams.DEFAULT;

    private static StatsConfig cfg(String filter, ConvParams p, int channels, Double threshold) {
        Filter f = Filters.parse(filter);
        TilePlan plan = TilePlan.forFilters(100, 60, java.util.List.of(f), p, 32, 32);
        return StatsConfig.forFilter(f, p, channels, 0f, 255f, 0, threshold, plan);
    }

    @Test
    void sobelXOnEightBitGreyRangesOverPlusMinus1020() {
        StatsConfig c = cfg("sobel_x", P, 1, null);
        assertThat(c.histogramMin()).isEqualTo(-1020);
        assertThat(c.histogramMax()).isEqualTo(1020);
        assertThat(c.edgeThreshold()).isEqualTo(255);
        assertThat(c.histogramBins()).isEqualTo(StatsConfig.DEFAULT_HISTOGRAM_BINS);
        assertThat(c.orientationBins()).isZero();
        // 98x58 output in 32x32 tiles: 4 x 2 grid.
        assertThat(c.gridCols()).isEqualTo(4);
        assertThat(c.gridRows()).isEqualTo(2);
    }

    @Test
    void volumeSumsOverChannelsAndOtherModesDoNot() {
        StatsConfig volume = cfg("sobel_x", P, 3, 100.0);
        assertThat(volume.histogramMin()).isEqualTo(-3060);
        assertThat(volume.histogramMax()).isEqualTo(3060);
        assertThat(volume.edgeThreshold()).isEqualTo(100);
        StatsConfig per = cfg("sobel_x", P.withColorMode(ColorMode.PER_CHANNEL), 3, null);
        assertThat(per.histogramMax()).isEqualTo(1020);
        // BT.601 weights sum to 1 (up to float rounding).
        StatsConfig grey = cfg("sobel_x", P.withColorMode(ColorMode.GREY), 3, null);
        assertThat(grey.histogramMax()).isCloseTo(1020, within(1e-3));
    }

    @Test
    void laplacianAndBorderConstants() {
        StatsConfig lap = cfg("laplacian", P, 1, null);
        assertThat(lap.histogramMin()).isEqualTo(-1020);
        assertThat(lap.histogramMax()).isEqualTo(1020);
        // SAME with a constant of 300 outside: pixels seen are in [0, 300].
        ConvParams same = P.withPadding(Padding.SAME).withBorder(BorderMode.CONSTANT, 300f);
        StatsConfig c = cfg("sobel_x", same, 1, null);
        assertThat(c.histogramMax()).isEqualTo(1200);
        assertThat(c.histogramMin()).isEqualTo(-1200);
        // A negative constant widens the bottom of the input range.
        ConvParams neg = P.withPadding(Padding.SAME).withBorder(BorderMode.CONSTANT, -10f);
        assertThat(cfg("laplacian", neg, 1, null).histogramMin()).isEqualTo(-4 * 255 - 4 * 10);
    }

    @Test
    void gradientMagnitudeRangesFromZeroToTheHypotenuse() {
        StatsConfig c = cfg("sobel", P, 1, null);
        assertThat(c.histogramMin()).isZero();
        assertThat(c.histogramMax()).isCloseTo(1020 * Math.sqrt(2), within(1e-9));
        assertThat(c.edgeThreshold()).isCloseTo(0.25 * 1020 * Math.sqrt(2), within(1e-9));
        assertThat(c.orientationBins()).isEqualTo(StatsConfig.DEFAULT_ORIENTATION_BINS);
    }

    @Test
    void binsCoverTheRangeAndClampOutsideValues() {
        StatsConfig c = new StatsConfig(4, -2, 2, 1, 0, 1, 1);
        assertThat(c.histogramBin(-2)).isZero();
        assertThat(c.histogramBin(-1.0001)).isZero();
        assertThat(c.histogramBin(-1)).isEqualTo(1);
        assertThat(c.histogramBin(0)).isEqualTo(2);
        assertThat(c.histogramBin(1.999)).isEqualTo(3);
        assertThat(c.histogramBin(2)).isEqualTo(3);
        assertThat(c.histogramBin(1e9)).isEqualTo(3);
        assertThat(c.histogramBin(-1e9)).isZero();
    }

    @Test
    void orientationBinsSplitMinusPiToPi() {
        assertThat(StatsConfig.orientationBin(-Math.PI, 4)).isZero();
        assertThat(StatsConfig.orientationBin(Math.PI, 4)).isZero();
        assertThat(StatsConfig.orientationBin(0, 4)).isEqualTo(2);
        assertThat(StatsConfig.orientationBin(0, 36)).isEqualTo(18);
        assertThat(StatsConfig.orientationBin(-0.1, 4)).isEqualTo(1);
        assertThat(StatsConfig.orientationBin(Math.PI / 2, 4)).isEqualTo(3);
        assertThat(StatsConfig.orientationBin(Math.nextDown(Math.PI), 4)).isEqualTo(3);
    }

    @Test
    void rejectsInvalidConfigurations() {
        assertThatThrownBy(() -> new StatsConfig(0, 0, 1, 0, 0, 1, 1)).hasMessageContaining("bin");
        assertThatThrownBy(() -> new StatsConfig(4, 1, 1, 0, 0, 1, 1))
                .hasMessageContaining("min < max");
        assertThatThrownBy(() -> new StatsConfig(4, 0, 1, -1, 0, 1, 1))
                .hasMessageContaining("threshold");
        TilePlan empty = TilePlan.plan(2, 2, 3, 3, P, 4, 4);
        assertThatThrownBy(
                        () ->
                                StatsConfig.forFilter(
                                        Filters.parse("sobel"), P, 1, 0, 255, 0, null, empty))
                .hasMessageContaining("empty output");
    }

    @Test
    void allZeroKernelGetsAUnitRange() {
        Filter zero = Filters.parse("zero=0,0;0,0");
        TilePlan plan = TilePlan.forFilters(5, 5, java.util.List.of(zero), P, 5, 5);
        StatsConfig c = StatsConfig.forFilter(zero, P, 1, 0, 255, 8, null, plan);
        assertThat(c.histogramMin()).isZero();
        assertThat(c.histogramMax()).isEqualTo(1);
        assertThat(c.edgeThreshold()).isEqualTo(0.25);
    }
}
