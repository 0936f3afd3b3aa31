package io.edgestream.imaging.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * 8-bit samples widened to float on every engine (vector lanes and scalar tails) against the plain
 * {@code b & 0xff}: every byte value, every length up to a few vectors, offsets on both sides, and
 * nothing written outside the range.
 */
class WidenU8Test {

    @Test
    void everyEngineWidensEveryByteToItsUnsignedValue() {
        byte[] in = new byte[300];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) (i * 37 + 11); // every value 0..255 occurs
        }
        for (ConvEngine e : Engines.all()) {
            for (int n = 0; n <= 80; n++) {
                for (int a : new int[] {0, 1, 7, 200}) {
                    int o = 3;
                    float[] out = new float[o + n + 2];
                    Arrays.fill(out, -1f);
                    e.widenU8(in, a, out, o, n);
                    for (int i = 0; i < out.length; i++) {
                        float want = i >= o && i < o + n ? in[a + i - o] & 0xff : -1f;
                        assertThat(out[i])
                                .as("%s n %d a %d at %d", e.name(), n, a, i)
                                .isEqualTo(want);
                    }
                }
            }
        }
    }

    @Test
    void theWholeByteRangeComesBackExactly() {
        byte[] in = new byte[256];
        for (int i = 0; i < 256; i++) {
            in[i] = (byte) i;
        }
        for (ConvEngine e : Engines.all()) {
            float[] out = new float[256];
            e.widenU8(in, 0, out, 0, 256);
            for (int i = 0; i < 256; i++) {
                assertThat(Float.floatToRawIntBits(out[i]))
                        .as("%s %d", e.name(), i)
                        .isEqualTo(Float.floatToRawIntBits(i));
            }
        }
    }

    @Test
    void aRangeOutsideAnArrayIsRefused() {
        assertThatThrownBy(() -> Convolution.widenU8(new byte[4], 1, new float[8], 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Convolution.widenU8(new byte[8], 0, new float[3], 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
