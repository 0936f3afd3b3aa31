package io.edgestream.clients.consume;

import io.edgestream.imaging.image.ImageF32;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a float32 map as a NumPy {@code .npy} file, format version 1.0, so that {@code
 * numpy.load(path)} returns exactly the values the pipeline computed: dtype {@code '<f4'}
 * (little-endian IEEE-754 float32, bit patterns copied unchanged, NaN payloads included), C order,
 * shape {@code (height, width)} for one channel or {@code (height, width, channels)} otherwise.
 *
 * <p>Layout (numpy.lib.format): the magic {@code \x93NUMPY}, version bytes {@code 01 00}, a
 * little-endian uint16 header length, an ASCII Python dict literal padded with spaces and ending in
 * {@code \n} so that the data starts at a multiple of 64 bytes, then the raw data.
 *
 * <p>Files are written to a temporary name and renamed into place, so a reader never sees half a
 * file.
 */
public final class NpyWriter {

    /** {@code \x93NUMPY}. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Alignment of the data start; NumPy has written 64 since 1.14 (the spec requires 16). */
    static final int ALIGN = 64;

    private NpyWriter() {}

    /** The header (magic through padding) for a float32 array of {@code shape}. */
    public static byte[] header(int... shape) {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("negative dimension in shape");
            }
            dims.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                dims.append(shape.length == 1 ? "," : ", ");
            }
        }
        dims.append(')');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }";
        int preamble = MAGIC.length + 2 + 2;
        int total = preamble + dict.length() + 1;
        int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
        int headerLen = padded - preamble;
        if (headerLen > 0xFFFF) {
            throw new IllegalArgumentException("shape too long for .npy version 1.0");
        }
        String text = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLen);
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /** The shape NumPy will report for a map: (h, w) for one channel, (h, w, c) otherwise. */
    public static int[] shapeOf(ImageF32 map) {
        return map.channels == 1
                ? new int[] {map.height, map.width}
                : new int[] {map.height, map.width, map.channels};
    }

    /** Writes {@code map} (any stride) to {@code out}. */
    public static void write(ImageF32 map, OutputStream out) throws IOException {
        out.write(header(shapeOf(map)));
        int row = map.width * map.channels;
        ByteBuffer buf = ByteBuffer.allocate(row * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < map.height; y++) {
            buf.clear();
            // asFloatBuffer().put copies raw bits: NaN payloads and -0.0 survive.
            buf.asFloatBuffer().put(map.data, map.offset + y * map.stride, row);
            out.write(buf.array(), 0, row * 4);
        }
    }

    /** Writes {@code map} to {@code path} atomically (temporary file, then rename). */
    public static void write(ImageF32 map, Path path) throws IOException {
        write(map, path, false);
    }

    /**
     * Writes {@code map} to {@code path} atomically; with {@code durable} also forced to disk
     * before and after the rename ({@link AtomicFiles}).
     */
    public static void write(ImageF32 map, Path path, boolean durable) throws IOException {
        AtomicFiles.write(path, ".npy", durable, out -> write(map, out));
    }
}
