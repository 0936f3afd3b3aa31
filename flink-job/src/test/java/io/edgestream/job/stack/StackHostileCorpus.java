package io.edgestream.job.stack;

import static io.edgestream.job.testing.HostileCases.encoded;
import static io.edgestream.job.testing.HostileCases.raw;

import io.edgestream.job.testing.HostileCases;
import io.edgestream.job.testing.HostileCorpusFiles;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The input of {@link StackHostileInputITCase}: good images (the photographs of {@code samples/},
 * RAW frames) and a hostile case for every class of input that has hurt pipelines like this one,
 * each with the outcome the job must produce. Large cases are generated here, at test time (they
 * compress well on the wire or are plain zeros), never committed.
 *
 * <p>Limits assumed (the job's defaults): {@code max.pixels} 50,000,000, {@code max.record.bytes}
 * 16 MiB, the topics' {@code max.message.bytes} 32 MiB, filters {@code vertical,horizontal,sobel}
 * (3x3, VALID).
 */
final class StackHostileCorpus {
    private StackHostileCorpus() {}

    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    private static final int MIB = 1024 * 1024;

    /** What a case must come out as. */
    enum Kind {
        /** Processed: one EdgeStats per filter and every tile, correct. */
        PROCESSED,
        /** Exactly one dead letter with {@link Case#reason}. */
        DEAD,
        /**
         * A decode of {@link Case#decodedBytes} (plus {@link Case#floatBytes} if the job makes a
         * float32 copy): decided against the per-slot memory budget of the running TaskManagers
         * (see {@link Expected}).
         */
        BUDGET
    }

    /** How a processed case's maps are checked. */
    enum Check {
        /** Bit for bit against the imaging core's whole-image convolution (and its statistics). */
        REFERENCE,
        /**
         * Every sample is 0: the image is uniform and every default filter sums to zero. Checked
         * tile by tile as the tiles arrive, so a 49-megapixel map is never held.
         */
        ZEROS
    }

    /**
     * One input record: its key and value (null for a tombstone), the frame it carries if it is
     * one, and the expected outcome.
     */
    record Case(
            String name,
            byte[] key,
            byte[] value,
            ImageFrame frame,
            Kind kind,
            String reason,
            long decodedBytes,
            long floatBytes,
            Check check) {
        String imageId() {
            return frame == null ? null : frame.getImageId();
        }

        String expectation() {
            return switch (kind) {
                case PROCESSED -> "is processed";
                case DEAD -> "is dead-lettered as " + reason;
                case BUDGET ->
                        String.format(
                                Locale.ROOT,
                                "decodes to %d MB (%d MB as float32): processed, or %s if over the"
                                        + " budget",
                                decodedBytes / 1_000_000,
                                floatBytes / 1_000_000,
                                Expected.MEMORY_BUDGET_EXCEEDED);
            };
        }
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static Case processed(String name, ImageFrame f) {
        return new Case(
                name,
                key(name),
                AvroWire.imageFrames().encode(f),
                f,
                Kind.PROCESSED,
                null,
                0,
                0,
                Check.REFERENCE);
    }

    private static Case dead(String name, byte[] value, String reason) {
        return new Case(name, key(name), value, null, Kind.DEAD, reason, 0, 0, null);
    }

    private static Case deadFrame(String name, ImageFrame f, String reason) {
        return new Case(
                name,
                key(name),
                AvroWire.imageFrames().encode(f),
                f,
                Kind.DEAD,
                reason,
                0,
                0,
                null);
    }

    /**
     * An image of {@code pixels} pixels whose decoder holds {@code decodedBytesPerPixel} bytes per
     * pixel (all samples as the file stores them, or as they are expanded to, whichever is more)
     * and whose float32 copy, if the job makes one, has {@code channels} channels.
     */
    private static Case bomb(
            String name,
            ImageFrame f,
            long pixels,
            int decodedBytesPerPixel,
            int channels,
            Check check) {
        return new Case(
                name,
                key(name),
                AvroWire.imageFrames().encode(f),
                f,
                Kind.BUDGET,
                null,
                pixels * decodedBytesPerPixel,
                pixels * channels * 4L,
                check);
    }

    /** Good images: the photographs in samples/ and RAW frames. */
    static List<Case> good(Path repo) {
        List<Case> cases = new ArrayList<>();
        List<Path> photos;
        try (Stream<Path> s = Files.list(repo.resolve("samples"))) {
            photos = s.filter(p -> p.toString().matches(".*\\.(jpg|png)$")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (photos.isEmpty()) {
            throw new IllegalStateException("no photographs in " + repo.resolve("samples"));
        }
        for (Path p : photos) {
            String name = "photo-" + p.getFileName();
            ImageEncoding enc =
                    p.toString().endsWith(".png") ? ImageEncoding.PNG : ImageEncoding.JPEG;
            try {
                cases.add(processed(name, encoded(name, enc, Files.readAllBytes(p))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        cases.add(
                processed(
                        "raw-rgb8-640x480-a",
                        raw(
                                "raw-rgb8-640x480-a",
                                PixelFormat.RGB8,
                                640,
                                480,
                                3,
                                TestImages.samples8(640, 480, 3, 11))));
        cases.add(
                processed(
                        "raw-rgb8-640x480-b",
                        raw(
                                "raw-rgb8-640x480-b",
                                PixelFormat.RGB8,
                                640,
                                480,
                                3,
                                TestImages.samples8(640, 480, 3, 12))));
        cases.add(
                processed(
                        "raw-gray8-320x240",
                        raw(
                                "raw-gray8-320x240",
                                PixelFormat.GRAY8,
                                320,
                                240,
                                1,
                                TestImages.rawGray8(320, 240, 13))));
        return cases;
    }

    /** The hostile corpus, every class of the brief. */
    static List<Case> hostile() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(classic());
        cases.addAll(avroLengthPrefixes());
        cases.addAll(memoryBombs());
        cases.addAll(underTheBudget());
        cases.addAll(oversizedRecords());
        cases.addAll(hugeFields());
        return cases;
    }

    /** Good and hostile cases interleaved: a hostile one, and after every third a good one. */
    static List<Case> interleaved(Path repo) {
        List<Case> good = good(repo);
        List<Case> bad = hostile();
        List<Case> out = new ArrayList<>();
        int g = 0;
        for (int i = 0; i < bad.size(); i++) {
            out.add(bad.get(i));
            if (i % 3 == 0 && g < good.size()) {
                out.add(good.get(g++));
            }
        }
        out.addAll(good.subList(g, good.size()));
        return out;
    }

    // ---------------------------------------------------------------- the classic corpus

    /** What HostileInputITCase expects (on a MiniCluster), here on the real stack. */
    static List<Case> classic() {
        return HostileCases.classic().stream().map(StackHostileCorpus::onTheStack).toList();
    }

    private static Case onTheStack(HostileCases.Case c) {
        if (c.expected() == null) {
            return processed(c.name(), c.frame());
        }
        return new Case(
                c.name(),
                c.key(),
                c.value(),
                c.frame(),
                Kind.DEAD,
                c.expected().name(),
                0,
                0,
                null);
    }

    // ---------------------------------------------------------------- Avro length prefixes

    /**
     * Valid headers and bodies except one length or count prefix near 2^31: a reader that allocates
     * what a prefix claims before checking the bytes are there runs out of memory.
     */
    static List<Case> avroLengthPrefixes() {
        List<Case> c = new ArrayList<>();
        byte[] header = AvroWire.header(AvroWire.imageFrames().currentFingerprint());
        ByteArrayOutputStream idLength = new ByteArrayOutputStream();
        idLength.writeBytes(header);
        writeLong(idLength, Integer.MAX_VALUE); // imageId: a string of 2^31-1 bytes ...
        idLength.writeBytes("only-these-bytes".getBytes(StandardCharsets.US_ASCII)); // ... or not
        c.add(dead("avro-image-id-length-2^31", idLength.toByteArray(), "MALFORMED_RECORD"));

        byte[] marker = "DATA-MARKER-0123".getBytes(StandardCharsets.US_ASCII);
        ImageFrame f = raw("avro-data-length-2^31", PixelFormat.GRAY8, 4, 4, 1, marker);
        c.add(
                dead(
                        "avro-data-length-2^31",
                        replacePrefix(
                                AvroWire.imageFrames().encode(f),
                                marker,
                                1,
                                Integer.MAX_VALUE - 1L),
                        "MALFORMED_RECORD"));

        ImageFrame g = raw("avro-attributes-count-2^31", PixelFormat.GRAY8, 4, 4, 1, new byte[16]);
        String attrKey = "ATTRIBUTE-MARKER";
        g.setAttributes(Map.of(attrKey, "v"));
        // A map block: count, then key length and key: the count sits 2 bytes before the key.
        c.add(
                dead(
                        "avro-attributes-count-2^31",
                        replacePrefix(
                                AvroWire.imageFrames().encode(g),
                                attrKey.getBytes(StandardCharsets.US_ASCII),
                                2,
                                Integer.MAX_VALUE),
                        "MALFORMED_RECORD"));
        return c;
    }

    /**
     * {@code encoded} with the one-byte Avro varint {@code back} bytes before {@code marker}
     * replaced by the varint of {@code value}.
     */
    private static byte[] replacePrefix(byte[] encoded, byte[] marker, int back, long value) {
        int at = indexOf(encoded, marker) - back;
        if (at < AvroWire.HEADER_LENGTH || (encoded[at] & 0x80) != 0) {
            throw new IllegalStateException("no one-byte prefix before the marker");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(encoded, 0, at);
        writeLong(out, value);
        out.write(encoded, at + 1, encoded.length - at - 1);
        return out.toByteArray();
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        try {
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            e.writeLong(v);
            e.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] a, byte[] b) {
        int i = HostileCorpusFiles.indexOf(a, b);
        if (i < 0) {
            throw new IllegalStateException("marker not found");
        }
        return i;
    }

    // ---------------------------------------------------------------- memory bombs

    /**
     * One or more per format, each inside every limit of the job (pixels, dimensions, record size):
     * small files that decode to hundreds of MB. All pixels are zero (or no ink), so if the budget
     * lets one through, every map sample must be 0.
     */
    static List<Case> memoryBombs() {
        List<Case> c = new ArrayList<>();
        int s = 7000; // 49,000,000 pixels, under max.pixels = 50,000,000
        long p = (long) s * s;
        byte[] palette = {0, 0, 0, (byte) 255, (byte) 255, (byte) 255};
        c.add(
                bomb(
                        "png-16bit-rgb-7000x7000-zeros",
                        encoded(
                                "png-16bit-rgb-7000x7000-zeros",
                                ImageEncoding.PNG,
                                BombImages.zeroPng(s, s, 16, BombImages.PNG_RGB, null)),
                        p,
                        6,
                        3,
                        Check.ZEROS));
        c.add(
                bomb(
                        "png-16bit-grey-7000x7000-zeros",
                        encoded(
                                "png-16bit-grey-7000x7000-zeros",
                                ImageEncoding.PNG,
                                BombImages.zeroPng(s, s, 16, BombImages.PNG_GREY, null)),
                        p,
                        2,
                        1,
                        Check.ZEROS));
        c.add(
                bomb(
                        "png-16bit-rgba-7000x7000-zeros",
                        encoded(
                                "png-16bit-rgba-7000x7000-zeros",
                                ImageEncoding.PNG,
                                BombImages.zeroPng(s, s, 16, BombImages.PNG_RGBA, null)),
                        p,
                        8,
                        3,
                        Check.ZEROS));
        int m = 7071; // 49,999,041 pixels: just under max.pixels
        c.add(
                bomb(
                        "png-8bit-rgb-7071x7071-zeros",
                        encoded(
                                "png-8bit-rgb-7071x7071-zeros",
                                ImageEncoding.PNG,
                                BombImages.zeroPng(m, m, 8, BombImages.PNG_RGB, null)),
                        (long) m * m,
                        3,
                        3,
                        Check.ZEROS));
        c.add(
                bomb(
                        "png-1bit-palette-7000x7000-to-rgb",
                        encoded(
                                "png-1bit-palette-7000x7000-to-rgb",
                                ImageEncoding.PNG,
                                BombImages.zeroPng(s, s, 1, BombImages.PNG_PALETTE, palette)),
                        p,
                        3,
                        3,
                        Check.ZEROS));
        c.add(
                bomb(
                        "tiff-float32-rgb-7000x7000",
                        encoded(
                                "tiff-float32-rgb-7000x7000",
                                ImageEncoding.TIFF,
                                BombImages.deflateTiff(
                                        s,
                                        s,
                                        3,
                                        32,
                                        BombImages.TIFF_FLOAT,
                                        BombImages.TIFF_RGB,
                                        new int[0],
                                        1,
                                        null)),
                        p,
                        12,
                        3,
                        Check.ZEROS));
        // Eight samples per pixel: decoded as 8 bands, then converted to RGB (3 channels out).
        c.add(
                bomb(
                        "tiff-8-samples-7000x7000",
                        encoded(
                                "tiff-8-samples-7000x7000",
                                ImageEncoding.TIFF,
                                BombImages.deflateTiff(
                                        s,
                                        s,
                                        8,
                                        8,
                                        BombImages.TIFF_UINT,
                                        BombImages.TIFF_MIN_IS_BLACK,
                                        new int[] {0, 0, 0, 0, 0, 0, 0},
                                        1,
                                        null)),
                        p,
                        8,
                        3,
                        Check.ZEROS));
        c.add(
                bomb(
                        "tiff-1000-pages-7000x7000-rgb",
                        encoded(
                                "tiff-1000-pages-7000x7000-rgb",
                                ImageEncoding.TIFF,
                                BombImages.deflateTiff(
                                        s,
                                        s,
                                        3,
                                        8,
                                        BombImages.TIFF_UINT,
                                        BombImages.TIFF_RGB,
                                        new int[0],
                                        1000,
                                        null)),
                        p,
                        3,
                        3,
                        Check.ZEROS));
        c.add(
                bomb(
                        "tiff-deflate-16bit-rgb-7000x7000",
                        encoded(
                                "tiff-deflate-16bit-rgb-7000x7000",
                                ImageEncoding.TIFF,
                                BombImages.deflateTiff(
                                        s,
                                        s,
                                        3,
                                        16,
                                        BombImages.TIFF_UINT,
                                        BombImages.TIFF_RGB,
                                        new int[0],
                                        1,
                                        null)),
                        p,
                        6,
                        3,
                        Check.ZEROS));
        c.add(
                bomb(
                        "bmp-rle8-7000x7000-to-rgb",
                        encoded(
                                "bmp-rle8-7000x7000-to-rgb",
                                ImageEncoding.BMP,
                                BombImages.rle8Bmp(s, s)),
                        p,
                        3,
                        3,
                        Check.ZEROS));
        byte[] progressive = BombImages.blackJpeg(s, s, true);
        if (indexOf(progressive, new byte[] {(byte) 0xFF, (byte) 0xC2}) < 0) {
            throw new IllegalStateException(
                    "the JPEG writer did not write a progressive (SOF2) file");
        }
        c.add(
                bomb(
                        "jpeg-progressive-7000x7000",
                        encoded("jpeg-progressive-7000x7000", ImageEncoding.JPEG, progressive),
                        p,
                        3,
                        3,
                        Check.ZEROS));
        c.add(
                bomb(
                        "jpeg-cmyk-7000x7000",
                        encoded(
                                "jpeg-cmyk-7000x7000",
                                ImageEncoding.JPEG,
                                BombImages.cmykJpeg(s, s)),
                        p,
                        4,
                        3,
                        Check.ZEROS));
        return c;
    }

    /**
     * Large but modest decodes that any budget admits: they must be processed correctly. RAW at the
     * record-size limit, a 16-bit PNG, a TIFF with many pages (only the first is the image).
     */
    static List<Case> underTheBudget() {
        List<Case> c = new ArrayList<>();
        int fw = 2047; // 2047 x 2047 x 4 bytes = 16,760,836: the record just fits 16 MiB
        float[] v = new float[fw * fw];
        Random r = new Random(7);
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i % fw) / 64 + (i / fw) / 48) % 2 == 0 ? r.nextFloat() : 1000f + r.nextFloat();
        }
        Case f32 =
                bomb(
                        "raw-float32-2047x2047-at-record-limit",
                        raw(
                                "raw-float32-2047x2047-at-record-limit",
                                PixelFormat.FLOAT32,
                                fw,
                                fw,
                                1,
                                TestImages.rawFloat32(v)),
                        (long) fw * fw,
                        4,
                        1,
                        Check.REFERENCE);
        c.add(f32);
        int rw = 1672; // 1672 x 1672 x 6 bytes = 16,773,504
        byte[] rgb16 = new byte[rw * rw * 6];
        r.nextBytes(rgb16);
        Case r16 =
                bomb(
                        "raw-rgb16-1672x1672-at-record-limit",
                        raw(
                                "raw-rgb16-1672x1672-at-record-limit",
                                PixelFormat.RGB16,
                                rw,
                                rw,
                                3,
                                rgb16),
                        (long) rw * rw,
                        6,
                        3,
                        Check.REFERENCE);
        c.add(r16);
        for (Case x : List.of(f32, r16)) {
            if (x.value().length > MAX_RECORD_BYTES
                    || x.value().length < MAX_RECORD_BYTES - 64 * 1024) {
                throw new IllegalStateException(
                        x.name() + " is " + x.value().length + " bytes, not at the limit");
            }
        }
        c.add(
                bomb(
                        "png-16bit-grey-2000x1500",
                        encoded(
                                "png-16bit-grey-2000x1500",
                                ImageEncoding.PNG,
                                TestImages.pngGray16(2000, 1500, 17)),
                        2000L * 1500,
                        2,
                        1,
                        Check.REFERENCE));
        byte[] page = TestImages.samples8(1000, 800, 3, 19);
        c.add(
                bomb(
                        "tiff-100-pages-1000x800-rgb",
                        encoded(
                                "tiff-100-pages-1000x800-rgb",
                                ImageEncoding.TIFF,
                                BombImages.deflateTiff(
                                        1000,
                                        800,
                                        3,
                                        8,
                                        BombImages.TIFF_UINT,
                                        BombImages.TIFF_RGB,
                                        new int[0],
                                        100,
                                        page)),
                        1000L * 800,
                        3,
                        3,
                        Check.REFERENCE));
        return c;
    }

    // ---------------------------------------------------------------- oversized records

    /**
     * Records above the job's max.record.bytes (16 MiB) but under the topic's limit (32 MiB), so
     * Kafka delivers them and the job must refuse them itself, with a dead letter that fits the
     * dead-letter topic: payload empty or truncated, original size recorded.
     */
    static List<Case> oversizedRecords() {
        List<Case> c = new ArrayList<>();
        for (int mib : new int[] {20, 31}) {
            String name = "record-" + mib + "MiB";
            int w = 4096;
            int h = (mib * MIB - 512) / w;
            ImageFrame f = raw(name, PixelFormat.GRAY8, w, h, 1, new byte[w * h]);
            Case x = deadFrame(name, f, Expected.RECORD_TOO_LARGE);
            if (x.value().length <= MAX_RECORD_BYTES
                    || x.value().length >= StackKafka.TOPIC_MAX_MESSAGE_BYTES - 4096) {
                throw new IllegalStateException(name + " is " + x.value().length + " bytes");
            }
            c.add(x);
        }
        return c;
    }

    // ---------------------------------------------------------------- huge fields

    /**
     * Valid, small images whose ids, attributes or key are huge: they end up in every output record
     * and must be refused before that (max.id.bytes, max.attributes.bytes, max.key.bytes).
     */
    static List<Case> hugeFields() {
        List<Case> c = new ArrayList<>();
        String big = "x".repeat(600_000);
        ImageFrame id = small("image-id-600KB-" + big);
        c.add(hugeField("image-id-600KB", id));
        ImageFrame source = small("source-id-600KB");
        source.setSourceId(big);
        c.add(hugeField("source-id-600KB", source));
        ImageFrame batch = small("batch-id-600KB");
        batch.setBatchId(big);
        c.add(hugeField("batch-id-600KB", batch));
        ImageFrame many = small("attributes-60000-entries");
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < 60_000; i++) {
            attrs.put(String.format(Locale.ROOT, "attribute-%05d", i), "value-" + i);
        }
        many.setAttributes(attrs);
        c.add(hugeField("attributes-60000-entries", many));
        ImageFrame one = small("attribute-value-2MB");
        one.setAttributes(Map.of("note", "y".repeat(2 * MIB)));
        c.add(hugeField("attribute-value-2MB", one));
        ImageFrame keyed = small("record-key-600KB");
        byte[] hugeKey = ("record-key-600KB:" + big).getBytes(StandardCharsets.UTF_8);
        c.add(
                new Case(
                        "record-key-600KB",
                        hugeKey,
                        AvroWire.imageFrames().encode(keyed),
                        keyed,
                        Kind.DEAD,
                        Expected.FIELD_TOO_LARGE,
                        0,
                        0,
                        null));
        return c;
    }

    private static ImageFrame small(String id) {
        return raw(id, PixelFormat.GRAY8, 64, 48, 1, TestImages.rawGray8(64, 48, id.length()));
    }

    private static Case hugeField(String name, ImageFrame f) {
        return deadFrame(name, f, Expected.FIELD_TOO_LARGE);
    }
}
