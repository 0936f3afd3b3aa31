package io.edgestream.job.testing;

import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The classic hostile-input corpus, one list for both runs of it: {@code HostileInputITCase} on a
 * MiniCluster and {@code StackHostileInputITCase} on the real stack. The image files come from
 * {@link HostileCorpusFiles}; the malformed records are built here.
 */
public final class HostileCases {
    private HostileCases() {}

    /**
     * One input record: its value (null for a tombstone), the frame it carries if it is one, and
     * either the dead-letter reason it must get or, if {@code expected} is null, processing.
     */
    public record Case(String name, byte[] value, ImageFrame frame, DeadLetterReason expected) {
        public static Case dead(String name, byte[] value, DeadLetterReason reason) {
            return new Case(name, value, null, reason);
        }

        public static Case deadFrame(String name, ImageFrame f, DeadLetterReason reason) {
            return new Case(name, TestImages.encode(f), f, reason);
        }

        public static Case processed(String name, ImageFrame f) {
            return new Case(name, TestImages.encode(f), f, null);
        }

        public byte[] key() {
            return name.getBytes(StandardCharsets.UTF_8);
        }
    }

    public static ImageFrame encoded(String id, ImageEncoding enc, byte[] data) {
        return TestImages.frame(id, enc, null, 0, 0, 0, data);
    }

    public static ImageFrame raw(String id, PixelFormat f, int w, int h, int c, byte[] data) {
        return TestImages.frame(id, ImageEncoding.RAW, f, w, h, c, data);
    }

    /**
     * Broken files, malformed records and edge-case images, each dead-lettered with its reason or
     * processed. Names are the image ids and the record keys.
     */
    public static List<Case> classic() {
        List<Case> c = new ArrayList<>();
        c.add(
                Case.deadFrame(
                        "truncated-jpeg",
                        encoded(
                                "truncated-jpeg",
                                ImageEncoding.JPEG,
                                HostileCorpusFiles.read("truncated.jpg")),
                        DeadLetterReason.TRUNCATED_IMAGE));
        c.add(
                Case.deadFrame(
                        "png-corrupted-chunk",
                        encoded(
                                "png-corrupted-chunk",
                                ImageEncoding.PNG,
                                HostileCorpusFiles.read("corrupted-chunk.png")),
                        DeadLetterReason.UNDECODABLE_IMAGE));
        byte[] random = HostileCorpusFiles.read("random.bin");
        c.add(Case.dead("random-bytes-record", random, DeadLetterReason.NOT_WIRE_FORMAT));
        c.add(
                Case.deadFrame(
                        "random-bytes-as-png",
                        encoded("random-bytes-as-png", ImageEncoding.PNG, random),
                        DeadLetterReason.UNDECODABLE_IMAGE));
        c.add(Case.dead("empty-record-value", new byte[0], DeadLetterReason.NOT_WIRE_FORMAT));
        c.add(Case.dead("tombstone-null-value", null, DeadLetterReason.NOT_WIRE_FORMAT));
        c.add(
                Case.deadFrame(
                        "empty-image-data",
                        encoded("empty-image-data", ImageEncoding.PNG, new byte[0]),
                        DeadLetterReason.UNDECODABLE_IMAGE));
        // A valid single-object header and body, but the fingerprint of no known schema.
        byte[] unknown = TestImages.gray8Record("unknown-schema-fingerprint", 16, 16, 2);
        System.arraycopy(
                AvroWire.header(0x0123_4567_89ab_cdefL), 0, unknown, 0, AvroWire.HEADER_LENGTH);
        c.add(Case.dead("unknown-schema-fingerprint", unknown, DeadLetterReason.UNKNOWN_SCHEMA));
        byte[] good = TestImages.gray8Record("truncated-avro", 40, 30, 3);
        c.add(
                Case.dead(
                        "truncated-avro",
                        Arrays.copyOf(good, good.length * 2 / 3),
                        DeadLetterReason.MALFORMED_RECORD));
        c.add(
                Case.deadFrame(
                        "raw-byte-count-mismatch",
                        raw("raw-byte-count-mismatch", PixelFormat.GRAY8, 16, 16, 1, new byte[255]),
                        DeadLetterReason.RAW_SIZE_MISMATCH));
        c.add(
                Case.deadFrame(
                        "raw-zero-width",
                        raw("raw-zero-width", PixelFormat.GRAY8, 0, 16, 1, new byte[0]),
                        DeadLetterReason.INVALID_DIMENSIONS));
        c.add(
                Case.deadFrame(
                        "raw-negative-width",
                        raw("raw-negative-width", PixelFormat.GRAY8, -4, 16, 1, new byte[64]),
                        DeadLetterReason.INVALID_DIMENSIONS));
        c.add(
                Case.deadFrame(
                        "png-negative-declared-height",
                        TestImages.frame(
                                "png-negative-declared-height",
                                ImageEncoding.PNG,
                                null,
                                24,
                                -20,
                                0,
                                TestImages.pngRgb8(24, 20, 3)),
                        DeadLetterReason.INVALID_DIMENSIONS));
        c.add(
                Case.deadFrame(
                        "png-header-claims-100000x100000",
                        encoded(
                                "png-header-claims-100000x100000",
                                ImageEncoding.PNG,
                                HostileCorpusFiles.read("claims-100000x100000.png")),
                        DeadLetterReason.TOO_MANY_PIXELS));
        c.add(
                Case.deadFrame(
                        "one-pixel-image-3x3-filter",
                        raw(
                                "one-pixel-image-3x3-filter",
                                PixelFormat.GRAY8,
                                1,
                                1,
                                1,
                                new byte[] {42}),
                        DeadLetterReason.IMAGE_SMALLER_THAN_FILTER));
        c.add(
                Case.processed(
                        "float32-nan-and-infinity",
                        raw(
                                "float32-nan-and-infinity",
                                PixelFormat.FLOAT32,
                                12,
                                10,
                                1,
                                TestImages.rawFloat32(floatsWithNonFinite(12, 10)))));
        float[] nan = new float[16 * 16];
        Arrays.fill(nan, Float.NaN);
        c.add(
                Case.deadFrame(
                        "float32-all-nan",
                        raw(
                                "float32-all-nan",
                                PixelFormat.FLOAT32,
                                16,
                                16,
                                1,
                                TestImages.rawFloat32(nan)),
                        DeadLetterReason.PROCESSING_ERROR));
        c.add(
                Case.processed(
                        "png-16-bit-small",
                        encoded(
                                "png-16-bit-small",
                                ImageEncoding.PNG,
                                HostileCorpusFiles.read("gray16.png"))));
        c.add(
                Case.processed(
                        "png-rgba-small",
                        encoded(
                                "png-rgba-small",
                                ImageEncoding.PNG,
                                HostileCorpusFiles.read("rgba.png"))));
        c.add(
                Case.processed(
                        "jpeg-cmyk-small",
                        encoded(
                                "jpeg-cmyk-small",
                                ImageEncoding.JPEG,
                                HostileCorpusFiles.read("cmyk.jpg"))));
        return c;
    }

    /** A ramp with a NaN, +infinity and -infinity in it. */
    static float[] floatsWithNonFinite(int w, int h) {
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % w) * 0.5f + (i / w) * 0.25f;
        }
        v[2 * w + 3] = Float.NaN;
        v[5 * w + 8] = Float.POSITIVE_INFINITY;
        v[7 * w + 1] = Float.NEGATIVE_INFINITY;
        return v;
    }
}
