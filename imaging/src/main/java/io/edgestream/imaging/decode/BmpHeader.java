package io.edgestream.imaging.decode;

/**
 * The parts of a BMP file header that decide how much memory the JDK's BMP reader will allocate:
 * size, bits per pixel, compression, the palette (its size, and whether it is the identity grey
 * ramp that the reader turns into a grey image) and the alpha mask. Read from the payload without
 * allocating anything proportional to the image, so the decoder can refuse before the reader runs.
 */
final class BmpHeader {
    static final int BI_RGB = 0;
    static final int BI_RLE8 = 1;
    static final int BI_RLE4 = 2;
    static final int BI_BITFIELDS = 3;
    static final int BI_JPEG = 4;
    static final int BI_PNG = 5;

    final int width;
    final int height;
    final int bitsPerPixel;
    final int compression;
    final int dibSize;

    /** The header's image size field (compressed size for RLE), 0 if not given. */
    final long imageSize;

    final long dataOffset;
    final long fileSizeField;

    /** Palette bytes the reader will read (3 per entry for OS/2 1.x headers, else 4). */
    final long paletteBytes;

    /** Palette of exactly 256 entries r = g = b = index: the reader then reports a grey image. */
    final boolean greyPalette;

    final boolean hasAlphaMask;

    /** Embedded ICC profile bytes (V5 headers), 0 if none. */
    final long profileBytes;

    private BmpHeader(
            int width,
            int height,
            int bitsPerPixel,
            int compression,
            int dibSize,
            long imageSize,
            long dataOffset,
            long fileSizeField,
            long paletteBytes,
            boolean greyPalette,
            boolean hasAlphaMask,
            long profileBytes) {
        this.width = width;
        this.height = height;
        this.bitsPerPixel = bitsPerPixel;
        this.compression = compression;
        this.dibSize = dibSize;
        this.imageSize = imageSize;
        this.dataOffset = dataOffset;
        this.fileSizeField = fileSizeField;
        this.paletteBytes = paletteBytes;
        this.greyPalette = greyPalette;
        this.hasAlphaMask = hasAlphaMask;
        this.profileBytes = profileBytes;
    }

    /**
     * Parses the file header and the DIB header. The caller has checked the "BM" signature.
     *
     * @throws ImageDecodeException TRUNCATED_IMAGE if the headers are cut, UNDECODABLE_IMAGE for a
     *     header size or bit depth the JDK reader does not know, UNSUPPORTED_ENCODING for an
     *     embedded JPEG or PNG
     */
    static BmpHeader read(byte[] b) throws ImageDecodeException {
        if (b.length < 26) {
            throw truncated(b, "before its headers are complete");
        }
        long fileSize = u32(b, 2);
        long dataOffset = u32(b, 10);
        long dibSize = u32(b, 14);
        if (dibSize != 12
                && dibSize != 40
                && dibSize != 52
                && dibSize != 56
                && dibSize != 108
                && dibSize != 124) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    "BMP has a "
                            + dibSize
                            + "-byte DIB header; only the 12, 40, 52, 56, 108 and 124-byte"
                            + " Windows and OS/2 headers are supported");
        }
        if (b.length < 14 + dibSize) {
            throw truncated(b, "inside its " + dibSize + "-byte DIB header");
        }
        int width;
        int height;
        int bpp;
        int compression = BI_RGB;
        long imageSize = 0;
        long colorsUsed = 0;
        if (dibSize == 12) {
            width = (short) u16(b, 18);
            height = (short) u16(b, 20);
            bpp = u16(b, 24);
        } else {
            width = s32(b, 18);
            height = s32(b, 22);
            bpp = u16(b, 28);
            compression = (int) u32(b, 30);
            imageSize = u32(b, 34);
            colorsUsed = u32(b, 46);
        }
        // Negative height means top-down rows; the reader reports the absolute value.
        height = height == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs(height);
        if (compression == BI_JPEG || compression == BI_PNG) {
            // The JDK reader allocates the embedded stream's size as declared by this header and
            // decodes it with whatever reader the global ImageIO registry offers: neither can be
            // bounded from here.
            throw new ImageDecodeException(
                    DecodeFailure.UNSUPPORTED_ENCODING,
                    "BMP wraps an embedded "
                            + (compression == BI_JPEG ? "JPEG" : "PNG")
                            + " (compression "
                            + compression
                            + "), which is not supported: send the "
                            + (compression == BI_JPEG ? "JPEG" : "PNG")
                            + " itself");
        }
        if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    "BMP has " + bpp + " bits per pixel; 1, 4, 8, 16, 24 or 32 are supported");
        }
        boolean alpha = dibSize >= 56 && b.length >= 70 && u32(b, 66) != 0;
        int entrySize = dibSize == 12 ? 3 : 4;
        // The reader takes the palette size from the data offset (or, for 40-byte bit-field
        // headers, from colorsUsed); the larger of the two bounds what it reads.
        long entriesFromOffset = Math.max(0, dataOffset - 14 - dibSize) / entrySize;
        long paletteBytes = Math.max(entriesFromOffset, colorsUsed) * entrySize;
        boolean grey =
                bpp <= 8 && entriesFromOffset >= 256 && greyRamp(b, 14 + (int) dibSize, entrySize);
        long profile = dibSize == 124 && b.length >= 14 + 124 ? u32(b, 14 + 116) : 0;
        return new BmpHeader(
                width,
                height,
                bpp,
                compression,
                (int) dibSize,
                imageSize,
                dataOffset,
                fileSize,
                paletteBytes,
                grey,
                alpha,
                profile);
    }

    /** The first 256 palette entries are (i, i, i), as the JDK reader requires for grey. */
    private static boolean greyRamp(byte[] b, int from, int entrySize) {
        if (from + 256L * entrySize > b.length) {
            return false;
        }
        for (int i = 0; i < 256; i++) {
            int p = from + i * entrySize;
            if ((b[p] & 0xFF) != i || (b[p + 1] & 0xFF) != i || (b[p + 2] & 0xFF) != i) {
                return false;
            }
        }
        return true;
    }

    boolean rle() {
        return compression == BI_RLE8 || compression == BI_RLE4;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8);
    }

    private static int s32(byte[] b, int i) {
        return (b[i] & 0xFF)
                | ((b[i + 1] & 0xFF) << 8)
                | ((b[i + 2] & 0xFF) << 16)
                | ((b[i + 3] & 0xFF) << 24);
    }

    private static long u32(byte[] b, int i) {
        return Integer.toUnsignedLong(s32(b, i));
    }

    private static ImageDecodeException truncated(byte[] b, String where) {
        return new ImageDecodeException(
                DecodeFailure.TRUNCATED_IMAGE,
                "BMP ends after " + b.length + " bytes, " + where + "; resend the complete file");
    }
}
