package io.edgestream.imaging.conv;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernels;

/**
 * The worked examples of docs/convolution.md with their golden outputs, shared by the default test
 * run and the scalar-fallback run (which has no Vector API module).
 */
final class Golden {
    private Golden() {}

    static final float[][] EXAMPLE1_IMAGE = {
        {3, 0, 1, 2, 7, 4},
        {1, 5, 8, 9, 3, 1},
        {2, 7, 2, 5, 1, 3},
        {0, 1, 3, 1, 7, 8},
        {4, 2, 1, 6, 2, 8},
        {2, 4, 5, 2, 3, 9},
    };

    static final float[][] EXAMPLE1_OUTPUT = {
        {-5, -4, 0, 8},
        {-10, -2, 2, 3},
        {0, -2, -4, -7},
        {-3, -2, -3, -16},
    };

    /** Left half bright (10), right half dark (0). */
    static final float[][] EXAMPLE2_IMAGE = {
        {10, 10, 10, 0, 0, 0},
        {10, 10, 10, 0, 0, 0},
        {10, 10, 10, 0, 0, 0},
        {10, 10, 10, 0, 0, 0},
        {10, 10, 10, 0, 0, 0},
        {10, 10, 10, 0, 0, 0},
    };

    static final float[][] EXAMPLE2_OUTPUT = {
        {0, 30, 30, 0},
        {0, 30, 30, 0},
        {0, 30, 30, 0},
        {0, 30, 30, 0},
    };

    static ImageF32 image(float[][] rows) {
        int h = rows.length;
        int w = rows[0].length;
        ImageF32 img = ImageF32.allocate(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, rows[y][x]);
            }
        }
        return img;
    }

    static float[][] rows(ImageF32 img) {
        float[][] out = new float[img.height][img.width];
        for (int y = 0; y < img.height; y++) {
            for (int x = 0; x < img.width; x++) {
                out[y][x] = img.get(x, y);
            }
        }
        return out;
    }

    static float[][] transpose(float[][] m) {
        float[][] t = new float[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    static float[][] mirror(float[][] m) {
        float[][] t = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            t[i] = new float[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                t[i][j] = m[i][m[i].length - 1 - j];
            }
        }
        return t;
    }

    static float[][] scaled(float[][] m, float f) {
        float[][] t = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            t[i] = new float[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                t[i][j] = m[i][j] * f + 0f; // + 0f turns -0 into +0
            }
        }
        return t;
    }

    static float[][] convolveValid(float[][] image, io.edgestream.imaging.kernel.Kernel k) {
        return rows(Convolution.convolve(image(image), k, ConvParams.DEFAULT));
    }

    /** Runs every worked example through the active path and asserts the golden values. */
    static void assertAllExamples() {
        assertThat(convolveValid(EXAMPLE1_IMAGE, Kernels.VERTICAL)).isEqualTo(EXAMPLE1_OUTPUT);
        assertThat(convolveValid(EXAMPLE2_IMAGE, Kernels.VERTICAL)).isEqualTo(EXAMPLE2_OUTPUT);
        assertThat(convolveValid(mirror(EXAMPLE2_IMAGE), Kernels.VERTICAL))
                .isEqualTo(scaled(EXAMPLE2_OUTPUT, -1));
        assertThat(convolveValid(EXAMPLE2_IMAGE, Kernels.HORIZONTAL)).isEqualTo(new float[4][4]);
        assertThat(convolveValid(transpose(EXAMPLE2_IMAGE), Kernels.HORIZONTAL))
                .isEqualTo(transpose(EXAMPLE2_OUTPUT));
    }
}
