package io.edgestream.imaging.decode;

/**
 * The frame header (SOF) of a JPEG, found by walking the marker segments, plus a check that the
 * entropy-coded data is followed by an end-of-image marker. Reading this ourselves lets the decoder
 * refuse oversized images before ImageIO allocates anything, and catch truncated files that libjpeg
 * would otherwise pad with grey and report only as a warning.
 */
final class JpegHeader {
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;

    final int width;
    final int height;
    final int precision;
    final int components;

    /** Offset of the first SOS marker, or -1 if the walk stopped at the frame header. */
    final int firstScan;

    private JpegHeader(int width, int height, int precision, int components, int firstScan) {
        this.width = width;
        this.height = height;
        this.precision = precision;
        this.components = components;
        this.firstScan = firstScan;
    }

    static boolean hasSignature(byte[] b) {
        return b != null
                && b.length >= 3
                && (b[0] & 0xFF) == 0xFF
                && (b[1] & 0xFF) == SOI
                && (b[2] & 0xFF) == 0xFF;
    }

    /**
     * Walks marker segments to the frame header, and with {@code toFirstScan} on to the first SOS
     * (needed for the end-of-image check).
     */
    static JpegHeader read(byte[] b, boolean toFirstScan) throws ImageDecodeException {
        if (!hasSignature(b)) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    "payload is not a JPEG: it does not start with the SOI marker FF D8 (first"
                            + " bytes "
                            + Bytes.hexPrefix(b, 8)
                            + "); check the encoding field");
        }
        int pos = 2;
        int width = -1;
        int height = -1;
        int precision = -1;
        int components = -1;
        while (true) {
            if (pos + 2 > b.length) {
                throw truncated(b, "before " + (width < 0 ? "its frame header" : "its image data"));
            }
            if ((b[pos] & 0xFF) != 0xFF) {
                throw new ImageDecodeException(
                        DecodeFailure.UNDECODABLE_IMAGE,
                        "JPEG has no marker at offset "
                                + pos
                                + " (found byte "
                                + String.format("%02X", b[pos] & 0xFF)
                                + "); the file is corrupt");
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                pos++;
                continue;
            }
            if (marker == TEM || marker == SOI || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // standalone markers carry no length
                continue;
            }
            if (marker == EOI || (marker == SOS && width < 0)) {
                throw new ImageDecodeException(
                        DecodeFailure.UNDECODABLE_IMAGE,
                        "JPEG reaches "
                                + (marker == EOI ? "its end" : "image data")
                                + " at offset "
                                + pos
                                + " without a frame header (SOF); the file is corrupt");
            }
            if (marker == SOS) {
                return new JpegHeader(width, height, precision, components, pos);
            }
            if (pos + 4 > b.length) {
                throw truncated(b, "inside the segment header at offset " + pos);
            }
            int segLen = Bytes.uint16be(b, pos + 2);
            if (segLen < 2) {
                throw new ImageDecodeException(
                        DecodeFailure.UNDECODABLE_IMAGE,
                        "JPEG segment FF"
                                + String.format("%02X", marker)
                                + " at offset "
                                + pos
                                + " has invalid length "
                                + segLen
                                + "; the file is corrupt");
            }
            if (isSof(marker)) {
                if (pos + 2 + segLen > b.length || segLen < 8) {
                    throw truncated(b, "inside its frame header at offset " + pos);
                }
                precision = b[pos + 4] & 0xFF;
                height = Bytes.uint16be(b, pos + 5);
                width = Bytes.uint16be(b, pos + 7);
                components = b[pos + 9] & 0xFF;
                if (!toFirstScan) {
                    return new JpegHeader(width, height, precision, components, -1);
                }
            }
            pos += 2 + segLen;
        }
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isSof(int marker) {
        return marker >= 0xC0
                && marker <= 0xCF
                && marker != 0xC4
                && marker != 0xC8
                && marker != 0xCC;
    }

    /**
     * Whether an EOI marker follows the first scan. Entropy-coded data escapes every FF byte (FF
     * 00) and only RSTn markers may appear inside it, so the first FF D9 after the first SOS is the
     * real end of image; an EOI inside an embedded EXIF thumbnail comes before the SOS and is not
     * counted. The common case (EOI in the last two bytes) costs nothing.
     */
    boolean hasEndOfImage(byte[] b) {
        int n = b.length;
        if (n >= 2 && (b[n - 2] & 0xFF) == 0xFF && (b[n - 1] & 0xFF) == EOI) {
            return true;
        }
        for (int i = Math.max(firstScan, 0); i < n - 1; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) EOI) {
                return true;
            }
        }
        return false;
    }

    /**
     * Channels the decoder produces: 1 for greyscale, 3 for everything in colour (YCbCr, RGB, CMYK
     * and YCCK are all converted to RGB), 1 for the rare grey+alpha (alpha dropped).
     */
    int outputChannels() {
        return components <= 2 ? 1 : 3;
    }

    private static ImageDecodeException truncated(byte[] b, String where) {
        return new ImageDecodeException(
                DecodeFailure.TRUNCATED_IMAGE,
                "JPEG ends after " + b.length + " bytes, " + where + "; resend the complete file");
    }
}
