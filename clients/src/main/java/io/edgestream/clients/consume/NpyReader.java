package io.edgestream.clients.consume;

import io.edgestream.imaging.image.ImageF32;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code .npy} files this project writes, and the common 2-D/3-D image arrays people have
 * at hand: versions 1.0 to 3.0, C order, dtype {@code <f4}, {@code <f8}, {@code |u1} or {@code
 * <u2}, shape {@code (h, w)} or {@code (h, w, c)}. Used by {@code convolve} (so a matrix from NumPy
 * can be convolved) and by tests that check what {@link NpyWriter} wrote.
 */
public final class NpyReader {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private NpyReader() {}

    /** Reads {@code path} into a compact image (values converted to float). */
    public static ImageF32 read(Path path) throws IOException {
        return read(Files.readAllBytes(path), path.toString());
    }

    /**
     * Parses {@code bytes}; {@code where} names the source in errors.
     *
     * @throws IOException if the bytes are not a supported .npy array
     */
    public static ImageF32 read(byte[] bytes, String where) throws IOException {
        if (bytes.length < 10) {
            throw new IOException(where + ": too short for a .npy file");
        }
        for (int i = 0; i < NpyWriter.MAGIC.length; i++) {
            if (bytes[i] != NpyWriter.MAGIC[i]) {
                throw new IOException(where + ": not a .npy file (no \\x93NUMPY magic)");
            }
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(b.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = b.getInt(8);
            start = 12;
        } else {
            throw new IOException(where + ": unsupported .npy version " + major);
        }
        if (start + headerLen > bytes.length) {
            throw new IOException(where + ": header runs past the end of the file");
        }
        String header =
                new String(
                        bytes,
                        start,
                        headerLen,
                        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, where, "descr");
        if (group(FORTRAN, header, where, "fortran_order").equals("True")) {
            throw new IOException(
                    where + ": Fortran-order arrays are not supported; save with C order");
        }
        String[] dims = group(SHAPE, header, where, "shape").split(",");
        int[] shape = new int[3];
        int n = 0;
        for (String d : dims) {
            if (!d.isBlank()) {
                if (n == 3) {
                    throw new IOException(where + ": only 2-D or 3-D arrays are images");
                }
                shape[n++] = Integer.parseInt(d.trim());
            }
        }
        if (n < 2) {
            throw new IOException(where + ": only 2-D (h, w) or 3-D (h, w, c) arrays are images");
        }
        int h = shape[0];
        int w = shape[1];
        int c = n == 3 ? shape[2] : 1;
        long count = (long) h * w * c;
        int data = start + headerLen;
        int size;
        switch (descr) {
            case "<f4":
                size = 4;
                break;
            case "<f8":
                size = 8;
                break;
            case "|u1":
            case "<u1":
                size = 1;
                break;
            case "<u2":
                size = 2;
                break;
            default:
                throw new IOException(
                        where
                                + ": dtype "
                                + descr
                                + " is not supported (use <f4, <f8, |u1 or <u2)");
        }
        if (data + count * size != bytes.length) {
            throw new IOException(
                    where
                            + ": expected "
                            + count * size
                            + " data bytes for shape "
                            + h
                            + "x"
                            + w
                            + "x"
                            + c
                            + " but found "
                            + (bytes.length - data));
        }
        float[] out = new float[Math.toIntExact(count)];
        for (int i = 0; i < out.length; i++) {
            int at = data + i * size;
            switch (size) {
                case 4:
                    out[i] = b.getFloat(at);
                    break;
                case 8:
                    out[i] = (float) b.getDouble(at);
                    break;
                case 2:
                    out[i] = Short.toUnsignedInt(b.getShort(at));
                    break;
                default:
                    out[i] = Byte.toUnsignedInt(bytes[at]);
            }
        }
        return ImageF32.wrap(out, w, h, c);
    }

    private static String group(Pattern p, String header, String where, String key)
            throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(where + ": .npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }
}
