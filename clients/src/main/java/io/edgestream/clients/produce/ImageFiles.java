package io.edgestream.clients.produce;

import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.decode.ImageDecodeException;
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.imaging.decode.ImageHeader;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.schemas.ImageEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The producer's view of image files: the encoding from the file's magic bytes (never from the file
 * name), the header's dimensions through the core's decoder (so a file the job would reject is
 * caught before it is sent), and packed RAW pixels for {@code --raw}.
 */
public final class ImageFiles {
    private ImageFiles() {}

    /**
     * The encoding of an image file from its first bytes, by the decoder's own signatures ({@link
     * ImageDecoder#sniff}): PNG, JPEG, BMP or TIFF; null for anything else.
     */
    public static ImageEncoding sniff(byte[] b) {
        String encoding = ImageDecoder.sniff(b);
        return encoding == null ? null : ImageEncoding.valueOf(encoding);
    }

    /** The header of an encoded image, as the job's decoder will see it. */
    public static ImageHeader probe(byte[] bytes, ImageEncoding encoding, DecodeLimits limits)
            throws ImageDecodeException {
        ImageHeader h = ImageDecoder.probe(bytes, encoding.name());
        limits.check(h.width(), h.height(), encoding + " image");
        return h;
    }

    /** Decodes an encoded image fully, keeping its bit depth. */
    public static DecodedImage decode(byte[] bytes, ImageEncoding encoding, DecodeLimits limits)
            throws ImageDecodeException {
        return ImageDecoder.decode(bytes, encoding.name(), 0, 0, 0, null, limits);
    }

    /** The decoded pixels packed as the RAW encoding of {@link DecodedImage#format()} expects. */
    public static byte[] packRaw(DecodedImage img) {
        int w = img.width();
        int h = img.height();
        int c = img.channels();
        int row = w * c;
        if (img.bitDepth() == 8) {
            ImageU8 u = img.u8();
            byte[] out = new byte[row * h];
            for (int y = 0; y < h; y++) {
                System.arraycopy(u.data, u.offset + y * u.stride, out, y * row, row);
            }
            return out;
        }
        if (img.bitDepth() == 16) {
            ImageU16 u = img.u16();
            ByteBuffer out = ByteBuffer.allocate(row * h * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int y = 0; y < h; y++) {
                out.asShortBuffer().position(y * row).put(u.data, u.offset + y * u.stride, row);
            }
            return out.array();
        }
        ImageF32 f = img.f32();
        ByteBuffer out = ByteBuffer.allocate(row * h * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < h; y++) {
            out.asFloatBuffer().position(y * row).put(f.data, f.offset + y * f.stride, row);
        }
        return out.array();
    }
}
