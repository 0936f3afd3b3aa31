package io.edgestream.schemas.wire;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Feature-map samples to and from the bytes of {@code FeatureMapTile.data}, for every {@link
 * MapDataType}. Every type decodes to float32 as {@code value = stored * scale + offset}, evaluated
 * in float32 (one multiplication, then one addition, each rounded), which is what NumPy's {@code
 * a.astype(np.float32) * np.float32(scale) + np.float32(offset)} computes too. The exact types
 * carry {@code scale} 1 and {@code offset} 0, and their stored values are taken as they are (so a
 * {@code -0.0} stays {@code -0.0}).
 *
 * <ul>
 *   <li>{@code FLOAT32_LE}: 4 bytes per sample, the float32 value itself.
 *   <li>{@code FLOAT16_LE}: 2 bytes, IEEE binary16 rounded to nearest even ({@link Float16}).
 *   <li>{@code INT16_LE}: 2 bytes, two's complement. Exact: {@link #encode} refuses a value that is
 *       not an integer in [-32768, 32767], so a writer can never clip or round one.
 *   <li>{@code UINT8}: 1 byte, {@code stored = round((value - offset) / scale)} (to nearest, ties
 *       to even, in double precision) clamped to [0, 255]; NaN is stored as 0. Lossy, for viewers:
 *       a value in {@code [offset, offset + 255 * scale]} comes back within {@code scale / 2}, plus
 *       the float32 rounding of the dequantization.
 * </ul>
 */
public final class MapSamples {
    private MapSamples() {}

    /** Largest UINT8 code. */
    public static final int UINT8_MAX = 255;

    /** Bytes per sample of {@code type}. */
    public static int bytesPerSample(MapDataType type) {
        return switch (type) {
            case FLOAT32_LE -> 4;
            case FLOAT16_LE, INT16_LE -> 2;
            case UINT8 -> 1;
        };
    }

    /**
     * The UINT8 scale for values in {@code [min, max]}: {@code (max - min) / 255} as a float, at
     * least the smallest positive float (a range of one value still needs a step).
     */
    public static float uint8Scale(double min, double max) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && min <= max)) {
            throw new IllegalArgumentException(
                    "UINT8 range must be finite with min <= max, got [" + min + ", " + max + "]");
        }
        float scale = (float) ((max - min) / UINT8_MAX);
        return scale > 0 ? scale : Float.MIN_VALUE;
    }

    /**
     * {@code values} as the bytes of {@code type}; {@code scale} and {@code offset} are used by
     * UINT8 only (the exact types need 1 and 0).
     *
     * @throws IllegalArgumentException for INT16_LE if a value is not an integer in [-32768, 32767]
     *     (naming the first one), or for a non-positive or non-finite UINT8 scale
     */
    public static byte[] encode(float[] values, MapDataType type, float scale, float offset) {
        checkUint8(type, scale, offset);
        byte[] out = new byte[values.length * bytesPerSample(type)];
        encodeInto(values, 0, values.length, type, scale, offset, out, 0);
        return out;
    }

    /**
     * {@code values[from, from + count)} as the bytes of {@code type}, written to {@code out} from
     * {@code pos} on ({@code count * bytesPerSample(type)} bytes): the bytes {@link #encode}
     * returns for those values, without an array of their own (a record encoder writes them
     * straight into the record's bytes).
     *
     * @throws IllegalArgumentException as {@link #encode} (sample numbers count from {@code from});
     *     {@code out} may then hold part of the samples
     */
    public static void encodeInto(
            float[] values,
            int from,
            int count,
            MapDataType type,
            float scale,
            float offset,
            byte[] out,
            int pos) {
        switch (type) {
            case FLOAT32_LE ->
                    ByteBuffer.wrap(out, pos, count * 4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .asFloatBuffer()
                            .put(values, from, count);
            case FLOAT16_LE -> Float16.encodeLittleEndian(values, from, count, out, pos);
            case INT16_LE -> encodeInt16(values, from, count, out, pos);
            case UINT8 -> {
                checkUint8(type, scale, offset);
                encodeUint8(values, from, count, scale, offset, out, pos);
            }
        }
    }

    private static void encodeUint8(
            float[] values, int from, int count, double scale, double offset, byte[] out, int pos) {
        for (int i = from, j = pos, end = from + count; i < end; i++, j++) {
            out[j] = (byte) quantize(values[i], scale, offset);
        }
    }

    private static void encodeInt16(float[] values, int from, int count, byte[] out, int pos) {
        int bad = INT16_PLAIN.write(values, from, out, pos, count);
        if (bad >= 0) {
            throw notInt16(bad, values[from + bad]);
        }
    }

    /**
     * Writes {@code INT16_LE} samples: {@code in[a, a + n)} as little-endian int16 to {@code out}
     * from {@code o} on, while every sample is an integer in [-32768, 32767]. A faster writer (the
     * imaging core's vector lanes) can stand in for the plain loop {@link #INT16_PLAIN} in {@link
     * FeatureMapTileEncoder}; it must write the same bytes and stop at the same sample.
     */
    @FunctionalInterface
    public interface Int16Writer {
        /**
         * -1 when every sample was written, else the index (relative to {@code a}) of the first
         * sample that is not an integer in [-32768, 32767] (those before it are written).
         */
        int write(float[] in, int a, byte[] out, int o, int n);
    }

    /** The plain loop: {@code (short) v}, kept only where it equals {@code v}. */
    public static final Int16Writer INT16_PLAIN =
            (in, a, out, o, n) -> {
                for (int i = 0, j = o; i < n; i++, j += 2) {
                    float v = in[a + i];
                    short s = (short) v;
                    // (short) wraps around beyond int16 and truncates fractions: compare to
                    // catch both (and NaN, which becomes 0).
                    if (s != v) {
                        return i;
                    }
                    out[j] = (byte) s;
                    out[j + 1] = (byte) (s >>> 8);
                }
                return -1;
            };

    /** The error for sample {@code i} (counted from the first encoded one) of value {@code v}. */
    static IllegalArgumentException notInt16(int i, float v) {
        return new IllegalArgumentException(
                "sample "
                        + i
                        + " = "
                        + v
                        + " is not an integer in [-32768, 32767], so INT16_LE cannot hold"
                        + " it exactly; write it as FLOAT32_LE (or FLOAT16_LE)");
    }

    /** For UINT8: a finite {@code scale > 0} and a finite {@code offset}, else nothing. */
    private static void checkUint8(MapDataType type, float scale, float offset) {
        if (type == MapDataType.UINT8
                && (!(scale > 0) || Float.isInfinite(scale) || !Float.isFinite(offset))) {
            throw new IllegalArgumentException(
                    "UINT8 needs a finite scale > 0 and a finite offset, got scale "
                            + scale
                            + ", offset "
                            + offset);
        }
    }

    /** The UINT8 code of {@code v}: nearest (ties to even), clamped to [0, 255]; NaN gives 0. */
    public static int quantize(float v, double scale, double offset) {
        double q = Math.rint((v - offset) / scale);
        if (q >= UINT8_MAX) {
            return UINT8_MAX;
        }
        // NaN fails every comparison and ends here too.
        return q > 0 ? (int) q : 0;
    }

    /** The float32 samples of {@code t}, whatever its data type. */
    public static float[] decode(FeatureMapTile t) {
        return decode(t.getData(), t.getDataType(), t.getScale(), t.getOffset());
    }

    /**
     * The float32 values of the bytes of {@code type} from {@code data}'s position to its limit
     * ({@code data} itself is not moved).
     *
     * @throws IllegalArgumentException if the data is not a whole number of samples
     */
    public static float[] decode(ByteBuffer data, MapDataType type, float scale, float offset) {
        ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = bytesPerSample(type);
        if (d.remaining() % size != 0) {
            throw new IllegalArgumentException(
                    type
                            + " data has "
                            + d.remaining()
                            + " bytes, not a multiple of "
                            + size
                            + " bytes per sample");
        }
        float[] values = new float[d.remaining() / size];
        switch (type) {
            case FLOAT32_LE -> d.asFloatBuffer().get(values);
            case FLOAT16_LE -> {
                return Float16.decodeLittleEndian(d);
            }
            case INT16_LE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = d.getShort();
                }
            }
            case UINT8 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (d.get() & 0xff) * scale + offset;
                }
            }
        }
        return values;
    }
}
