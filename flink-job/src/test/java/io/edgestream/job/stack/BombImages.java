package io.edgestream.job.stack;

import io.edgestream.imaging.decode.TiffWriter;
import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Valid image files that are small on the wire but large once decoded ("memory bombs"), written at
 * test time so that nothing big is committed: a 7000x7000 16-bit PNG of zeros is a few hundred KB
 * because its pixel data compresses about a thousandfold.
 *
 * <p>Every file here is well formed (correct CRCs, lengths and offsets) and inside the job's input
 * limits ({@code max.pixels}, {@code max.dimension}, {@code max.record.bytes}): what makes it
 * dangerous is only the memory its decoded pixels need. The writers are deliberately tiny and
 * self-contained (PNG, TIFF and BMP are written byte by byte; JPEG by the JDK's encoder from a
 * raster whose rows all share one row of memory), so the test JVM never holds the decoded image.
 */
final class BombImages {
    private BombImages() {}

    // ---------------------------------------------------------------- PNG

    /** PNG colour types. */
    static final int PNG_GREY = 0;

    static final int PNG_RGB = 2;
    static final int PNG_PALETTE = 3;
    static final int PNG_RGBA = 6;

    /**
     * A PNG whose pixels are all zero (palette index 0 for palette images).
     *
     * @param bitDepth 1, 2, 4, 8 or 16 as the colour type allows
     * @param palette RGB triplets for colour type 3, else null
     */
    static byte[] zeroPng(int width, int height, int bitDepth, int colorType, byte[] palette) {
        int samples =
                switch (colorType) {
                    case PNG_GREY, PNG_PALETTE -> 1;
                    case PNG_RGB -> 3;
                    case PNG_RGBA -> 4;
                    default -> throw new IllegalArgumentException("colour type " + colorType);
                };
        long rowBytes = ((long) width * samples * bitDepth + 7) / 8;
        // Every row: filter type 0 (None) and zero samples.
        byte[] idat = deflateZeros(height * (rowBytes + 1), true);
        ByteArrayOutputStream png = new ByteArrayOutputStream(idat.length + 1024);
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType);
        ihdr.put((byte) 0).put((byte) 0).put((byte) 0); // deflate, adaptive filtering, no interlace
        png.writeBytes(pngChunk("IHDR", ihdr.array()));
        if (palette != null) {
            png.writeBytes(pngChunk("PLTE", palette));
        }
        // Split like encoders do (and so that no single chunk needs a huge buffer to verify).
        for (int off = 0; off < idat.length; off += 1 << 16) {
            int n = Math.min(1 << 16, idat.length - off);
            byte[] part = new byte[n];
            System.arraycopy(idat, off, part, 0, n);
            png.writeBytes(pngChunk("IDAT", part));
        }
        png.writeBytes(pngChunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * {@code length} zero bytes compressed with deflate, as a zlib stream ({@code zlib = true},
     * what PNG and TIFF compression 8 use) or raw. Fed in 1 MiB slices, so it never holds the
     * input.
     */
    static byte[] deflateZeros(long length, boolean zlib) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, !zlib);
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(zeros.length, left);
            d.setInput(zeros, 0, n);
            left -= n;
            while (!d.needsInput()) {
                int k = d.deflate(buf);
                out.write(buf, 0, k);
            }
        }
        d.finish();
        while (!d.finished()) {
            int k = d.deflate(buf);
            out.write(buf, 0, k);
        }
        d.end();
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- TIFF

    /** TIFF photometric interpretations and sample formats used here. */
    static final int TIFF_MIN_IS_BLACK = 1;

    static final int TIFF_RGB = 2;
    static final int TIFF_UINT = 1;
    static final int TIFF_FLOAT = 3;

    /**
     * A little-endian TIFF of {@code pages} identical pages, each one deflate-compressed strip
     * (compression 8) holding {@code strip} (zero bytes of the right length if null), written by
     * the imaging tests' {@link TiffWriter}. All pages point at the same strip, so many pages cost
     * only their directories.
     *
     * @param extraSamples ExtraSamples values (0 unspecified, 2 unassociated alpha), one per sample
     *     beyond the photometric interpretation's colour samples; empty for none
     */
    static byte[] deflateTiff(
            int width,
            int height,
            int samplesPerPixel,
            int bitsPerSample,
            int sampleFormat,
            int photometric,
            int[] extraSamples,
            int pages,
            byte[] strip) {
        long raw = (long) width * height * samplesPerPixel * bitsPerSample / 8;
        if (strip != null && strip.length != raw) {
            throw new IllegalArgumentException("strip has " + strip.length + " bytes, want " + raw);
        }
        byte[] compressed =
                strip == null
                        ? deflateZeros(raw, true)
                        : TiffWriter.deflate(strip, Deflater.BEST_COMPRESSION);
        TiffWriter.Page page =
                TiffWriter.Page.deflated(width, height, samplesPerPixel, bitsPerSample, compressed);
        page.sampleFormat = sampleFormat;
        page.photometric = photometric;
        page.extraSamples = extraSamples;
        // Every page is the same object, so the strip is in the file once.
        return TiffWriter.write(Collections.nCopies(pages, page));
    }

    // ---------------------------------------------------------------- BMP

    /**
     * An 8-bit palette BMP compressed with RLE8 in which every pixel is palette index 0: each row
     * is runs of 255 pixels, so a 7000x7000 file is about 400 KB. The two palette entries are black
     * and white; decoders expand the palette to RGB.
     */
    static byte[] rle8Bmp(int width, int height) {
        ByteArrayOutputStream rle = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            for (int left = width; left > 0; left -= 255) {
                rle.write(Math.min(255, left));
                rle.write(0);
            }
            if (y < height - 1) {
                rle.write(0); // end of line
                rle.write(0);
            }
        }
        rle.write(0); // end of bitmap
        rle.write(1);
        byte[] pixels = rle.toByteArray();
        int paletteBytes = 2 * 4;
        int dataOffset = 14 + 40 + paletteBytes;
        ByteBuffer b =
                ByteBuffer.allocate(dataOffset + pixels.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(dataOffset + pixels.length).putInt(0);
        b.putInt(dataOffset);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 8);
        b.putInt(1); // BI_RLE8
        b.putInt(pixels.length).putInt(2835).putInt(2835).putInt(2).putInt(0);
        b.put(new byte[] {0, 0, 0, 0}).put(new byte[] {(byte) 255, (byte) 255, (byte) 255, 0});
        b.put(pixels);
        return b.array();
    }

    // ---------------------------------------------------------------- JPEG

    /**
     * A black RGB JPEG encoded by the JDK's writer, progressive if asked. The source raster's rows
     * all alias one row of memory (scanline stride 0), so a 49-megapixel image costs the test JVM a
     * few KB; the encoder still encodes every row.
     */
    static byte[] blackJpeg(int width, int height, boolean progressive) {
        WritableRaster r = sharedRowRaster(new byte[width * 3], width, height, 3);
        ComponentColorModel cm =
                new ComponentColorModel(
                        ColorSpace.getInstance(ColorSpace.CS_sRGB),
                        false,
                        false,
                        Transparency.OPAQUE,
                        DataBuffer.TYPE_BYTE);
        BufferedImage img = new BufferedImage(cm, r, false, null);
        return io.edgestream.imaging.decode.TestImages.jdkJpeg(img, progressive);
    }

    /**
     * An Adobe CMYK JPEG (four components, APP14 with transform 0) with no ink at all, from a
     * raster whose rows share one row of memory.
     */
    static byte[] cmykJpeg(int width, int height) {
        byte[] row = new byte[width * 4];
        java.util.Arrays.fill(row, (byte) 255); // inverted CMYK: 255 = no ink
        return io.edgestream.imaging.decode.TestImages.adobeCmykJpeg(
                sharedRowRaster(row, width, height, 4));
    }

    /**
     * A byte raster of {@code height} rows that all read {@code row} (scanline stride 0): the
     * encoder sees a full image, the test JVM holds one row.
     */
    private static WritableRaster sharedRowRaster(byte[] row, int width, int height, int bands) {
        int[] offsets = new int[bands];
        for (int i = 0; i < bands; i++) {
            offsets[i] = i;
        }
        ComponentSampleModel sm =
                new ComponentSampleModel(DataBuffer.TYPE_BYTE, width, height, bands, 0, offsets);
        return Raster.createWritableRaster(
                sm, new DataBufferByte(row, row.length), new Point(0, 0));
    }
}
