package io.edgestream.schemas.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * IEEE 754 binary16 ("half", NumPy {@code float16}) for feature-map data of type {@code
 * FLOAT16_LE}: conversion from float32 rounds to nearest, ties to even (as NumPy's {@code
 * astype(np.float16)} and Java 20's {@code Float.floatToFloat16}); conversion back is exact.
 *
 * <p>binary16 holds every integer of magnitude up to 2048 exactly, and 11 significant bits
 * otherwise; its largest finite value is 65504 (larger magnitudes become infinities), and its
 * smallest subnormal is 2^-24.
 */
public final class Float16 {
    private Float16() {}

    private static final int F32_INF = 0x7f800000;

    /** 65536f: magnitudes from here on (and rounding up from 65520) become infinity. */
    private static final int F16_OVERFLOW = (127 + 16) << 23;

    /** 2^-14f, the smallest normal half. */
    private static final int F16_MIN_NORMAL = 113 << 23;

    /** Adding this float moves a subnormal's bits into the low mantissa, rounding as IEEE does. */
    private static final int DENORMAL_MAGIC = ((127 - 15) + (23 - 10) + 1) << 23;

    /** The binary16 bits nearest to {@code f} (ties to even); NaN gives a quiet NaN. */
    public static short fromFloat(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        x &= 0x7fffffff;
        int h;
        if (x >= F16_OVERFLOW) {
            h = x > F32_INF ? 0x7e00 | ((x >>> 13) & 0x3ff) : 0x7c00;
        } else if (x < F16_MIN_NORMAL) {
            float sum = Float.intBitsToFloat(x) + Float.intBitsToFloat(DENORMAL_MAGIC);
            h = Float.floatToRawIntBits(sum) - DENORMAL_MAGIC;
        } else {
            int mantissaOdd = (x >>> 13) & 1;
            x += ((15 - 127) << 23) + 0xfff + mantissaOdd;
            h = x >>> 13;
        }
        return (short) (h | sign);
    }

    /** The float32 value of binary16 bits {@code h} (exact). */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | F32_INF | (mantissa << 13));
        }
        if (exp == 0) {
            float v = mantissa * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mantissa << 13));
    }

    /** {@code values} as little-endian binary16, 2 bytes each. */
    public static byte[] encodeLittleEndian(float[] values) {
        byte[] out = new byte[values.length * 2];
        encodeLittleEndian(values, 0, values.length, out, 0);
        return out;
    }

    /**
     * {@code values[from, from + count)} as little-endian binary16 into {@code out} from {@code
     * pos}.
     */
    public static void encodeLittleEndian(
            float[] values, int from, int count, byte[] out, int pos) {
        for (int i = from, j = pos, end = from + count; i < end; i++, j += 2) {
            short h = fromFloat(values[i]);
            out[j] = (byte) h;
            out[j + 1] = (byte) (h >>> 8);
        }
    }

    /** Little-endian binary16 from {@code data}'s position to its limit, widened to float32. */
    public static float[] decodeLittleEndian(ByteBuffer data) {
        if (data.remaining() % 2 != 0) {
            throw new IllegalArgumentException(
                    "float16 data has an odd number of bytes (" + data.remaining() + ")");
        }
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = toFloat(b.getShort());
        }
        return out;
    }
}
