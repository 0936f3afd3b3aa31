package io.edgestream.job.testing;

import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Generated test images and the input records that carry them. Pixels are seeded noise with a
 * bright rectangle, so every filter sees edges and every tile differs.
 */
public final class TestImages {
    private static final AvroWire<ImageFrame> WIRE = AvroWire.imageFrames();

    private TestImages() {}

    /** {@code w*h*channels} 8-bit samples. */
    public static byte[] samples8(int w, int h, int channels, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[w * h * channels];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = x > w / 4 && x < w / 2 && y > h / 3 && y < 2 * h / 3;
                for (int c = 0; c < channels; c++) {
                    int v = (inside ? 200 : 30) + r.nextInt(40);
                    b[(y * w + x) * channels + c] = (byte) v;
                }
            }
        }
        return b;
    }

    /** RAW GRAY8 payload. */
    public static byte[] rawGray8(int w, int h, long seed) {
        return samples8(w, h, 1, seed);
    }

    /** An 8-bit RGB PNG file. */
    public static byte[] pngRgb8(int w, int h, long seed) {
        byte[] s = samples8(w, h, 3, seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                int rgb = (s[i] & 0xff) << 16 | (s[i + 1] & 0xff) << 8 | (s[i + 2] & 0xff);
                img.setRGB(x, y, rgb);
            }
        }
        return png(img);
    }

    /** A 16-bit greyscale PNG file (values spread over 0..65535). */
    public static byte[] pngGray16(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = x > w / 3 && y > h / 4 && y < h / 2;
                raster.setSample(x, y, 0, (inside ? 50000 : 8000) + r.nextInt(5000));
            }
        }
        return png(img);
    }

    /**
     * A 16-bit RGB PNG of zeros: deflate shrinks it to a tiny fraction of its decoded size (a
     * memory bomb under every size limit).
     */
    public static byte[] png16Rgb(int w, int h) {
        java.awt.color.ColorSpace srgb =
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB);
        java.awt.image.ComponentColorModel cm =
                new java.awt.image.ComponentColorModel(
                        srgb,
                        new int[] {16, 16, 16},
                        false,
                        false,
                        java.awt.Transparency.OPAQUE,
                        java.awt.image.DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        return png(new BufferedImage(cm, raster, false, null));
    }

    private static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** RAW FLOAT32 little-endian payload. */
    public static byte[] rawFloat32(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** An input frame. */
    public static ImageFrame frame(
            String imageId,
            ImageEncoding encoding,
            PixelFormat format,
            int w,
            int h,
            int channels,
            byte[] data) {
        return ImageFrame.newBuilder()
                .setImageId(imageId)
                .setSourceId("camera-1")
                .setCaptureTimeMs(1_700_000_000_000L)
                .setSequence(7)
                .setBatchId("batch-1")
                .setWidth(w)
                .setHeight(h)
                .setChannels(channels)
                .setPixelFormat(format)
                .setEncoding(encoding)
                .setData(ByteBuffer.wrap(data))
                .setAttributes(Map.of("file", FILE_NAME))
                .build();
    }

    /** The attribute {@code file} of every {@link #frame}: the job copies it to sourceName. */
    public static final String FILE_NAME = "board 1.png";

    public static byte[] encode(ImageFrame f) {
        return WIRE.encode(f);
    }

    /** An encoded RAW GRAY8 frame. */
    public static byte[] gray8Record(String imageId, int w, int h, long seed) {
        return encode(
                frame(
                        imageId,
                        ImageEncoding.RAW,
                        PixelFormat.GRAY8,
                        w,
                        h,
                        1,
                        rawGray8(w, h, seed)));
    }

    /** A RAW GRAY8 frame (seed 1), to change before encoding it. */
    public static ImageFrame gray8Frame(String imageId, int w, int h) {
        return frame(imageId, ImageEncoding.RAW, PixelFormat.GRAY8, w, h, 1, rawGray8(w, h, 1));
    }
}
