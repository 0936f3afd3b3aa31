package io.edgestream.imaging.decode;

import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builds test images in memory and encodes them with the JDK's ImageIO writers. */
public final class TestImages {
    private TestImages() {}

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(img, format, ios)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and " + img);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An image of the given type with random samples in every band. */
    static BufferedImage random(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        fillRandom(img.getRaster(), seed);
        return img;
    }

    static void fillRandom(WritableRaster r, long seed) {
        Random rnd = new Random(seed);
        int[] px = new int[r.getNumBands()];
        for (int y = 0; y < r.getHeight(); y++) {
            for (int x = 0; x < r.getWidth(); x++) {
                for (int b = 0; b < px.length; b++) {
                    int bits = r.getSampleModel().getSampleSize(b);
                    px[b] = rnd.nextInt(1 << bits);
                }
                r.setPixel(x, y, px);
            }
        }
    }

    /** A 16-bit-per-sample RGB image (the PNG writer stores it as a 16-bit RGB PNG). */
    static BufferedImage rgb16(int w, int h, long seed) {
        ComponentColorModel cm =
                new ComponentColorModel(
                        ColorSpace.getInstance(ColorSpace.CS_sRGB),
                        new int[] {16, 16, 16},
                        false,
                        false,
                        Transparency.OPAQUE,
                        DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        fillRandom(r, seed);
        return new BufferedImage(cm, r, false, null);
    }

    /** An 8-bit grey+alpha image (the PNG writer stores it as colour type 4). */
    static BufferedImage greyAlpha8(int w, int h, long seed) {
        ComponentColorModel cm =
                new ComponentColorModel(
                        ColorSpace.getInstance(ColorSpace.CS_GRAY),
                        new int[] {8, 8},
                        true,
                        false,
                        Transparency.TRANSLUCENT,
                        DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        fillRandom(r, seed);
        return new BufferedImage(cm, r, false, null);
    }

    /** A smooth RGB image: JPEG reproduces it within a few levels. */
    static BufferedImage smoothRgb(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(
                        x,
                        y,
                        new int[] {
                            x * 255 / Math.max(1, w - 1), y * 255 / Math.max(1, h - 1), 128
                        });
            }
        }
        return img;
    }

    /** The JDK's own ImageIO writer for {@code format}, not a plug-in's (e.g. TwelveMonkeys). */
    public static ImageWriter jdkWriter(String format) {
        for (var it = ImageIO.getImageWritersByFormatName(format); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
            w.dispose();
        }
        throw new IllegalStateException("no JDK writer for " + format);
    }

    /**
     * Encodes {@code image} with {@code writer} (disposed after) and {@code p} (null: defaults).
     */
    public static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, image, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A baseline or progressive JPEG from the JDK's encoder, at its default quality. */
    public static byte[] jdkJpeg(RenderedImage image, boolean progressive) {
        ImageWriter writer = jdkWriter("jpeg");
        ImageWriteParam p = writer.getDefaultWriteParam();
        if (progressive) {
            p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        return write(writer, new IIOImage(image, null, null), p);
    }

    /**
     * A CMYK JPEG as Photoshop writes them: four components and an Adobe APP14 segment with
     * transform 0, samples stored inverted (255 = no ink). The JDK's writer encodes the 4-band
     * raster as-is; we then insert the APP14 segment after SOI.
     */
    public static byte[] adobeCmykJpeg(Raster invertedCmyk) {
        byte[] plain = write(jdkWriter("jpeg"), new IIOImage(invertedCmyk, null, null), null);
        byte[] app14 = {
            (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
        };
        byte[] result = new byte[plain.length + app14.length];
        result[0] = plain[0];
        result[1] = plain[1];
        System.arraycopy(app14, 0, result, 2, app14.length);
        System.arraycopy(plain, 2, result, 2 + app14.length, plain.length - 2);
        return result;
    }

    /**
     * A 32-bit BMP, which the JDK writer does not make (it writes 24 bits for TYPE_INT_RGB): BGRX
     * with a 40-byte header, or with a 108-byte V4 header whose bit fields include an alpha mask.
     */
    static byte[] bmp32(int w, int h, boolean alpha) {
        int dib = alpha ? 108 : 40;
        int offset = 14 + dib;
        int size = offset + w * h * 4;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(size).putInt(0).putInt(offset);
        b.putInt(dib).putInt(w).putInt(h).putShort((short) 1).putShort((short) 32);
        b.putInt(alpha ? 3 : 0).putInt(w * h * 4).putInt(2835).putInt(2835).putInt(0).putInt(0);
        if (alpha) {
            b.putInt(0x00FF0000).putInt(0x0000FF00).putInt(0x000000FF).putInt(0xFF000000);
            b.putInt(0x73524742); // 'sRGB'
            b.put(new byte[36 + 12]); // endpoints and gammas, unused for sRGB
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = 0; x < w; x++) {
                b.put((byte) (x * 3 + y * 2 + 80)).put((byte) (x * 3 + y * 2 + 40));
                b.put((byte) (x * 3 + y * 2)).put((byte) (alpha ? (x + y * 5) : 0));
            }
        }
        return b.array();
    }

    /** A PNG chunk: length, type, data and a valid CRC. */
    public static byte[] pngChunk(String type, byte[] data) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length)
                .put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** PNG signature and an 8-bit RGB IHDR with valid CRCs, then {@code more} chunks. */
    public static byte[] pngHeader(int width, int height, byte[]... more) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13);
        ihdr.putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        out.writeBytes(pngChunk("IHDR", ihdr.array()));
        for (byte[] m : more) {
            out.writeBytes(m);
        }
        return out.toByteArray();
    }

    public static WritableRaster byteRaster(int w, int h, int bands) {
        return Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, bands, new Point(0, 0));
    }

    static byte[] resource(String path) {
        try (InputStream in = TestImages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + path + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
