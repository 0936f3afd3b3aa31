package io.edgestream.job.testing;

import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input value per dead-letter reason the decoder can produce, for options with {@code
 * max.pixels=10000}, {@code max.record.bytes=100000} and a filter of at least 5x5 (so a 4x4 image
 * is too small). INCOMPLETE_IMAGE cannot come from a single record; the merge's operator test
 * covers it.
 */
public final class BadRecords {
    private BadRecords() {}

    public static String imageIdOf(DeadLetterReason r) {
        return "bad-" + r.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Failures found while decoding the image (the record itself is valid Avro). */
    public static Map<DeadLetterReason, byte[]> decodeFailures() {
        Map<DeadLetterReason, byte[]> m = new LinkedHashMap<>();
        m.put(
                DeadLetterReason.UNSUPPORTED_ENCODING,
                encoded(
                        DeadLetterReason.UNSUPPORTED_ENCODING,
                        ImageEncoding.JPEG,
                        null,
                        0,
                        0,
                        0,
                        jpeg12Bit()));
        m.put(
                DeadLetterReason.UNDECODABLE_IMAGE,
                encoded(
                        DeadLetterReason.UNDECODABLE_IMAGE,
                        ImageEncoding.PNG,
                        null,
                        0,
                        0,
                        0,
                        "this is not a png file at all".getBytes(StandardCharsets.UTF_8)));
        byte[] png = TestImages.pngRgb8(32, 32, 5);
        m.put(
                DeadLetterReason.TRUNCATED_IMAGE,
                encoded(
                        DeadLetterReason.TRUNCATED_IMAGE,
                        ImageEncoding.PNG,
                        null,
                        0,
                        0,
                        0,
                        Arrays.copyOf(png, png.length / 2)));
        m.put(
                DeadLetterReason.RAW_SIZE_MISMATCH,
                encoded(
                        DeadLetterReason.RAW_SIZE_MISMATCH,
                        ImageEncoding.RAW,
                        PixelFormat.GRAY8,
                        16,
                        16,
                        1,
                        new byte[100]));
        m.put(
                DeadLetterReason.INVALID_DIMENSIONS,
                encoded(
                        DeadLetterReason.INVALID_DIMENSIONS,
                        ImageEncoding.PNG,
                        null,
                        33,
                        32,
                        0,
                        png));
        m.put(
                DeadLetterReason.TOO_MANY_PIXELS,
                encoded(
                        DeadLetterReason.TOO_MANY_PIXELS,
                        ImageEncoding.RAW,
                        PixelFormat.GRAY8,
                        120,
                        100,
                        1,
                        TestImages.rawGray8(120, 100, 3)));
        return m;
    }

    /** Every reason a single record can have, each with one value. */
    public static Map<DeadLetterReason, byte[]> all() {
        Map<DeadLetterReason, byte[]> m = new LinkedHashMap<>();
        m.put(DeadLetterReason.NOT_WIRE_FORMAT, "plain text".getBytes(StandardCharsets.UTF_8));
        m.put(
                DeadLetterReason.UNKNOWN_SCHEMA,
                Arrays.copyOf(AvroWire.header(0x0bad_cafe_f00dL), 32));
        byte[] good = TestImages.gray8Record("truncated", 16, 16, 1);
        m.put(DeadLetterReason.MALFORMED_RECORD, Arrays.copyOf(good, 14));
        m.putAll(decodeFailures());
        m.put(DeadLetterReason.RECORD_TOO_LARGE, new byte[100_001]);
        m.put(
                DeadLetterReason.IMAGE_SMALLER_THAN_FILTER,
                encoded(
                        DeadLetterReason.IMAGE_SMALLER_THAN_FILTER,
                        ImageEncoding.RAW,
                        PixelFormat.GRAY8,
                        4,
                        4,
                        1,
                        TestImages.rawGray8(4, 4, 1)));
        m.put(DeadLetterReason.PROCESSING_ERROR, processingError());
        return m;
    }

    /**
     * A FLOAT32 image whose samples are all NaN: it decodes, but it has no finite value range to
     * derive a histogram from, an unexpected failure the job must dead-letter, not crash on.
     */
    public static byte[] processingError() {
        float[] v = new float[16 * 16];
        Arrays.fill(v, Float.NaN);
        return encoded(
                DeadLetterReason.PROCESSING_ERROR,
                ImageEncoding.RAW,
                PixelFormat.FLOAT32,
                16,
                16,
                1,
                TestImages.rawFloat32(v));
    }

    private static byte[] encoded(
            DeadLetterReason r,
            ImageEncoding enc,
            PixelFormat format,
            int w,
            int h,
            int c,
            byte[] data) {
        return TestImages.encode(TestImages.frame(imageIdOf(r), enc, format, w, h, c, data));
    }

    /** A JPEG whose frame header declares 12-bit samples (baseline readers cannot decode it). */
    static byte[] jpeg12Bit() {
        return new byte[] {
            (byte) 0xFF,
            (byte) 0xD8, // SOI
            (byte) 0xFF,
            (byte) 0xC1, // SOF1, extended sequential
            0x00,
            0x0B, // length 11
            0x0C, // precision 12
            0x00,
            0x10,
            0x00,
            0x10, // 16 x 16
            0x01, // one component
            0x01,
            0x11,
            0x00,
            (byte) 0xFF,
            (byte) 0xDA, // SOS
            0x00,
            0x08,
            0x01,
            0x01,
            0x00,
            0x00,
            0x3F,
            0x00,
            (byte) 0xFF,
            (byte) 0xD9 // EOI
        };
    }
}
