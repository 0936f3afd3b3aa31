package io.edgestream.imaging.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Float samples narrowed to little-endian int16 on every engine (vector lanes and scalar tails)
 * against the plain reference: a sample is written iff it is an integer in [-32768, 32767] (checked
 * with doubles and {@code Math.rint}, not with the cast the engines use), as its two's complement
 * low byte then high byte; the first other sample stops the write and is reported; nothing is
 * written outside the range.
 */
class NarrowInt16Test {

    /** The reference: index of the first sample that is not an exact int16, or -1. */
    private static int firstNotInt16(float[] in, int a, int n) {
        for (int i = 0; i < n; i++) {
            double v = in[a + i];
            if (!(v == Math.rint(v) && v >= -32768 && v <= 32767)) {
                return i;
            }
        }
        return -1;
    }

    private static void check(ConvEngine e, float[] in, int a, int n, String what) {
        int o = 5;
        byte[] out = new byte[o + 2 * n + 3];
        Arrays.fill(out, (byte) 0x5a);
        int got = e.narrowInt16LE(in, a, out, o, n);
        int want = firstNotInt16(in, a, n);
        assertThat(got).as("%s %s: first sample that is not int16", e.name(), what).isEqualTo(want);
        int written = want < 0 ? n : want;
        for (int i = 0; i < out.length; i++) {
            int k = (i - o) / 2;
            byte expected;
            if (i >= o && i < o + 2 * written) {
                int s = (int) in[a + k];
                expected = (byte) (((i - o) % 2 == 0) ? s : s >> 8);
            } else {
                expected = (byte) 0x5a;
            }
            assertThat(out[i]).as("%s %s: byte %d", e.name(), what, i).isEqualTo(expected);
        }
    }

    @Test
    void integersInRangeAreWrittenLittleEndianOnEveryEngine() {
        Random r = new Random(13);
        float[] in = new float[400];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextInt(65536) - 32768;
        }
        in[3] = -32768;
        in[4] = 32767;
        in[5] = -0.0f;
        in[6] = 0f;
        for (ConvEngine e : Engines.all()) {
            for (int n = 0; n <= 90; n++) {
                for (int a : new int[] {0, 1, 7, 300}) {
                    check(e, in, a, n, "n " + n + " a " + a);
                }
            }
        }
    }

    @Test
    void theFirstSampleThatIsNotAnInt16StopsTheWriteWhereverItFalls() {
        float[] bad = {
            0.5f,
            -0.25f,
            32768f,
            -32769f,
            1e9f,
            -1e9f,
            65536f,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE,
            32767.5f
        };
        for (ConvEngine e : Engines.all()) {
            for (float b : bad) {
                for (int at : new int[] {0, 1, 15, 16, 17, 31, 33, 63, 70}) {
                    float[] in = new float[72];
                    for (int i = 0; i < in.length; i++) {
                        in[i] = i - 36;
                    }
                    in[at] = b;
                    check(e, in, 0, in.length, "bad " + b + " at " + at);
                    in[Math.min(at + 3, in.length - 1)] = Float.NaN; // a later one is not the one
                    check(e, in, 0, in.length, "bad " + b + " at " + at + " then NaN");
                }
            }
        }
    }

    @Test
    void aRangeOutsideAnArrayIsRefused() {
        assertThatThrownBy(() -> Convolution.narrowInt16LE(new float[4], 1, new byte[8], 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Convolution.narrowInt16LE(new float[4], 0, new byte[7], 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Convolution.narrowInt16LE(new float[4], 0, new byte[9], 2, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(Convolution.narrowInt16LE(new float[4], 0, new byte[9], 1, 4)).isEqualTo(-1);
    }
}
