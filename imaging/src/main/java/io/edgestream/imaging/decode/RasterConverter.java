package io.edgestream.imaging.decode;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferFloat;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Turns a {@link BufferedImage} produced by an ImageIO reader into our HWC buffers without
 * per-pixel virtual calls. The common layouts (interleaved bytes or shorts, as JPEG and PNG readers
 * produce, and TIFF's float samples) are read straight from the {@link DataBuffer} array: when the
 * layout already is packed HWC it is wrapped without copying, when only the channel order differs
 * (BGR) it is reordered in place, otherwise copied once. Palettes go through lookup tables.
 * Anything else takes a row-at-a-time {@link Raster#getPixels} path, which is slower but still one
 * call per row.
 *
 * <p>The reader's image is consumed: its buffer may end up inside the result, or be modified.
 */
final class RasterConverter {
    private RasterConverter() {}

    /**
     * Channels to produce for an image whose format has no header of ours (BMP, TIFF): grey stays 1
     * channel, palettes and colour give 3, or 4 when there is alpha and samples are 8-bit (16-bit
     * alpha is dropped because there is no RGBA16 pixel format).
     */
    static int defaultChannels(ColorModel cm, int dataType) {
        if (cm instanceof IndexColorModel) {
            return cm.hasAlpha() ? 4 : 3;
        }
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && cm.getNumColorComponents() == 1) {
            return 1;
        }
        boolean eightBit = dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_INT;
        return cm.hasAlpha() && eightBit ? 4 : 3;
    }

    /** Bits per output sample the conversion will produce for this image (8, 16 or 32). */
    static int outputBitDepth(ColorModel cm, SampleModel sm) {
        if (cm instanceof IndexColorModel) {
            return 8;
        }
        int type = sm.getDataType();
        if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
            return 32;
        }
        int maxBits = 0;
        for (int s : cm.getComponentSize()) {
            maxBits = Math.max(maxBits, s);
        }
        return maxBits <= 8 ? 8 : maxBits <= 16 ? 16 : 32;
    }

    /**
     * Converts {@code img} to {@code channels} channels (1 grey, 3 RGB, 4 RGBA).
     *
     * @param what the format, for messages
     * @throws ImageDecodeException UNDECODABLE_IMAGE if the decoded image cannot be expressed with
     *     that many channels (e.g. the header said grey but the data decoded as colour)
     */
    static DecodedImage convert(BufferedImage img, int channels, String what)
            throws ImageDecodeException {
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return fromPalette(r, icm, channels, what);
        }
        int csType = cm.getColorSpace().getType();
        int colour = cm.getNumColorComponents();
        boolean grey = csType == ColorSpace.TYPE_GRAY && colour == 1;
        boolean rgb = csType == ColorSpace.TYPE_RGB && colour == 3;
        if (!grey && !rgb) {
            // Rare (e.g. a CMYK or Lab TIFF): let Java2D convert to sRGB once, then take the
            // fast path. Precision beyond 8 bits is lost here, which is acceptable for this case.
            BufferedImage srgb =
                    new BufferedImage(
                            img.getWidth(),
                            img.getHeight(),
                            cm.hasAlpha()
                                    ? BufferedImage.TYPE_4BYTE_ABGR
                                    : BufferedImage.TYPE_3BYTE_BGR);
            new ColorConvertOp(null).filter(img, srgb);
            return convert(srgb, channels, what);
        }
        int[] bands = new int[channels];
        if (channels == 1) {
            if (!grey) {
                throw mismatch(what, "colour", channels);
            }
            bands[0] = 0;
        } else if (channels == 3 || channels == 4) {
            if (!rgb) {
                throw mismatch(what, "greyscale", channels);
            }
            bands[0] = 0;
            bands[1] = 1;
            bands[2] = 2;
            if (channels == 4) {
                // -1: the source has no alpha, fill opaque.
                bands[3] = cm.hasAlpha() ? 3 : -1;
            }
        } else {
            throw new IllegalArgumentException("channels must be 1, 3 or 4, got " + channels);
        }

        return fromBands(r, cm, bands);
    }

    /**
     * Converts taking raster bands {@code bands} as grey (one band) or R, G, B (three) whatever the
     * colour model's colour space. For TIFFs whose photometric interpretation is grey or RGB but
     * whose extra samples made the JDK reader invent an N-colour colour space: a colour conversion
     * from that space is meaningless, and Java2D's non-ICC conversion allocates about 200 bytes per
     * pixel.
     */
    static DecodedImage convertBands(BufferedImage img, int[] bands) {
        return fromBands(img.getRaster(), img.getColorModel(), bands.clone());
    }

    private static DecodedImage fromBands(Raster r, ColorModel cm, int[] bands) {
        int channels = bands.length;
        SampleModel sm = r.getSampleModel();
        boolean fullSamples =
                allComponentSizes(cm, sm.getDataType() == DataBuffer.TYPE_BYTE ? 8 : 16);
        if (sm instanceof ComponentSampleModel csm
                && r.getDataBuffer().getNumBanks() == 1
                && singleBank(csm)
                && bands[channels - 1] >= 0
                && fullSamples) {
            if (sm.getDataType() == DataBuffer.TYPE_BYTE) {
                return DecodedImage.ofU8(interleavedU8(r, csm, bands));
            }
            if (sm.getDataType() == DataBuffer.TYPE_USHORT && channels != 4) {
                return DecodedImage.ofU16(interleavedU16(r, csm, bands));
            }
        }
        if (sm instanceof ComponentSampleModel csm
                && r.getDataBuffer() instanceof DataBufferFloat dbf
                && dbf.getNumBanks() == 1
                && singleBank(csm)
                && bands[channels - 1] >= 0) {
            // Float samples (TIFF) already laid out as packed HWC: the output, no copy.
            int w = r.getWidth();
            int h = r.getHeight();
            float[] data = dbf.getData();
            if (base(r, csm) == 0
                    && csm.getPixelStride() == channels
                    && csm.getScanlineStride() == w * channels
                    && isIdentity(offsets(csm, bands))
                    && data.length == w * h * channels) {
                return DecodedImage.ofF32(ImageF32.wrap(data, w, h, channels));
            }
        }
        return generic(r, cm, bands);
    }

    // ---------------------------------------------------------------- interleaved fast paths

    private static ImageU8 interleavedU8(Raster r, ComponentSampleModel csm, int[] bands) {
        int w = r.getWidth();
        int h = r.getHeight();
        int c = bands.length;
        byte[] src = ((DataBufferByte) r.getDataBuffer()).getData();
        int ps = csm.getPixelStride();
        int ss = csm.getScanlineStride();
        int base = base(r, csm);
        int[] offs = offsets(csm, bands);
        if (base == 0 && ps == c && ss == w * c && isPermutation(offs)) {
            if (!isIdentity(offs)) {
                permuteInPlace(src, w * h * c, offs);
            }
            return ImageU8.wrap(src, w, h, c);
        }
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), c)];
        int d = 0;
        for (int y = 0; y < h; y++) {
            int p = base + y * ss;
            switch (c) {
                case 1 -> {
                    int o0 = p + offs[0];
                    for (int x = 0; x < w; x++, o0 += ps) {
                        out[d++] = src[o0];
                    }
                }
                case 3 -> {
                    int o0 = offs[0];
                    int o1 = offs[1];
                    int o2 = offs[2];
                    for (int x = 0; x < w; x++, p += ps) {
                        out[d] = src[p + o0];
                        out[d + 1] = src[p + o1];
                        out[d + 2] = src[p + o2];
                        d += 3;
                    }
                }
                default -> {
                    int o0 = offs[0];
                    int o1 = offs[1];
                    int o2 = offs[2];
                    int o3 = offs[3];
                    for (int x = 0; x < w; x++, p += ps) {
                        out[d] = src[p + o0];
                        out[d + 1] = src[p + o1];
                        out[d + 2] = src[p + o2];
                        out[d + 3] = src[p + o3];
                        d += 4;
                    }
                }
            }
        }
        return ImageU8.wrap(out, w, h, c);
    }

    private static ImageU16 interleavedU16(Raster r, ComponentSampleModel csm, int[] bands) {
        int w = r.getWidth();
        int h = r.getHeight();
        int c = bands.length;
        short[] src = ((DataBufferUShort) r.getDataBuffer()).getData();
        int ps = csm.getPixelStride();
        int ss = csm.getScanlineStride();
        int base = base(r, csm);
        int[] offs = offsets(csm, bands);
        if (base == 0 && ps == c && ss == w * c && isIdentity(offs)) {
            return ImageU16.wrap(src, w, h, c);
        }
        short[] out = new short[Math.multiplyExact(Math.multiplyExact(w, h), c)];
        int d = 0;
        for (int y = 0; y < h; y++) {
            int p = base + y * ss;
            for (int x = 0; x < w; x++, p += ps) {
                for (int k = 0; k < c; k++) {
                    out[d++] = src[p + offs[k]];
                }
            }
        }
        return ImageU16.wrap(out, w, h, c);
    }

    /** Array index of pixel (minX, minY) of the raster, without band offset. */
    private static int base(Raster r, ComponentSampleModel csm) {
        int x0 = r.getMinX() - r.getSampleModelTranslateX();
        int y0 = r.getMinY() - r.getSampleModelTranslateY();
        return r.getDataBuffer().getOffset()
                + y0 * csm.getScanlineStride()
                + x0 * csm.getPixelStride();
    }

    private static int[] offsets(ComponentSampleModel csm, int[] bands) {
        int[] bo = csm.getBandOffsets();
        int[] offs = new int[bands.length];
        for (int k = 0; k < bands.length; k++) {
            offs[k] = bo[bands[k]];
        }
        return offs;
    }

    private static boolean singleBank(ComponentSampleModel csm) {
        for (int bank : csm.getBankIndices()) {
            if (bank != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allComponentSizes(ColorModel cm, int bits) {
        for (int s : cm.getComponentSize()) {
            if (s != bits) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentity(int[] offs) {
        for (int k = 0; k < offs.length; k++) {
            if (offs[k] != k) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPermutation(int[] offs) {
        int seen = 0;
        for (int o : offs) {
            if (o < 0 || o >= offs.length || (seen & (1 << o)) != 0) {
                return false;
            }
            seen |= 1 << o;
        }
        return true;
    }

    /** Reorders packed pixels so that output channel k takes the byte at offset offs[k]. */
    private static void permuteInPlace(byte[] a, int n, int[] offs) {
        if (offs.length == 3) {
            int o0 = offs[0];
            int o1 = offs[1];
            int o2 = offs[2];
            for (int i = 0; i < n; i += 3) {
                byte v0 = a[i + o0];
                byte v1 = a[i + o1];
                byte v2 = a[i + o2];
                a[i] = v0;
                a[i + 1] = v1;
                a[i + 2] = v2;
            }
        } else {
            int o0 = offs[0];
            int o1 = offs[1];
            int o2 = offs[2];
            int o3 = offs[3];
            for (int i = 0; i < n; i += 4) {
                byte v0 = a[i + o0];
                byte v1 = a[i + o1];
                byte v2 = a[i + o2];
                byte v3 = a[i + o3];
                a[i] = v0;
                a[i + 1] = v1;
                a[i + 2] = v2;
                a[i + 3] = v3;
            }
        }
    }

    // ---------------------------------------------------------------- palette

    private static DecodedImage fromPalette(
            Raster r, IndexColorModel icm, int channels, String what) throws ImageDecodeException {
        int w = r.getWidth();
        int h = r.getHeight();
        int bits = r.getSampleModel().getSampleSize(0);
        // Table covers every value an index sample can hold, so a corrupt index cannot overrun.
        int lutSize = Math.max(icm.getMapSize(), 1 << Math.min(bits, 16));
        byte[] red = new byte[lutSize];
        byte[] green = new byte[lutSize];
        byte[] blue = new byte[lutSize];
        byte[] alpha = new byte[lutSize];
        java.util.Arrays.fill(alpha, (byte) 0xFF);
        icm.getReds(red);
        icm.getGreens(green);
        icm.getBlues(blue);
        icm.getAlphas(alpha);
        if (channels == 1) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                if (red[i] != green[i] || red[i] != blue[i]) {
                    throw mismatch(what, "colour palette", channels);
                }
            }
        }
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), channels)];
        int[] idx = new int[w];
        int d = 0;
        for (int y = 0; y < h; y++) {
            indexRow(r, y, idx);
            switch (channels) {
                case 1 -> {
                    for (int x = 0; x < w; x++) {
                        out[d++] = red[idx[x]];
                    }
                }
                case 3 -> {
                    for (int x = 0; x < w; x++) {
                        int i = idx[x];
                        out[d] = red[i];
                        out[d + 1] = green[i];
                        out[d + 2] = blue[i];
                        d += 3;
                    }
                }
                default -> {
                    for (int x = 0; x < w; x++) {
                        int i = idx[x];
                        out[d] = red[i];
                        out[d + 1] = green[i];
                        out[d + 2] = blue[i];
                        out[d + 3] = alpha[i];
                        d += 4;
                    }
                }
            }
        }
        return DecodedImage.ofU8(ImageU8.wrap(out, w, h, channels));
    }

    /** Palette indices of row {@code y} (relative to the raster's origin) into {@code idx}. */
    private static void indexRow(Raster r, int y, int[] idx) {
        int w = idx.length;
        SampleModel sm = r.getSampleModel();
        int x0 = r.getMinX() - r.getSampleModelTranslateX();
        int y0 = r.getMinY() - r.getSampleModelTranslateY();
        DataBuffer db = r.getDataBuffer();
        if (db instanceof DataBufferByte dbb && db.getNumBanks() == 1) {
            byte[] data = dbb.getData();
            if (sm instanceof MultiPixelPackedSampleModel mpp) {
                // 1, 2 or 4-bit indices packed big-end first, as PNG stores them.
                int bits = mpp.getPixelBitStride();
                int mask = (1 << bits) - 1;
                int rowStart = db.getOffset() + (y0 + y) * mpp.getScanlineStride();
                int bitPos = mpp.getDataBitOffset() + x0 * bits;
                for (int x = 0; x < w; x++, bitPos += bits) {
                    int shift = 8 - bits - (bitPos & 7);
                    idx[x] = (data[rowStart + (bitPos >>> 3)] >> shift) & mask;
                }
                return;
            }
            if (sm instanceof ComponentSampleModel csm) {
                int p = base(r, csm) + y * csm.getScanlineStride() + csm.getBandOffsets()[0];
                int ps = csm.getPixelStride();
                for (int x = 0; x < w; x++, p += ps) {
                    idx[x] = data[p] & 0xFF;
                }
                return;
            }
        }
        r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, 0, idx);
    }

    // ---------------------------------------------------------------- generic (row at a time)

    private static DecodedImage generic(Raster r, ColorModel cm, int[] bands) {
        int w = r.getWidth();
        int h = r.getHeight();
        int c = bands.length;
        int nb = r.getNumBands();
        int depth = outputBitDepth(cm, r.getSampleModel());
        int n = Math.multiplyExact(Math.multiplyExact(w, h), c);
        if (depth == 32) {
            float[] out = new float[n];
            float[] row = new float[w * nb];
            int d = 0;
            for (int y = 0; y < h; y++) {
                r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        out[d++] = bands[k] < 0 ? 1f : row[x * nb + bands[k]];
                    }
                }
            }
            return DecodedImage.ofF32(ImageF32.wrap(out, w, h, c));
        }
        int outMax = depth == 8 ? 255 : 65535;
        int[] sizes = cm.getComponentSize();
        // Samples narrower than the output (5-bit BMP fields, 12-bit TIFF) are rescaled so that
        // full scale stays full scale.
        int[] srcMax = new int[c];
        for (int k = 0; k < c; k++) {
            srcMax[k] = bands[k] < 0 ? outMax : (1 << sizes[bands[k]]) - 1;
        }
        int[] row = new int[w * nb];
        byte[] out8 = depth == 8 ? new byte[n] : null;
        short[] out16 = depth == 16 ? new short[n] : null;
        int d = 0;
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    int v;
                    if (bands[k] < 0) {
                        v = outMax;
                    } else {
                        v = row[x * nb + bands[k]];
                        if (srcMax[k] != outMax) {
                            v = (int) (((long) v * outMax + srcMax[k] / 2) / srcMax[k]);
                        }
                    }
                    if (out8 != null) {
                        out8[d++] = (byte) v;
                    } else {
                        out16[d++] = (short) v;
                    }
                }
            }
        }
        if (out8 != null) {
            return DecodedImage.ofU8(ImageU8.wrap(out8, w, h, c));
        }
        if (c == 4) {
            // No RGBA16 format: drop alpha (documented on the callers).
            short[] rgb = new short[w * h * 3];
            for (int i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
                rgb[i] = out16[j];
                rgb[i + 1] = out16[j + 1];
                rgb[i + 2] = out16[j + 2];
            }
            return DecodedImage.ofU16(ImageU16.wrap(rgb, w, h, 3));
        }
        return DecodedImage.ofU16(ImageU16.wrap(out16, w, h, c));
    }

    private static ImageDecodeException mismatch(String what, String decodedAs, int channels) {
        return new ImageDecodeException(
                DecodeFailure.UNDECODABLE_IMAGE,
                what
                        + " header promises "
                        + channels
                        + " channel(s) but the data decoded as "
                        + decodedAs
                        + "; the file is inconsistent or corrupt");
    }
}
