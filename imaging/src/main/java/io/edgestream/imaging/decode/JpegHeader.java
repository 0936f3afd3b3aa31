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

    /** The SOF marker (C0 baseline, C1 extended, C2 progressive, C3 lossless, ...). */
    final int sofMarker;

    /** Per frame component: id, horizontal and vertical sampling factor. */
    final int[] componentIds;

    final int[] hSampling;
    final int[] vSampling;

    /** Components in the first scan, or -1 if the walk stopped at the frame header. */
    final int firstScanComponents;

    /** Whether an APP2 ICC_PROFILE segment, an APP0 JFIF or an APP14 Adobe segment came first. */
    final boolean hasIccProfile;

    final boolean hasJfif;

    /** The Adobe APP14 transform flag (0 RGB/CMYK, 1 YCbCr, 2 YCCK), or -1 without APP14. */
    final int adobeTransform;

    private JpegHeader(Builder b, int firstScan, int firstScanComponents) {
        this.width = b.width;
        this.height = b.height;
        this.precision = b.precision;
        this.components = b.components;
        this.firstScan = firstScan;
        this.sofMarker = b.sofMarker;
        this.componentIds = b.ids;
        this.hSampling = b.h;
        this.vSampling = b.v;
        this.firstScanComponents = firstScanComponents;
        this.hasIccProfile = b.icc;
        this.hasJfif = b.jfif;
        this.adobeTransform = b.adobeTransform;
    }

    /** What the marker walk has found so far. */
    private static final class Builder {
        int width = -1;
        int height = -1;
        int precision = -1;
        int components = -1;
        int sofMarker = -1;
        int[] ids = new int[0];
        int[] h = new int[0];
        int[] v = new int[0];
        boolean icc;
        boolean jfif;
        int adobeTransform = -1;
    }

    /** Progressive frames (SOF2, SOF6, SOF10, SOF14) decode scan by scan. */
    boolean progressive() {
        return sofMarker == 0xC2 || sofMarker == 0xC6 || sofMarker == 0xCA || sofMarker == 0xCE;
    }

    /** Lossless frames (SOF3, SOF7, SOF11, SOF15). */
    boolean lossless() {
        return sofMarker == 0xC3 || sofMarker == 0xC7 || sofMarker == 0xCB || sofMarker == 0xCF;
    }

    /**
     * Whether libjpeg must buffer the whole image's DCT coefficients: a progressive frame, or a
     * sequential one whose first scan does not carry every component (libjpeg's {@code
     * has_multiple_scans}).
     */
    boolean multiScan() {
        return progressive() || (firstScanComponents >= 0 && firstScanComponents < components);
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
        Builder f = new Builder();
        while (true) {
            if (pos + 2 > b.length) {
                throw truncated(
                        b, "before " + (f.width < 0 ? "its frame header" : "its image data"));
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
            if (marker == EOI || (marker == SOS && f.width < 0)) {
                throw new ImageDecodeException(
                        DecodeFailure.UNDECODABLE_IMAGE,
                        "JPEG reaches "
                                + (marker == EOI ? "its end" : "image data")
                                + " at offset "
                                + pos
                                + " without a frame header (SOF); the file is corrupt");
            }
            if (marker == SOS) {
                int scanComponents = pos + 4 < b.length ? b[pos + 4] & 0xFF : -1;
                return new JpegHeader(f, pos, scanComponents);
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
                f.sofMarker = marker;
                f.precision = b[pos + 4] & 0xFF;
                f.height = Bytes.uint16be(b, pos + 5);
                f.width = Bytes.uint16be(b, pos + 7);
                f.components = b[pos + 9] & 0xFF;
                if (segLen < 8 + 3 * f.components) {
                    throw new ImageDecodeException(
                            DecodeFailure.UNDECODABLE_IMAGE,
                            "JPEG frame header at offset "
                                    + pos
                                    + " is "
                                    + segLen
                                    + " bytes long, too short for its "
                                    + f.components
                                    + " components; the file is corrupt");
                }
                f.ids = new int[f.components];
                f.h = new int[f.components];
                f.v = new int[f.components];
                for (int i = 0; i < f.components; i++) {
                    int c = pos + 10 + 3 * i;
                    f.ids[i] = b[c] & 0xFF;
                    f.h[i] = Math.max(1, (b[c + 1] & 0xFF) >> 4);
                    f.v[i] = Math.max(1, b[c + 1] & 0x0F);
                }
                if (!toFirstScan) {
                    return new JpegHeader(f, -1, -1);
                }
            } else if (marker == 0xE0 && startsWith(b, pos + 4, segLen - 2, "JFIF\0")) {
                f.jfif = true;
            } else if (marker == 0xE2 && startsWith(b, pos + 4, segLen - 2, "ICC_PROFILE\0")) {
                f.icc = true;
            } else if (marker == 0xEE
                    && startsWith(b, pos + 4, segLen - 2, "Adobe")
                    && segLen >= 14
                    && pos + 15 < b.length) {
                f.adobeTransform = b[pos + 15] & 0xFF;
            }
            pos += 2 + segLen;
        }
    }

    /** Whether the {@code len} bytes at {@code from} start with the ASCII {@code prefix}. */
    private static boolean startsWith(byte[] b, int from, int len, String prefix) {
        if (len < prefix.length() || from + prefix.length() > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
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
     * Upper bound on the number of scans: the SOS markers from the first scan to the end of the
     * file. Entropy-coded data escapes FF, so only a real marker or the payload of a table segment
     * between scans (counted too, harmlessly) can hold FF DA. A byte scan of the file, no
     * allocation.
     */
    int countScans(byte[] b) {
        if (firstScan < 0) {
            return 1;
        }
        int scans = 0;
        for (int i = firstScan; i < b.length - 1; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) SOS) {
                scans++;
            }
        }
        return Math.max(1, scans);
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
