package io.edgestream.imaging.decode;

import io.edgestream.imaging.image.PixelFormat;

/**
 * The memory cost of decoding, per format, from the header only: which arrays the reader and {@link
 * RasterConverter} will allocate for this header, and how large they are. The terms follow the JDK
 * 17 readers (PNG, BMP, TIFF), TwelveMonkeys' JPEG reader over the JDK's libjpeg, and our own
 * conversions; the allocation tests in {@code DecodeCostTest} check each variant against what a
 * decode really allocates.
 *
 * <p>Transient buffers that are allocated again for every strip, tile or row are summed rather than
 * counted once, so that the heap figure bounds everything the decode allocates (what the tests can
 * measure), which in turn bounds what it holds at once.
 */
final class CostModel {
    private CostModel() {}

    /**
     * Reader and converter objects, metadata, colour models, type specifiers, stream wrappers: a
     * fixed allowance per decode. Measured at 10 to 100 kB in a warm JVM; the margin covers the
     * variation between variants.
     */
    static final long FIXED_HEAP = 256 * 1024;

    /**
     * TwelveMonkeys' lossless JPEG decoder allocates its Huffman lookup tables up front: four
     * tables of two classes of 50 * 256 ints.
     */
    static final long LOSSLESS_TABLES = 4L * 2 * 50 * 256 * 4 + 4096;

    /** zlib's inflate state and 32 kB window, outside the heap. */
    static final long INFLATER_NATIVE = 64 * 1024;

    /**
     * An ICC colour transform in LittleCMS: two profiles and a precomputed lookup table (at most a
     * 17-point grid over four inputs, 17^4 * 3 outputs * 2 bytes = 0.5 MB), outside the heap.
     */
    static final long LCMS_NATIVE = 4L * 1024 * 1024;

    /** The arrays a reader allocates, summed separately for the heap and native memory. */
    private static final class Terms {
        private final StringBuilder heapText = new StringBuilder();
        private final StringBuilder nativeText = new StringBuilder();
        private long heap;
        private long nat;

        Terms heap(String what, long bytes) {
            if (bytes > 0) {
                heap = add(heap, bytes);
                append(heapText, what, bytes);
            }
            return this;
        }

        Terms nat(String what, long bytes) {
            if (bytes > 0) {
                nat = add(nat, bytes);
                append(nativeText, what, bytes);
            }
            return this;
        }

        private static void append(StringBuilder sb, String what, long bytes) {
            if (sb.length() > 0) {
                sb.append(" + ");
            }
            sb.append(what).append(' ').append(DecodeCost.formatBytes(bytes));
        }

        DecodeCost done(String image, long decoded) {
            String text =
                    "heap: " + heapText + (nat > 0 ? "; native: " + nativeText : "; native: none");
            return new DecodeCost(image, decoded, heap, nat, text);
        }
    }

    static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    static long mul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    // ---------------------------------------------------------------- PNG

    static DecodeCost png(PngHeader h, long payload) {
        long w = h.width;
        long ht = h.height;
        int d = h.bitDepth;
        int ct = h.colorType;
        int bands =
                switch (ct) {
                    case PngHeader.COLOR_GRAY, PngHeader.COLOR_PALETTE -> 1;
                    case PngHeader.COLOR_RGB -> 3;
                    case PngHeader.COLOR_GRAY_ALPHA -> 2;
                    default -> 4;
                };
        // The JDK reader turns a tRNS colour key of grey and RGB images into an alpha band.
        boolean keyAlpha = h.hasTrns && (ct == PngHeader.COLOR_GRAY || ct == PngHeader.COLOR_RGB);
        // Palettes, and greys below 8 bits, arrive packed with an index colour model.
        boolean indexed =
                ct == PngHeader.COLOR_PALETTE || (ct == PngHeader.COLOR_GRAY && d < 8 && !keyAlpha);
        long px = mul(w, ht);
        int sampleBytes = d == 16 ? 2 : 1;
        int outCh = h.outputChannels();
        long decoded = mul(px, (long) outCh * sampleBytes);
        long raster =
                indexed
                        ? mul((w * d + 7) / 8, ht)
                        : mul(px, (long) (bands + (keyAlpha ? 1 : 0)) * sampleBytes);
        // The reader's raster becomes the output when its bands already are the output's (8/16-bit
        // grey and RGB, 8-bit RGBA); otherwise the converter copies.
        boolean wraps = !indexed && !keyAlpha && bands == outCh;
        long fileRow = (w * bands * d + 7) / 8;
        long passes = h.interlaced ? 3 : 1; // Adam7 pass widths add up to about 2.75 rows
        Terms t = new Terms().heap("payload", payload).heap("raster", raster);
        if (!wraps) {
            t.heap(indexed ? "palette expansion" : "converted copy", decoded);
        }
        if (d == 8 && !keyAlpha && (ct == PngHeader.COLOR_RGB || ct == PngHeader.COLOR_RGBA)) {
            // The reader's BGR/ABGR image takes rows in RGB order: Raster.setRect copies each
            // row through a fresh array, a raster's worth in all.
            t.heap("row copies", raster);
        }
        return t.heap("row buffers", mul(3 * fileRow + 256, passes) + mul(ht, 48 * passes))
                .heap("lookup tables", indexed ? 4 * 256 + 4 * w : 0)
                .heap("reader", FIXED_HEAP)
                .nat("zlib", INFLATER_NATIVE)
                .done(describePng(h), decoded);
    }

    private static String describePng(PngHeader h) {
        String type =
                switch (h.colorType) {
                    case PngHeader.COLOR_GRAY -> "grey";
                    case PngHeader.COLOR_RGB -> "RGB";
                    case PngHeader.COLOR_PALETTE -> "palette";
                    case PngHeader.COLOR_GRAY_ALPHA -> "grey+alpha";
                    default -> "RGBA";
                };
        return h.width
                + "x"
                + h.height
                + " "
                + h.bitDepth
                + "-bit "
                + type
                + (h.hasTrns ? " (tRNS)" : "")
                + (h.interlaced ? " interlaced" : "")
                + " PNG, decoded to "
                + h.outputChannels()
                + " channel(s) of "
                + h.outputBitDepth()
                + " bits";
    }

    // ---------------------------------------------------------------- JPEG

    static DecodeCost jpeg(JpegHeader h, byte[] payload) {
        return jpeg(h, payload.length, h.multiScan() ? h.countScans(payload) : 1);
    }

    /**
     * @param outputPasses how often the JDK reader writes the whole image: once, or for multi-scan
     *     images once per scan (it shows every scan as a progressive pass)
     */
    static DecodeCost jpeg(JpegHeader h, long payload, int outputPasses) {
        long w = h.width;
        long ht = h.height;
        int nf = Math.max(1, h.components);
        int outCh = h.outputChannels();
        long px = mul(w, ht);
        long decoded = mul(px, outCh);
        Terms t = new Terms().heap("payload", payload);
        // TwelveMonkeys reads every segment before the first scan (and the JDK reader its
        // metadata) into the heap: a small multiple of the header bytes, never of the image.
        long headerBytes = h.firstScan > 0 ? h.firstScan : payload;
        t.heap("header segments", mul(headerBytes, 4));
        String variant;
        if (h.lossless()) {
            // TwelveMonkeys' own decoder: an int per sample per component, then the image.
            variant = "lossless";
            t.heap("decoded ints", mul(px, 4L * nf))
                    .heap("image", decoded)
                    .heap("Huffman tables", LOSSLESS_TABLES);
        } else {
            boolean standardIds =
                    nf == 3
                            && h.componentIds[0] == 1
                            && h.componentIds[1] == 2
                            && h.componentIds[2] == 3;
            // CMYK, YCCK, grey+alpha, non-sRGB ICC profiles and unusual component ids go through
            // TwelveMonkeys' raster path: the raw raster, then a colour conversion into the image.
            boolean rasterPath =
                    (nf != 1 && nf != 3) || h.hasIccProfile || (nf == 3 && !standardIds);
            variant =
                    h.progressive()
                            ? "progressive"
                            : h.sofMarker == 0xC0 ? "baseline" : "sequential";
            t.heap("image", decoded);
            if (!rasterPath && nf == 3) {
                // libjpeg's rows arrive in RGB order, the image is BGR: Raster.setRect copies
                // each row through a fresh array, once per output pass.
                t.heap("row copies", mul(decoded, outputPasses));
            }
            if (rasterPath) {
                t.heap("raw raster", mul(px, nf)).heap("conversion rows", mul(w, 16L * nf));
                if (nf == 4 || h.hasIccProfile) {
                    t.nat("colour management", LCMS_NATIVE);
                }
            }
            t.heap("row buffers", mul(w, 2L * nf) + 1024);
            int hMax = 1;
            int vMax = 1;
            for (int i = 0; i < h.hSampling.length; i++) {
                hMax = Math.max(hMax, h.hSampling[i]);
                vMax = Math.max(vMax, h.vSampling[i]);
            }
            long paddedW = (w + 8L * hMax - 1) / (8L * hMax) * 8 * hMax;
            // libjpeg's sample rows, upsampling and colour conversion buffers: a few MCU rows.
            t.nat("libjpeg rows", mul(paddedW, 32L * nf * vMax) + 128 * 1024);
            if (h.multiScan()) {
                t.nat("coefficient buffers", coefficientBytes(h));
            }
        }
        String colour =
                switch (nf) {
                    case 1 -> "grey";
                    case 2 -> "grey+alpha";
                    case 3 -> h.adobeTransform == 0 ? "RGB" : "YCbCr";
                    case 4 -> h.adobeTransform == 2 ? "YCCK" : "CMYK";
                    default -> nf + "-component";
                };
        return t.heap("reader", FIXED_HEAP)
                .done(
                        w
                                + "x"
                                + ht
                                + " 8-bit "
                                + colour
                                + " "
                                + variant
                                + " JPEG"
                                + (h.hasIccProfile ? " with ICC profile" : "")
                                + (outputPasses > 1 ? " (" + outputPasses + " scans)" : "")
                                + ", decoded to "
                                + outCh
                                + " channel(s) of 8 bits",
                        decoded);
    }

    /**
     * libjpeg's whole-image coefficient arrays for multi-scan images (jdcoefct.c): per component,
     * its blocks at its own sampling, rounded up to whole MCUs, 64 two-byte coefficients each.
     */
    static long coefficientBytes(JpegHeader h) {
        int hMax = 1;
        int vMax = 1;
        for (int i = 0; i < h.hSampling.length; i++) {
            hMax = Math.max(hMax, h.hSampling[i]);
            vMax = Math.max(vMax, h.vSampling[i]);
        }
        long total = 0;
        for (int i = 0; i < h.hSampling.length; i++) {
            long compW = ceilDiv((long) h.width * h.hSampling[i], hMax);
            long compH = ceilDiv((long) h.height * h.vSampling[i], vMax);
            long blocksW = roundUp(ceilDiv(compW, 8), h.hSampling[i]);
            long blocksH = roundUp(ceilDiv(compH, 8), h.vSampling[i]);
            total = add(total, mul(mul(blocksW, blocksH), 128));
        }
        return total;
    }

    // ---------------------------------------------------------------- BMP

    static DecodeCost bmp(BmpHeader h, long payload) {
        long w = h.width;
        long ht = h.height;
        long px = mul(w, ht);
        int bpp = h.bitsPerPixel;
        boolean indexed = bpp <= 8;
        boolean grey = bpp == 8 && h.greyPalette;
        int outCh = grey ? 1 : bpp == 32 && h.hasAlphaMask ? 4 : 3;
        long decoded = mul(px, outCh);
        long raster =
                switch (bpp) {
                    case 1, 4 -> mul((w * bpp + 7) / 8, ht);
                    case 8 -> px;
                    case 16 -> mul(px, 2);
                    case 24 -> mul(px, 3);
                    default -> mul(px, 4);
                };
        // 24-bit BGR is reordered in place and an 8-bit grey ramp is read as grey: no copy.
        boolean wraps = bpp == 24 || grey;
        Terms t = new Terms().heap("payload", payload);
        // The palette is read in 1 MB units, then joined: at most twice what the file holds.
        t.heap("palette", mul(Math.min(h.paletteBytes, payload), 2) + 4 * 256);
        t.heap("raster", raster);
        if (!wraps) {
            t.heap(indexed ? "palette expansion" : "converted copy", decoded);
        }
        if (h.rle()) {
            long declared = h.imageSize != 0 ? h.imageSize : h.fileSizeField - h.dataOffset;
            long read = Math.max(0, Math.min(declared, payload));
            t.heap("compressed data", read >= 1_024_000 ? 2 * read : read);
            if (h.compression == BmpHeader.BI_RLE4) {
                // The reader allocates a two-int array for every encoded pair of bytes.
                t.heap("RLE4 pairs", mul(read, 12));
            }
        }
        if (h.profileBytes > 0) {
            t.heap("ICC profile", mul(Math.min(h.profileBytes, payload), 2))
                    .nat("colour management", LCMS_NATIVE);
        }
        String variant =
                switch (h.compression) {
                    case BmpHeader.BI_RLE8 -> " RLE8";
                    case BmpHeader.BI_RLE4 -> " RLE4";
                    case BmpHeader.BI_BITFIELDS -> " bit-field";
                    default -> "";
                };
        return t.heap("row buffers", mul(w, 16) + 1024)
                .heap("reader", FIXED_HEAP)
                .done(
                        w
                                + "x"
                                + ht
                                + " "
                                + bpp
                                + "-bit"
                                + (indexed ? (grey ? " grey" : " palette") : "")
                                + variant
                                + " BMP, decoded to "
                                + outCh
                                + " channel(s) of 8 bits",
                        decoded);
    }

    // ---------------------------------------------------------------- TIFF

    static DecodeCost tiff(TiffHeader h, long payload) {
        long w = h.width;
        long ht = h.height;
        long px = mul(w, ht);
        int spp = h.samplesPerPixel;
        int bits = h.maxBitsPerSample;
        boolean isFloat = h.sampleFormat == TiffHeader.SAMPLE_FORMAT_FLOAT;
        int container = bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
        int photometric = h.photometric;
        boolean packed = spp == 1 && bits < 8;
        boolean palette = photometric == TiffHeader.PHOTOMETRIC_PALETTE;
        boolean grey =
                photometric == TiffHeader.PHOTOMETRIC_BLACK_IS_ZERO
                        || (photometric < 0 && spp <= 2);
        boolean rgb =
                photometric == TiffHeader.PHOTOMETRIC_RGB
                        || photometric == TiffHeader.PHOTOMETRIC_YCBCR
                        || (photometric < 0 && spp > 2);
        // Everything else (white-is-zero, CMYK, CIELab, ...) goes through an index colour model
        // or a colour conversion into 8-bit RGB(A); count it as such.
        boolean converted = !grey && !rgb && !palette;
        long raster = packed ? mul((w * bits + 7) / 8, ht) : mul(px, (long) spp * container);
        int outCh;
        int outBytes;
        if (palette || packed || converted) {
            outCh = h.hasAlpha && !palette && !packed ? 4 : 3;
            outBytes = 1;
        } else {
            outCh = grey ? 1 : h.hasAlpha && container == 1 ? 4 : 3;
            outBytes = isFloat || container > 2 ? 4 : container;
        }
        long decoded = mul(px, (long) outCh * outBytes);
        boolean wraps =
                !palette
                        && !packed
                        && !converted
                        && !h.planar
                        && !isFloat
                        && spp == outCh
                        && (container == 1 || container == 2)
                        && (bits == 8 || bits == 16);
        Terms t = new Terms().heap("payload", payload).heap("directory fields", h.fieldHeapBytes);
        t.heap("raster", raster);
        if (converted) {
            // Java2D converts into a new 8-bit sRGB image first, row by row.
            t.heap("colour conversion", mul(px, outCh) + mul(w, 16L * spp));
        }
        if (!wraps) {
            t.heap(palette || packed ? "palette expansion" : "converted copy", decoded)
                    .heap("conversion rows", mul(w, 8L * spp) + (palette ? 4 * 65536 : 0));
        }
        long block = h.blockBytes();
        long blocks = Math.max(1, h.blocks);
        // Samples wider than a byte are decoded into a byte buffer per strip first.
        if (container > 1) {
            t.heap("byte staging per strip", mul(block, blocks));
        }
        // Tiles narrower than the image cannot be inflated in place: one buffer per tile.
        boolean inPlace = !(h.tiled && h.blockWidth != w) || container > 1;
        long sum = h.sumBlockBytes;
        long largest = h.maxBlockBytes;
        switch (h.compression) {
            case TiffHeader.COMPRESSION_NONE -> {}
            case TiffHeader.COMPRESSION_ZLIB, TiffHeader.COMPRESSION_DEFLATE -> {
                t.heap("compressed strips", sum).nat("zlib", INFLATER_NATIVE);
                if (!inPlace) {
                    t.heap("inflate buffers", mul(block, blocks));
                }
            }
            case TiffHeader.COMPRESSION_PACKBITS -> {
                t.heap("compressed strips", largest >= 1_024_000 ? 2 * sum : sum);
                if (!inPlace) {
                    t.heap("unpack buffers", mul(block, blocks));
                }
            }
            case TiffHeader.COMPRESSION_LZW -> {
                // Every LZW code adds a table string of (previous string + 1) bytes: all strings
                // add up to the decoded bytes plus an array header per code; each clear code
                // rebuilds a 4096-entry table.
                t.heap("compressed strips", largest >= 1_024_000 ? 2 * sum : sum)
                        .heap("LZW strings", add(mul(block, blocks), mul(sum, 30)))
                        .heap("LZW tables", mul(blocks, 24 * 1024));
                if (!inPlace) {
                    t.heap("unpack buffers", mul(block, blocks));
                }
            }
            default -> {
                // JPEG, old-style JPEG, CCITT and anything rarer: the strip's bytes (copied into
                // a stream for the embedded JPEG reader), a decoded strip, and for JPEG libjpeg's
                // buffers (coefficients for a whole strip if it were progressive).
                // Every strip also sets up a JPEG reader (tables, metadata, buffers): measured
                // at about 160 kB in JDK 17.
                t.heap("compressed strips", mul(sum, 3))
                        .heap("decoded strips", mul(block, blocks))
                        .heap("codec per strip", mul(blocks, 256 * 1024));
                t.nat("codec buffers", add(mul(block, 2), 1024 * 1024));
            }
        }
        if (h.planar) {
            t.heap("planar strips", mul(block, blocks));
        }
        String sampleKind = isFloat ? "float" : h.sampleFormat == 2 ? "signed" : "unsigned";
        return t.heap("reader", FIXED_HEAP)
                .done(
                        w
                                + "x"
                                + ht
                                + " TIFF page 0, "
                                + spp
                                + " sample(s) of "
                                + bits
                                + "-bit "
                                + sampleKind
                                + ", photometric "
                                + photometric
                                + ", compression "
                                + h.compression
                                + ", "
                                + (h.tiled ? "tiles of " : "strips of ")
                                + h.blockWidth
                                + "x"
                                + h.blockHeight
                                + (h.planar ? ", planar" : "")
                                + ", decoded to "
                                + outCh
                                + " channel(s) of "
                                + (outBytes * 8)
                                + " bits",
                        decoded);
    }

    // ---------------------------------------------------------------- RAW

    static DecodeCost raw(PixelFormat format, int width, int height, int channels, long payload) {
        long samples = mul(mul(width, height), channels);
        int bytes = format.bytesPerSample();
        long decoded = mul(samples, bytes);
        return new Terms()
                .heap("record bytes", payload)
                .heap(bytes == 1 ? "copy" : "converted samples", decoded)
                .heap("buffers", 1024)
                .done(width + "x" + height + "x" + channels + " RAW " + format, decoded);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long roundUp(long a, long m) {
        return ceilDiv(a, m) * m;
    }
}
