package io.edgestream.clients.consume;

import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * 8-bit previews of decoded input images for the gallery: 8-bit samples as they are, 16-bit samples
 * shifted to their high byte, float samples stretched from their finite min..max to 0..255; grey
 * stays grey, three or more channels become RGB (alpha dropped).
 */
public final class Thumbnails {
    private Thumbnails() {}

    /** The decoded image as an 8-bit grey or RGB image. */
    public static BufferedImage toImage(DecodedImage img) {
        int w = img.width();
        int h = img.height();
        int c = img.channels();
        boolean rgb = c >= 3;
        BufferedImage out =
                new BufferedImage(
                        w, h, rgb ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        ImageU8 u8 = img.bitDepth() == 8 ? img.u8() : null;
        ImageU16 u16 = img.bitDepth() == 16 ? img.u16() : null;
        ImageF32 f32 = u8 == null && u16 == null ? img.f32() : null;
        float lo = f32 == null ? 0 : img.minValue();
        float hi = f32 == null ? 0 : img.maxValue();
        float scale = f32 == null || !(hi > lo) ? 0 : 255f / (hi - lo);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (rgb) {
                    int o = (y * w + x) * 3;
                    px[o + 2] = sample(u8, u16, f32, lo, scale, x, y, 0);
                    px[o + 1] = sample(u8, u16, f32, lo, scale, x, y, 1);
                    px[o] = sample(u8, u16, f32, lo, scale, x, y, 2);
                } else {
                    px[y * w + x] = sample(u8, u16, f32, lo, scale, x, y, 0);
                }
            }
        }
        return out;
    }

    private static byte sample(
            ImageU8 u8, ImageU16 u16, ImageF32 f32, float lo, float scale, int x, int y, int ch) {
        if (u8 != null) {
            return (byte) u8.get(x, y, ch);
        }
        if (u16 != null) {
            return (byte) (u16.get(x, y, ch) >>> 8);
        }
        float v = f32.get(x, y, ch);
        if (!Float.isFinite(v)) {
            return 0;
        }
        return (byte) Math.max(0, Math.min(255, Math.round((v - lo) * scale)));
    }
}
