package io.edgestream.imaging.decode;

/**
 * The first image file directory (IFD0) of a TIFF, read straight from the payload: the fields that
 * decide what the JDK's TIFF reader allocates for page 0 (size, samples and their bits, sample
 * format, photometric interpretation, compression, planar layout, strips or tiles) and statistics
 * over the strip or tile byte counts, computed in place without copying the arrays. Only page 0 is
 * ever decoded, so the other pages' directories and data are never looked at.
 */
final class TiffHeader {
    static final int COMPRESSION_NONE = 1;
    static final int COMPRESSION_LZW = 5;
    static final int COMPRESSION_OLD_JPEG = 6;
    static final int COMPRESSION_JPEG = 7;
    static final int COMPRESSION_ZLIB = 8;
    static final int COMPRESSION_PACKBITS = 32773;
    static final int COMPRESSION_DEFLATE = 32946;

    static final int PHOTOMETRIC_WHITE_IS_ZERO = 0;
    static final int PHOTOMETRIC_BLACK_IS_ZERO = 1;
    static final int PHOTOMETRIC_RGB = 2;
    static final int PHOTOMETRIC_PALETTE = 3;
    static final int PHOTOMETRIC_YCBCR = 6;

    static final int SAMPLE_FORMAT_FLOAT = 3;

    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};

    final int width;
    final int height;
    final int samplesPerPixel;

    /** Largest and total bits per sample over the samples. */
    final int maxBitsPerSample;

    final int bitsPerPixel;
    final int sampleFormat;
    final int photometric;
    final int compression;
    final boolean planar;
    final boolean tiled;

    /** Strip or tile width and height in pixels (a strip is the image width wide). */
    final int blockWidth;

    final int blockHeight;

    /** Number of strips or tiles (all bands, for planar layouts). */
    final long blocks;

    /** Largest and summed strip or tile byte count, each clamped to the file size. */
    final long maxBlockBytes;

    final long sumBlockBytes;

    /** Whether an extra sample is alpha (ExtraSamples 1 or 2). */
    final boolean hasAlpha;

    /** Heap the JDK's reader can spend on IFD0's field values (arrays of longs for LONG etc.). */
    final long fieldHeapBytes;

    final int entries;

    private TiffHeader(Fields f) {
        this.width = f.width;
        this.height = f.height;
        this.samplesPerPixel = f.spp;
        this.maxBitsPerSample = f.maxBits;
        this.bitsPerPixel = f.sumBits;
        this.sampleFormat = f.sampleFormat;
        this.photometric = f.photometric;
        this.compression = f.compression;
        this.planar = f.planar;
        this.tiled = f.tiled;
        this.blockWidth = f.blockWidth;
        this.blockHeight = f.blockHeight;
        this.blocks = f.blocks;
        this.maxBlockBytes = f.maxBlockBytes;
        this.sumBlockBytes = f.sumBlockBytes;
        this.hasAlpha = f.alpha;
        this.fieldHeapBytes = f.fieldHeap;
        this.entries = f.entries;
    }

    private static final class Fields {
        int width = -1;
        int height = -1;
        int spp = 1;
        int maxBits = 1;
        int sumBits = 1;
        int sampleFormat = 1;
        int photometric = -1;
        int compression = COMPRESSION_NONE;
        boolean planar;
        boolean tiled;
        int blockWidth;
        int blockHeight;
        long blocks;
        long maxBlockBytes;
        long sumBlockBytes;
        boolean alpha;
        long fieldHeap;
        int entries;
    }

    /**
     * Parses IFD0. The caller has checked the byte-order mark and the magic number 42.
     *
     * @throws ImageDecodeException TRUNCATED_IMAGE if IFD0 lies beyond the end of the file,
     *     UNDECODABLE_IMAGE if it has no width or height
     */
    static TiffHeader read(byte[] b) throws ImageDecodeException {
        boolean little = b[0] == 'I';
        if (b.length < 8) {
            throw truncated(b, "inside its 8-byte header");
        }
        long ifd = u32(b, 4, little);
        if (ifd + 2 > b.length) {
            throw truncated(b, "before its first image directory at offset " + ifd);
        }
        int n = u16(b, (int) ifd, little);
        if (ifd + 2 + 12L * n > b.length) {
            throw truncated(b, "inside its first image directory (" + n + " entries)");
        }
        Fields f = new Fields();
        f.entries = n;
        int stripCounts = -1;
        int tileCounts = -1;
        long rowsPerStrip = -1;
        int bitsEntry = -1;
        int tileWidth = -1;
        int tileLength = -1;
        for (int i = 0; i < n; i++) {
            int e = (int) ifd + 2 + 12 * i;
            int tag = u16(b, e, little);
            int type = u16(b, e + 2, little);
            long count = u32(b, e + 4, little);
            long size = type < TYPE_SIZES.length ? count * TYPE_SIZES[type] : 0;
            f.fieldHeap += 96 + fieldHeap(b, e, type, size, little);
            switch (tag) {
                case 256 -> f.width = (int) Math.min(value(b, e, 0, little), Integer.MAX_VALUE);
                case 257 -> f.height = (int) Math.min(value(b, e, 0, little), Integer.MAX_VALUE);
                case 258 -> bitsEntry = e;
                case 259 -> f.compression = (int) value(b, e, 0, little);
                case 262 -> f.photometric = (int) value(b, e, 0, little);
                case 277 -> f.spp = (int) Math.max(1, Math.min(value(b, e, 0, little), 0xFFFF));
                case 278 -> rowsPerStrip = value(b, e, 0, little);
                case 279 -> stripCounts = e;
                case 284 -> f.planar = value(b, e, 0, little) == 2;
                case 322 -> tileWidth = (int) Math.min(value(b, e, 0, little), Integer.MAX_VALUE);
                case 323 -> tileLength = (int) Math.min(value(b, e, 0, little), Integer.MAX_VALUE);
                case 325 -> tileCounts = e;
                case 338 -> {
                    for (long k = 0; k < Math.min(count, 16); k++) {
                        long v = value(b, e, (int) k, little);
                        f.alpha |= v == 1 || v == 2;
                    }
                }
                case 339 -> f.sampleFormat = (int) value(b, e, 0, little);
                default -> {}
            }
        }
        if (f.width <= 0 || f.height <= 0) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    "TIFF's first image directory has no valid ImageWidth/ImageLength ("
                            + f.width
                            + "x"
                            + f.height
                            + "); the file is corrupt");
        }
        if (bitsEntry >= 0) {
            long count = Math.max(1, Math.min(u32(b, bitsEntry + 4, little), 0xFFFF));
            int max = 0;
            long sum = 0;
            for (int k = 0; k < f.spp; k++) {
                // A single BitsPerSample value applies to every sample.
                int bits =
                        (int)
                                Math.min(
                                        value(b, bitsEntry, (int) Math.min(k, count - 1), little),
                                        64);
                max = Math.max(max, bits);
                sum += bits;
            }
            f.maxBits = Math.max(1, max);
            f.sumBits = (int) Math.max(1, Math.min(sum, Integer.MAX_VALUE));
        } else {
            f.maxBits = 1;
            f.sumBits = f.spp;
        }
        f.tiled = tileWidth > 0 && tileLength > 0 && tileCounts >= 0;
        int countsEntry;
        if (f.tiled) {
            f.blockWidth = tileWidth;
            f.blockHeight = tileLength;
            countsEntry = tileCounts;
        } else {
            f.blockWidth = f.width;
            f.blockHeight =
                    (int) (rowsPerStrip <= 0 || rowsPerStrip > f.height ? f.height : rowsPerStrip);
            countsEntry = stripCounts;
        }
        if (countsEntry >= 0) {
            long count = u32(b, countsEntry + 4, little);
            int type = u16(b, countsEntry + 2, little);
            if (dataInFile(b, countsEntry, type, count, little)) {
                f.blocks = count;
                for (long k = 0; k < count; k++) {
                    long c = Math.min(value(b, countsEntry, (int) k, little), b.length);
                    f.maxBlockBytes = Math.max(f.maxBlockBytes, c);
                    f.sumBlockBytes += c;
                }
            }
        }
        if (f.blocks == 0) {
            // No (readable) byte counts: the reader estimates them from the strip size, clamped to
            // the file; so do we.
            long across = ceilDiv(f.width, f.blockWidth);
            long down = ceilDiv(f.height, f.blockHeight);
            f.blocks = across * down * (f.planar ? f.spp : 1);
            f.maxBlockBytes = b.length;
            f.sumBlockBytes = f.blocks * (long) b.length;
        }
        return new TiffHeader(f);
    }

    /** Bytes of one strip or tile of one band (planar) or of all samples (chunky), unpacked. */
    long blockBytes() {
        int bits = planar ? maxBitsPerSample : bitsPerPixel;
        return ((long) blockWidth * bits + 7) / 8 * blockHeight;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * What the reader's field objects cost on the heap for this entry: LONG values become longs (2x
     * their file size), rationals arrays of two-element arrays (about 5x), the rest about their
     * file size. Values that do not fit in the file are skipped by the reader (it knows the stream
     * length), and so cost nothing.
     */
    private static long fieldHeap(byte[] b, int e, int type, long size, boolean little) {
        if (size <= 4) {
            return 0;
        }
        long offset = u32(b, e + 8, little);
        if (offset + size > b.length) {
            return 0;
        }
        return switch (type) {
            case 4, 13 -> 2 * size;
            case 5, 10 -> 5 * size;
            case 2 -> 3 * Math.min(size, 0xFFFF);
            default -> size;
        };
    }

    private static boolean dataInFile(byte[] b, int e, int type, long count, boolean little) {
        long size = type < TYPE_SIZES.length ? count * TYPE_SIZES[type] : Long.MAX_VALUE;
        return size <= 4 || u32(b, e + 8, little) + size <= b.length;
    }

    /**
     * Value {@code k} of an unsigned integer field (BYTE, SHORT or LONG), or 0 if it lies outside
     * the file or the type is not an integer type.
     */
    private static long value(byte[] b, int e, int k, boolean little) {
        int type = u16(b, e + 2, little);
        long count = u32(b, e + 4, little);
        int size = type < TYPE_SIZES.length ? TYPE_SIZES[type] : 0;
        if (k >= count || (type != 1 && type != 3 && type != 4 && type != 13)) {
            return 0;
        }
        long at =
                count * size <= 4
                        ? e + 8 + (long) k * size
                        : u32(b, e + 8, little) + (long) k * size;
        if (at + size > b.length) {
            return 0;
        }
        return switch (size) {
            case 1 -> b[(int) at] & 0xFF;
            case 2 -> u16(b, (int) at, little);
            default -> u32(b, (int) at, little);
        };
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little
                ? (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8)
                : ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static long u32(byte[] b, int i, boolean little) {
        int v =
                little
                        ? (b[i] & 0xFF)
                                | ((b[i + 1] & 0xFF) << 8)
                                | ((b[i + 2] & 0xFF) << 16)
                                | ((b[i + 3] & 0xFF) << 24)
                        : ((b[i] & 0xFF) << 24)
                                | ((b[i + 1] & 0xFF) << 16)
                                | ((b[i + 2] & 0xFF) << 8)
                                | (b[i + 3] & 0xFF);
        return Integer.toUnsignedLong(v);
    }

    private static ImageDecodeException truncated(byte[] b, String where) {
        return new ImageDecodeException(
                DecodeFailure.TRUNCATED_IMAGE,
                "TIFF ends after " + b.length + " bytes, " + where + "; resend the complete file");
    }
}
