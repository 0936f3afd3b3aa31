package io.edgestream.imaging.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.kernel.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiltersTest {

    @Test
    void parsesNamedLinearFilters() {
        for (String name :
                List.of(
                        "vertical",
                        "horizontal",
                        "sobel_x",
                        "sobel_y",
                        "scharr_x",
                        "scharr_y",
                        "prewitt_x",
                        "prewitt_y",
                        "laplacian")) {
            Filter f = Filters.parse(name);
            assertThat(f).isInstanceOf(LinearFilter.class);
            assertThat(f.name()).isEqualTo(name);
            assertThat(((LinearFilter) f).kernel()).isEqualTo(Kernels.byName(name));
            assertThat(f.rows()).isEqualTo(3);
            assertThat(f.cols()).isEqualTo(3);
        }
        assertThat(Filters.parse(" Sobel_X ").name()).isEqualTo("sobel_x");
    }

    @Test
    void parsesGradientMagnitudes() {
        GradientFilter sobel = (GradientFilter) Filters.parse("sobel");
        assertThat(sobel.x()).isEqualTo(Kernels.SOBEL_X);
        assertThat(sobel.y()).isEqualTo(Kernels.SOBEL_Y);
        assertThat(sobel.kernels()).containsExactly(Kernels.SOBEL_X, Kernels.SOBEL_Y);
        assertThat(((GradientFilter) Filters.parse("scharr")).x()).isEqualTo(Kernels.SCHARR_X);
        assertThat(((GradientFilter) Filters.parse("prewitt")).y()).isEqualTo(Kernels.PREWITT_Y);
        assertThat(Filters.names())
                .containsExactly(
                        "vertical",
                        "horizontal",
                        "sobel_x",
                        "sobel_y",
                        "scharr_x",
                        "scharr_y",
                        "prewitt_x",
                        "prewitt_y",
                        "laplacian",
                        "sobel",
                        "scharr",
                        "prewitt");
    }

    @Test
    void parsesCustomMatricesOfAnyShape() {
        LinearFilter f = (LinearFilter) Filters.parse("my-edge_2=1,0,-1;2,0,-2");
        assertThat(f.name()).isEqualTo("my-edge_2");
        assertThat(f.rows()).isEqualTo(2);
        assertThat(f.cols()).isEqualTo(3);
        assertThat(f.kernel().weights()).containsExactly(1, 0, -1, 2, 0, -2);
        assertThat(f.kernel().name()).isEqualTo("my-edge_2");
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> Filters.parse("sobelx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown filter 'sobelx'")
                .hasMessageContaining("sobel_x")
                .hasMessageContaining("prewitt")
                .hasMessageContaining("name=1,0,-1;2,0,-2;1,0,-1");
        assertThatThrownBy(() -> Filters.parse("  ")).hasMessageContaining("empty filter");
    }

    @Test
    void rejectsBadCustomFilters() {
        assertThatThrownBy(() -> Filters.parse("bad name=1,2"))
                .hasMessageContaining("'bad name' is not allowed");
        assertThatThrownBy(() -> Filters.parse("=1,2")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> Filters.parse("sobel=1,2"))
                .hasMessageContaining("hide the built-in filter");
        assertThatThrownBy(() -> Filters.parse("k=")).hasMessageContaining("has no matrix");
        // Matrix errors come from Kernels.parse and name the kernel.
        assertThatThrownBy(() -> Filters.parse("k=1,2;3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'k'");
    }

    @Test
    void listsSeparateByBarsAndByCommasWithoutMatrices() {
        List<Filter> bars = Filters.parseList("sobel | laplacian|ridge=0,-1,0;-1,4,-1;0,-1,0");
        assertThat(bars).extracting(Filter::name).containsExactly("sobel", "laplacian", "ridge");
        assertThat(bars.get(2).rows()).isEqualTo(3);
        List<Filter> commas = Filters.parseList("sobel,vertical, horizontal");
        assertThat(commas)
                .extracting(Filter::name)
                .containsExactly("sobel", "vertical", "horizontal");
        // With a matrix, commas belong to the matrix: a single filter.
        assertThat(Filters.parseList("k=1,0,-1")).hasSize(1);
        assertThat(Filters.parseList(List.of("sobel", "k=1,0,-1"))).hasSize(2);
    }

    @Test
    void listsRejectDuplicatesAndEmptyEntries() {
        assertThatThrownBy(() -> Filters.parseList("sobel|sobel"))
                .hasMessageContaining("'sobel' appears twice");
        assertThatThrownBy(() -> Filters.parseList("sobel||laplacian"))
                .hasMessageContaining("empty entry");
        assertThatThrownBy(() -> Filters.parseList("")).hasMessageContaining("empty filter list");
    }

    @Test
    void filtersValidateTheirKernels() {
        assertThatThrownBy(
                        () ->
                                new GradientFilter(
                                        "g", Kernels.SOBEL_X, Kernels.parse("small", "1,-1")))
                .hasMessageContaining("same size");
        assertThatThrownBy(() -> new LinearFilter("v", Kernels.SOBEL_X.toVolume(3)))
                .hasMessageContaining("depth 1");
    }
}
