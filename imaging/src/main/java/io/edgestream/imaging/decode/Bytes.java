package io.edgestream.imaging.decode;

/** Small byte-reading helpers for header parsing, bounds-checked by the callers. */
final class Bytes {
    private Bytes() {}

    static int int32be(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24)
                | ((b[i + 1] & 0xFF) << 16)
                | ((b[i + 2] & 0xFF) << 8)
                | (b[i + 3] & 0xFF);
    }

    static int uint16be(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    /** Up to {@code n} bytes from {@code from} as printable ASCII ('?' for anything else). */
    static String ascii(byte[] b, int from, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = from; i < Math.min(b.length, from + n); i++) {
            int c = b[i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString();
    }

    /** The first {@code n} bytes in hex, for messages about unrecognised data. */
    static String hexPrefix(byte[] b, int n) {
        if (b == null || b.length == 0) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
