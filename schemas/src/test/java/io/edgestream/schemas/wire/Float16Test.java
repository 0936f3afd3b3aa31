package io.edgestream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void knownValues() {
        assertThat(Float16.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Float16.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(Float16.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(Float16.fromFloat(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(Float16.fromFloat(0x1p-14f)).isEqualTo((short) 0x0400);
        assertThat(Float16.fromFloat(0.1f)).isEqualTo((short) 0x2e66);
        assertThat(Float16.fromFloat(-0f)).isEqualTo((short) 0x8000);
        assertThat(Float16.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
        assertThat(Float16.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(Float16.fromFloat(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(Float16.toFloat(Float16.fromFloat(Float.NaN))).isNaN();
        assertThat(Float16.toFloat((short) 0x3555)).isEqualTo(0.33325195f);
    }

    @Test
    void everyHalfWidensExactlyAndNarrowsBackToItself() {
        for (int h = 0; h < 0x10000; h++) {
            int exp = (h >>> 10) & 0x1f;
            float f = Float16.toFloat((short) h);
            if (exp == 0x1f && (h & 0x3ff) != 0) {
                assertThat(f).isNaN();
                continue;
            }
            assertThat(Float16.fromFloat(f) & 0xffff).as("half 0x%04x (%s)", h, f).isEqualTo(h);
        }
    }

    @Test
    void integersUpTo2048AreExact() {
        for (int i = -2048; i <= 2048; i++) {
            assertThat(Float16.toFloat(Float16.fromFloat(i))).isEqualTo((float) i);
        }
        assertThat(Float16.toFloat(Float16.fromFloat(2049))).isEqualTo(2048f); // tie -> even
        assertThat(Float16.toFloat(Float16.fromFloat(2051))).isEqualTo(2052f); // tie -> even
    }

    @Test
    void valuesBetweenTwoHalvesRoundToTheNearestAndTiesToEven() {
        // Every pair of adjacent finite halves of one sign, including the subnormal range and the
        // step from 65504 to infinity (whose midpoint 65520 rounds to infinity).
        for (int h = 0; h < 0x7c00; h++) {
            for (int sign : new int[] {0, 0x8000}) {
                short lo = (short) (h | sign);
                short hi = (short) ((h + 1) | sign);
                double a = Float16.toFloat(lo);
                double b = h + 1 == 0x7c00 ? Math.copySign(65536.0, a) : Float16.toFloat(hi);
                float mid = (float) ((a + b) / 2); // exact: 12 significant bits
                short even = (h & 1) == 0 ? lo : hi;
                assertThat(Float16.fromFloat(mid)).as("midpoint of 0x%04x", lo).isEqualTo(even);
                if (h > 0 || sign == 0) {
                    float towardsLo = sign == 0 ? Math.nextDown(mid) : Math.nextUp(mid);
                    float towardsHi = sign == 0 ? Math.nextUp(mid) : Math.nextDown(mid);
                    assertThat(Float16.fromFloat(towardsLo)).isEqualTo(lo);
                    assertThat(Float16.fromFloat(towardsHi)).isEqualTo(hi);
                }
            }
        }
    }

    @Test
    void randomFloatsRoundToTheNearestHalf() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 1_000_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isFinite(f) || Math.abs(f) >= 65520f) {
                continue;
            }
            short h = Float16.fromFloat(f);
            double got = Float16.toFloat(h);
            double up = Float16.toFloat((short) (h + 1));
            double down = Float16.toFloat((short) (h - 1));
            double err = Math.abs(got - f);
            if ((h & 0x7fff) != 0x7bff) {
                assertThat(err).isLessThanOrEqualTo(Math.abs(up - f));
            }
            if ((h & 0x7fff) != 0) {
                assertThat(err).isLessThanOrEqualTo(Math.abs(down - f));
            }
        }
    }

    @Test
    void bulkEncodingIsLittleEndianAndRoundTrips() {
        float[] values = {1f, -2f, 0.5f, 1000f, -0f};
        byte[] bytes = Float16.encodeLittleEndian(values);
        assertThat(bytes).hasSize(10);
        assertThat(bytes[0]).isEqualTo((byte) 0x00);
        assertThat(bytes[1]).isEqualTo((byte) 0x3c);
        assertThat(Float16.decodeLittleEndian(ByteBuffer.wrap(bytes))).containsExactly(values);
    }
}
