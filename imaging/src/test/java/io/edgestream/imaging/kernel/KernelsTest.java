package io.edgestream.imaging.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelsTest {

    private static float[] w(Kernel k) {
        return k.weights();
    }

    @Test
    void namedKernelsHaveTheDocumentedMatricesAndSigns() {
        assertThat(w(Kernels.VERTICAL)).containsExactly(1, 0, -1, 1, 0, -1, 1, 0, -1);
        assertThat(w(Kernels.HORIZONTAL)).containsExactly(1, 1, 1, 0, 0, 0, -1, -1, -1);
        assertThat(w(Kernels.SOBEL_X)).containsExactly(1, 0, -1, 2, 0, -2, 1, 0, -1);
        assertThat(w(Kernels.SOBEL_Y)).containsExactly(1, 2, 1, 0, 0, 0, -1, -2, -1);
        assertThat(w(Kernels.SCHARR_X)).containsExactly(3, 0, -3, 10, 0, -10, 3, 0, -3);
        assertThat(w(Kernels.SCHARR_Y)).containsExactly(3, 10, 3, 0, 0, 0, -3, -10, -3);
        assertThat(w(Kernels.PREWITT_X)).containsExactly(w(Kernels.VERTICAL));
        assertThat(w(Kernels.PREWITT_Y)).containsExactly(w(Kernels.HORIZONTAL));
        assertThat(w(Kernels.LAPLACIAN)).containsExactly(0, 1, 0, 1, -4, 1, 0, 1, 0);
    }

    @Test
    void byNameFindsEveryNamedKernel() {
        assertThat(Kernels.names())
                .containsExactly(
                        "vertical",
                        "horizontal",
                        "sobel_x",
                        "sobel_y",
                        "scharr_x",
                        "scharr_y",
                        "prewitt_x",
                        "prewitt_y",
                        "laplacian");
        for (String n : Kernels.names()) {
            assertThat(Kernels.byName(n).name()).isEqualTo(n);
        }
        assertThat(Kernels.byName("Sobel-X")).isSameAs(Kernels.SOBEL_X);
    }

    @Test
    void byNameListsTheValidNamesOnError() {
        assertThatThrownBy(() -> Kernels.byName("sobel"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sobel'")
                .hasMessageContaining("sobel_x, sobel_y")
                .hasMessageContaining("laplacian");
    }

    @Test
    void parseAcceptsCommasSpacesAnyShape() {
        Kernel k = Kernels.parse("mine", "1,0,-1;2,0,-2;1,0,-1");
        assertThat(k.rows()).isEqualTo(3);
        assertThat(k.cols()).isEqualTo(3);
        assertThat(k.depth()).isEqualTo(1);
        assertThat(k.weights()).containsExactly(w(Kernels.SOBEL_X));
        Kernel even = Kernels.parse("even", " 1 2 ; 3, 4 ;");
        assertThat(even.rows()).isEqualTo(2);
        assertThat(even.weights()).containsExactly(1, 2, 3, 4);
        Kernel wide = Kernels.parse("wide", "0.5 -1.5e1 2");
        assertThat(wide.rows()).isEqualTo(1);
        assertThat(wide.cols()).isEqualTo(3);
        assertThat(wide.weights()).containsExactly(0.5f, -15f, 2f);
        Kernel tall = Kernels.parse("tall", "1;0;-1");
        assertThat(tall.rows()).isEqualTo(3);
        assertThat(tall.cols()).isEqualTo(1);
    }

    @Test
    void parseErrorsSayWhere() {
        assertThatThrownBy(() -> Kernels.parse("k", "1,0,-1;2,x,-2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 2, value 2 (character 9)")
                .hasMessageContaining("'x' is not a number")
                .hasCauseInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Kernels.parse("k", "1,0,-1;2,0"))
                .hasMessageContaining("row 2")
                .hasMessageContaining("has 2 values but row 1 has 3");
        assertThatThrownBy(() -> Kernels.parse("k", "1,,2")).hasMessageContaining("empty value");
        assertThatThrownBy(() -> Kernels.parse("k", "1,2,")).hasMessageContaining("not followed");
        assertThatThrownBy(() -> Kernels.parse("k", "1;;2")).hasMessageContaining("row 2");
        assertThatThrownBy(() -> Kernels.parse("k", "")).hasMessageContaining("empty matrix");
        assertThatThrownBy(() -> Kernels.parse("k", "1,NaN")).hasMessageContaining("not finite");
        assertThatThrownBy(() -> Kernels.parse("k", "1 1e39;2 3"))
                .hasMessageContaining("row 1, value 2 (character 2)")
                .hasMessageContaining("'1e39' is not finite")
                .hasNoCause();
    }
}
