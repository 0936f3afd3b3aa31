package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.schemas.Histogram;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gallery's inline SVG charts: one bar per non-empty bin, one wedge per non-empty direction.
 */
class HistogramSvgTest {

    private static final Pattern BAR =
            Pattern.compile(
                    "<rect class=\"bar\" x=\"(\\d+)\" y=\"(\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\"");

    @Test
    void barsAreOnALogScaleAndEmptyBinsHaveNone() {
        Histogram h =
                Histogram.newBuilder()
                        .setMin(-2)
                        .setMax(2)
                        .setCounts(List.of(0L, 1L, 99L, 9L))
                        .build();
        String svg = HistogramSvg.response(h, "sobel<x>");
        List<int[]> bars = new ArrayList<>();
        Matcher m = BAR.matcher(svg);
        while (m.find()) {
            bars.add(
                    new int[] {
                        Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4))
                    });
        }
        assertThat(bars).hasSize(3);
        // Bin i spans [64 i, 64 (i + 1)) of the 256 px; heights 64 log(1 + c) / log(100).
        assertThat(bars.get(0)).containsExactly(64, 64 - 10, 64, 10);
        assertThat(bars.get(1)).containsExactly(128, 0, 64, 64);
        assertThat(bars.get(2)).containsExactly(192, 64 - 32, 64, 32);
        assertThat(svg)
                .startsWith("<svg class=\"hist\"")
                .contains("sobel&lt;x&gt;: histogram of the map's values, 4 bins over [-2, 2],")
                .contains("109 samples")
                .doesNotContain("<x>")
                .endsWith("</svg>");
        assertThat(
                        HistogramSvg.response(
                                Histogram.newBuilder()
                                        .setMin(0)
                                        .setMax(0)
                                        .setCounts(List.of())
                                        .build(),
                                "f"))
                .isEmpty();
    }

    @Test
    void theRoseHasAWedgePerNonEmptyDirectionWithAreaProportionalToItsCount() {
        String svg = HistogramSvg.orientation(List.of(4L, 0L, 1L, 0L), "sobel");
        assertThat(svg.split("class=\"wedge\"", -1)).hasSize(3);
        // Bin 0 covers [-180°, -90°): radius 40 from (44, 44), from (4, 44) to (44, 4).
        assertThat(svg)
                .contains("d=\"M 44.00 44.00 L 4.00 44.00 A 40.00 40.00 0 0 1 44.00 4.00 Z\"");
        // Bin 2 covers [0°, 90°): a quarter of the count, half the radius, downwards (y down).
        assertThat(svg)
                .contains("d=\"M 44.00 44.00 L 64.00 44.00 A 20.00 20.00 0 0 1 44.00 64.00 Z\"");
        assertThat(svg).contains("5 edge samples");
        assertThat(HistogramSvg.orientation(null, "laplacian")).isEmpty();
        assertThat(HistogramSvg.orientation(List.of(0L, 0L), "sobel")).isEmpty();
        assertThat(HistogramSvg.orientation(List.of(3L), "sobel").split("class=\"wedge\"", -1))
                .hasSize(2);
    }
}
