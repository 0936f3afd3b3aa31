package io.edgestream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.schemas.MapDataType;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MapSamplesTest {

    @Test
    void everyTypeHasItsSampleSize() {
        assertThat(MapSamples.bytesPerSample(MapDataType.FLOAT32_LE)).isEqualTo(4);
        assertThat(MapSamples.bytesPerSample(MapDataType.FLOAT16_LE)).isEqualTo(2);
        assertThat(MapSamples.bytesPerSample(MapDataType.INT16_LE)).isEqualTo(2);
        assertThat(MapSamples.bytesPerSample(MapDataType.UINT8)).isEqualTo(1);
        float[] v = {1, 2, 3, 4, 5};
        for (MapDataType t : MapDataType.values()) {
            assertThat(MapSamples.encode(v, t, 1f, 0f))
                    .as("%s bytes", t)
                    .hasSize(v.length * MapSamples.bytesPerSample(t));
        }
    }

    @Test
    void float32RoundTripsBitForBit() {
        float[] v = {0f, -0f, 1.5f, -1e30f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE};
        byte[] b = MapSamples.encode(v, MapDataType.FLOAT32_LE, 1f, 0f);
        assertThat(b).startsWith(0, 0, 0, 0, 0, 0, 0, (byte) 0x80); // little-endian, -0 kept
        assertThat(MapSamples.decode(ByteBuffer.wrap(b), MapDataType.FLOAT32_LE, 1f, 0f))
                .usingElementComparator(MapSamplesTest::compareBits)
                .containsExactly(v);
    }

    @Test
    void int16IsExactOverItsWholeRangeAndLittleEndian() {
        float[] v = new float[65536];
        for (int i = 0; i < v.length; i++) {
            v[i] = i - 32768;
        }
        byte[] b = MapSamples.encode(v, MapDataType.INT16_LE, 1f, 0f);
        assertThat(b).startsWith(0x00, 0x80, 0x01, 0x80); // -32768, -32767
        float[] back = MapSamples.decode(ByteBuffer.wrap(b), MapDataType.INT16_LE, 1f, 0f);
        assertThat(back).containsExactly(v);
    }

    @Test
    void int16RefusesWhatItCannotHoldExactly() {
        for (float bad :
                new float[] {
                    32768f, -32769f, 0.5f, -1.25f, Float.NaN, Float.POSITIVE_INFINITY, 1e9f
                }) {
            assertThatThrownBy(
                            () ->
                                    MapSamples.encode(
                                            new float[] {0, bad}, MapDataType.INT16_LE, 1f, 0f))
                    .as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sample 1 = " + bad)
                    .hasMessageContaining("FLOAT32_LE");
        }
    }

    @Test
    void float16DecodesToTheNearestHalf() {
        float[] v = {0.1f, 2049f, -65504f, 1e6f};
        float[] back =
                MapSamples.decode(
                        ByteBuffer.wrap(MapSamples.encode(v, MapDataType.FLOAT16_LE, 1f, 0f)),
                        MapDataType.FLOAT16_LE,
                        1f,
                        0f);
        for (int i = 0; i < v.length; i++) {
            assertThat(back[i]).isEqualTo(Float16.toFloat(Float16.fromFloat(v[i])));
        }
    }

    @Test
    void uint8CodesAreNearestClampedAndNanIsZero() {
        // Range [-1020, 1020] (Sobel x of 8-bit input): a step of 8 from -1020.
        float scale = MapSamples.uint8Scale(-1020, 1020);
        assertThat(scale).isEqualTo(8f);
        float offset = -1020f;
        byte[] b =
                MapSamples.encode(
                        new float[] {
                            -1020,
                            1020,
                            0,
                            3.9f,
                            4.1f,
                            -5000,
                            5000,
                            Float.NaN,
                            Float.NEGATIVE_INFINITY,
                            Float.POSITIVE_INFINITY
                        },
                        MapDataType.UINT8,
                        scale,
                        offset);
        assertThat(b)
                .containsExactly(
                        0,
                        (byte) 255,
                        (byte) 128,
                        (byte) 128,
                        (byte) 128,
                        0,
                        (byte) 255,
                        0,
                        0,
                        (byte) 255);
        // 0 lies 127.5 steps above -1020: the tie goes to the even code 128.
        float[] back = MapSamples.decode(ByteBuffer.wrap(b), MapDataType.UINT8, scale, offset);
        assertThat(back[0]).isEqualTo(-1020f);
        assertThat(back[1]).isEqualTo(1020f);
        assertThat(back[2]).isEqualTo(4f);
    }

    @Test
    void uint8RoundTripIsWithinHalfAStep() {
        Random rnd = new Random(7);
        double[][] ranges = {{-1020, 1020}, {0, 1442.5}, {-3.7e4, 1.1e5}, {0.25, 0.75}, {5, 5}};
        for (double[] r : ranges) {
            float scale = MapSamples.uint8Scale(r[0], r[1]);
            float offset = (float) r[0];
            float[] v = new float[20_000];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r[0] + rnd.nextDouble() * (r[1] - r[0]));
            }
            v[0] = (float) r[0];
            v[1] = (float) r[1];
            float[] back =
                    MapSamples.decode(
                            ByteBuffer.wrap(MapSamples.encode(v, MapDataType.UINT8, scale, offset)),
                            MapDataType.UINT8,
                            scale,
                            offset);
            // Half a step, plus the float32 rounding of the dequantized value.
            double bound = scale / 2.0 + Math.ulp((float) Math.max(Math.abs(r[0]), Math.abs(r[1])));
            for (int i = 0; i < v.length; i++) {
                assertThat(Math.abs((double) back[i] - v[i]))
                        .as("range %s..%s value %s", r[0], r[1], v[i])
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void uint8NeedsAPositiveScale() {
        assertThatThrownBy(() -> MapSamples.encode(new float[] {1}, MapDataType.UINT8, 0f, 0f))
                .hasMessageContaining("scale > 0");
        assertThat(MapSamples.uint8Scale(3, 3)).isPositive();
        assertThatThrownBy(() -> MapSamples.uint8Scale(1, Double.NaN))
                .hasMessageContaining("finite");
    }

    @Test
    void decodeRefusesAPartialSample() {
        assertThatThrownBy(
                        () ->
                                MapSamples.decode(
                                        ByteBuffer.wrap(new byte[3]), MapDataType.INT16_LE, 1f, 0f))
                .hasMessageContaining("INT16_LE data has 3 bytes, not a multiple of 2");
    }

    private static int compareBits(Float a, Float b) {
        return Integer.compare(Float.floatToRawIntBits(a), Float.floatToRawIntBits(b));
    }
}
