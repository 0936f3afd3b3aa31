package io.edgestream.imaging.decode;

import io.edgestream.imaging.image.PixelFormat;

/**
 * The memory cost of decoding, per format, from the header only: which arrays the reader and {@link
 * RasterConverter} will hold at the same time for this header, and how large they are. The terms
 * follow the JDK 17 readers (PNG, BMP, TIFF), TwelveMonkeys' JPEG reader over the JDK's libjpeg,
 * and our own conversions.
 *
 * <p>The heap figure bounds the <em>peak live heap</em> of one decode, not what it allocates in
 * all: what must fit at the same moment. A decode holds some arrays for all of its length (the
 * payload it reads, the reader's raster, for some variants a second raster the reader converts
 * from) and goes through steps whose buffers die when the step ends: the reader's rows, strips,
 * tiles or compressed segments, one at a time (a progressive JPEG's ten scans each copy every row
 * again, but only one row copy is ever reachable), and then our conversion into the output. So the
 * heap is the held arrays plus the largest single step ({@link Terms#step}), never the sum of the
 * steps. Where a reader keeps a step's arrays in its fields until the next step replaces them (the
 * JDK's LZW decompressor), the step counts what two consecutive steps hold.
 *
 * <p>{@code DecodeLivePeakTest} proves each variant in a child JVM whose {@code -Xmx} is the
 * estimate plus a fixed baseline (the JVM's own heap and ImageIO's registries); {@code
 * DecodeCostTest} checks in process that no term counts memory the decode never allocates.
 *
 * <p>The native figure bounds what the decode allocates outside the heap at once, which {@code
 * -Xmx} does not limit: libjpeg's row buffers and, for multi-scan JPEGs, its whole-image
 * coefficient arrays; zlib's inflate state; LittleCMS transforms for colour-managed images.
 */
final class CostModel {
    private CostModel() {}

    /**
     * Reader and converter objects, metadata, colour models, type specifiers, stream wrappers: a
     * fixed allowance per decode, held throughout. Measured at 10 to 100 kB in a warm JVM; the
     * margin covers the variation between variants.
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

    /**
     * The JDK readers read RLE and LZW/PackBits data of 1,024,000 bytes or more in units of that
     * size and then join them: for a moment the data is there twice.
     */
    static final long STAGGERED_UNIT = 1_024_000;

    /**
     * Largest string table of the JDK's LZW decoder between two clear codes: 3838 strings (codes
     * 258 to 4095) of which the k-th is at most k + 1 bytes long.
     */
    static final long LZW_MAX_STRING_BYTES = 3838L * 3839 / 2;

    /**
     * The LZW table's fixed part: its 4096 references, 256 one-byte strings and, per added string,
     * an array header and alignment (24 bytes at most).
     */
    static final long LZW_TABLE_OVERHEAD = 4096L * 4 + 16 + 256 * 24 + 3838L * 24;

    /**
     * The arrays a decode holds at once, summed separately for the heap and native memory: held
     * terms add up; steps are named groups of terms of which only the largest group counts.
     */
    private static final class Terms {
        private final StringBuilder heapText = new StringBuilder();
        private final StringBuilder nativeText = new StringBuilder();
        private final java.util.LinkedHashMap<String, long[]> steps =
                new java.util.LinkedHashMap<>();
        private final java.util.LinkedHashMap<String, StringBuilder> stepText =
                new java.util.LinkedHashMap<>();
        private long heap;
        private long nat;

        /** An array held for the whole decode (or at least through its largest step). */
        Terms heap(String what, long bytes) {
            if (bytes > 0) {
                heap = add(heap, bytes);
                append(heapText, what, bytes);
            }
            return this;
        }

        /**
         * An array live only during {@code step}, together with that step's other terms; the steps
         * follow each other, so only the largest step's total counts.
         */
        Terms step(String step, String what, long bytes) {
            if (bytes > 0) {
                long[] total = steps.computeIfAbsent(step, k -> new long[1]);
                total[0] = add(total[0], bytes);
                append(stepText.computeIfAbsent(step, k -> new StringBuilder()), what, bytes);
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
            String largest = null;
            long largestBytes = 0;
            for (var e : steps.entrySet()) {
                if (largest == null || e.getValue()[0] > largestBytes) {
                    largest = e.getKey();
                    largestBytes = e.getValue()[0];
                }
            }
            StringBuilder text = new StringBuilder("heap: ").append(heapText);
            if (largest != null) {
                text.append(" + largest step, ")
                        .append(largest)
                        .append(": ")
                        .append(stepText.get(largest));
                if (steps.size() > 1) {
                    text.append(" (smaller: ");
                    String sep = "";
                    for (var e : steps.entrySet()) {
                        if (!e.getKey().equals(largest)) {
                            text.append(sep)
                                    .append(e.getKey())
                                    .append(' ')
                                    .append(DecodeCost.formatBytes(e.getValue()[0]));
                            sep = ", ";
                        }
                    }
                    text.append(')');
                }
            }
            text.append(nat > 0 ? "; native: " + nativeText : "; native: none");
            return new DecodeCost(image, decoded, add(heap, largestBytes), nat, text.toString());
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
        // The JDK reader would turn a tRNS colour key of grey and RGB images into an alpha band,
        // which the output drops; the decoder asks for its image type without it, so the key
        // changes nothing here. Palettes, and greys below 8 bits, arrive packed with an index
        // colour model.
        boolean indexed = ct == PngHeader.COLOR_PALETTE || (ct == PngHeader.COLOR_GRAY && d < 8);
        long px = mul(w, ht);
        int sampleBytes = d == 16 ? 2 : 1;
        int outCh = h.outputChannels();
        long decoded = mul(px, (long) outCh * sampleBytes);
        long raster = indexed ? mul((w * d + 7) / 8, ht) : mul(px, (long) bands * sampleBytes);
        // The reader's raster becomes the output when its bands already are the output's (8/16-bit
        // grey and RGB, 8-bit RGBA); otherwise the converter copies.
        boolean wraps = !indexed && bands == outCh;
        long fileRow = (w * bands * d + 7) / 8;
        Terms t =
                new Terms()
                        .heap("payload", payload)
                        .heap("raster", raster)
                        .heap("reader", FIXED_HEAP);
        // Reading, row by row (an interlaced pass's rows are narrower): the current and prior
        // filtered row, the one-row raster they are copied into and, for 8-bit colour going into
        // the BGR image, the row Raster.setRect copies through; the inflater's and streams'
        // buffers. Each row's copy is garbage before the next row's is made.
        t.step("reading", "row buffers", mul(fileRow, 4) + 16 * 1024);
        if (!wraps) {
            t.step("conversion", indexed ? "palette expansion" : "converted copy", decoded)
                    .step(
                            "conversion",
                            "conversion rows",
                            mul(w, 4L * (bands + 1)) + (indexed ? 4 * 256 : 0));
        }
        return t.nat("zlib", INFLATER_NATIVE).done(describePng(h), decoded);
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
     *     images once per scan (it shows every scan as a progressive pass); each pass goes through
     *     the same row buffers, so it only changes the description
     */
    static DecodeCost jpeg(JpegHeader h, long payload, int outputPasses) {
        long w = h.width;
        long ht = h.height;
        int nf = Math.max(1, h.components);
        int outCh = h.outputChannels();
        long px = mul(w, ht);
        long decoded = mul(px, outCh);
        Terms t = new Terms().heap("payload", payload).heap("reader", FIXED_HEAP);
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
            if (rasterPath) {
                t.heap("raw raster", mul(px, nf))
                        .step("conversion", "conversion rows", mul(w, 16L * nf));
                if (nf == 4 || h.hasIccProfile) {
                    t.nat("colour management", LCMS_NATIVE);
                }
            }
            // One output row at a time, for every scan of a multi-scan image: libjpeg's row in
            // the reader's buffer, the one-row raster over it, and the row Raster.setRect copies
            // it through into the BGR image (then reordered in place).
            t.step("reading", "row buffers", mul(w, 3L * nf) + 1024);
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
        return t.done(
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
        Terms t = new Terms().heap("payload", payload).heap("reader", FIXED_HEAP);
        // The palette is read in 1 MB units, then joined: at most twice what the file holds.
        t.heap("palette", mul(Math.min(h.paletteBytes, payload), 2) + 4 * 256);
        t.heap("raster", raster);
        if (h.rle()) {
            // The compressed data is read into one array (in 1 MB units, then joined) and
            // expanded into the raster; it is garbage once the reader returns.
            long declared = h.imageSize != 0 ? h.imageSize : h.fileSizeField - h.dataOffset;
            long read = Math.max(0, Math.min(declared, payload));
            t.step("reading", "compressed data", staggered(read))
                    .step("reading", "line buffers", mul(w, 2) + 1024);
        } else {
            t.step("reading", "row buffers", mul(w, 8) + 1024);
        }
        if (!wraps) {
            t.step("conversion", indexed ? "palette expansion" : "converted copy", decoded)
                    .step("conversion", "conversion rows", mul(w, 16) + 4 * 256 * 4);
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
        return t.done(
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
        // The reader's raster becomes the output when its samples already are the output's: 8 and
        // 16-bit grey, RGB and RGBA (reordered in place if need be), and 32-bit float.
        boolean wraps =
                !palette
                        && !packed
                        && !converted
                        && !h.planar
                        && spp == outCh
                        && (isFloat ? bits == 32 : bits == 8 || bits == 16);
        Terms t =
                new Terms()
                        .heap("payload", payload)
                        .heap("directory fields", h.fieldHeapBytes)
                        .heap("raster", raster)
                        .heap("reader", FIXED_HEAP);
        long block = h.blockBytes();
        long largest = h.maxBlockBytes;
        // Each strip or tile is decoded on its own; its arrays are garbage before the next one's
        // are made, except where noted.
        String step = h.tiled ? "reading a tile" : "reading a strip";
        // Samples wider than a byte are decoded into a byte buffer first, then converted.
        if (container > 1) {
            t.step(step, "byte staging", block);
        }
        // Planar bands and colour-converted samples are decoded into an image of their own,
        // then copied into the raster.
        if (h.planar || converted) {
            t.step(step, "strip image", block);
        }
        // Tiles narrower than the image cannot be decompressed in place: one buffer per tile.
        boolean inPlace = !(h.tiled && h.blockWidth != w) || container > 1;
        long unpack = inPlace ? 0 : block;
        // Arrays the decompressor keeps in its fields after its last strip, live during the
        // conversion too.
        long kept = 0;
        switch (h.compression) {
            case TiffHeader.COMPRESSION_NONE -> {}
            case TiffHeader.COMPRESSION_ZLIB, TiffHeader.COMPRESSION_DEFLATE -> {
                t.step(step, "compressed data", largest)
                        .step(step, "inflate buffer", unpack)
                        .nat("zlib", INFLATER_NATIVE);
            }
            case TiffHeader.COMPRESSION_PACKBITS -> {
                t.step(step, "compressed data", staggered(largest))
                        .step(step, "unpack buffer", unpack);
            }
            case TiffHeader.COMPRESSION_LZW -> {
                // Every LZW code adds a table string of (previous string + 1) bytes, so a table
                // holds at most what was decoded since the last clear code plus an array header
                // per string. The decompressor keeps the last strip's data, output buffer and
                // table in fields until the next strip replaces them.
                long table = Math.min(block, LZW_MAX_STRING_BYTES) + LZW_TABLE_OVERHEAD;
                long buffers = unpack + (container > 1 ? block : 0);
                kept = add(add(table, largest), buffers);
                t.step(step, "compressed data", staggered(largest))
                        .step(step, "unpack buffer", unpack)
                        .step(step, "LZW table", table)
                        .step(step, "previous strip's LZW arrays", kept);
            }
            default -> {
                // JPEG, old-style JPEG, CCITT and anything rarer: the strip's bytes (kept with the
                // JPEG tables in the decompressor, and copied into a stream cache), a decoded
                // strip, and a codec set up for it (tables, metadata, buffers: measured at about
                // 160 kB for JPEG in JDK 17); for JPEG libjpeg's buffers outside the heap
                // (coefficients for a whole strip if it were progressive).
                kept = add(largest, h.fieldHeapBytes);
                t.step(step, "compressed data", mul(largest, 3))
                        .step(step, "decoded strip", block)
                        .step(step, "codec", 256 * 1024);
                t.nat("codec buffers", add(mul(block, 2), 1024 * 1024));
            }
        }
        if (converted) {
            // Java2D converts into a new 8-bit sRGB image, row by row, which the converter then
            // reorders in place into the output.
            t.step("conversion", "colour conversion", mul(px, outCh) + mul(w, 16L * spp))
                    .step("conversion", "decompressor's last strip", kept);
        } else if (!wraps) {
            t.step(
                            "conversion",
                            palette || packed ? "palette expansion" : "converted copy",
                            decoded)
                    .step(
                            "conversion",
                            "conversion rows",
                            // A row of int samples, or of palette indices and the four lookup
                            // tables over every value an index can take.
                            mul(w, 4L * spp) + (palette ? 4L << Math.min(bits, 16) : 0))
                    .step("conversion", "decompressor's last strip", kept);
        }
        String sampleKind = isFloat ? "float" : h.sampleFormat == 2 ? "signed" : "unsigned";
        return t.done(
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
                .step("conversion", bytes == 1 ? "copy" : "converted samples", decoded)
                .step("conversion", "buffers", 1024)
                .done(width + "x" + height + "x" + channels + " RAW " + format, decoded);
    }

    /** A read of {@code bytes} by the JDK's staggered reads: twice the data once it is joined. */
    static long staggered(long bytes) {
        return bytes >= STAGGERED_UNIT ? mul(bytes, 2) : bytes;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long roundUp(long a, long m) {
        return ceilDiv(a, m) * m;
    }
}
