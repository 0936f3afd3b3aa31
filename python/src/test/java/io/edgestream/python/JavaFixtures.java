package io.edgestream.python;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgestream.clients.consume.OutputDir;
import io.edgestream.clients.consume.SafeNames;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.imaging.decode.ImageHeader;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.DensityGrid;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.Histogram;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.MapSamples;
import io.edgestream.schemas.wire.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes what the Python suite's {@code tests/test_java.py} compares with: values the Java codec
 * encodes (every record type, every map data type with the float32 samples {@link MapSamples}
 * decodes, version-1 values, ImageFrames built from files and arrays), Java's fingerprints of every
 * schema version, the Java consumer's file names for some ids, and the record limits. The layout is
 * described in that file.
 */
final class JavaFixtures {
    private JavaFixtures() {}

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static void write(Path dir) throws Exception {
        Files.createDirectories(dir);
        fingerprints(dir);
        records(dir.resolve("records"));
        old(dir.resolve("old"));
        tiles(dir.resolve("tiles"));
        frames(dir.resolve("frames"));
        safeNames(dir);
        dirNames(dir);
        JSON.writeValue(
                dir.resolve("record-limits.json").toFile(),
                Map.of(
                        "TOPIC_MAX_MESSAGE_BYTES", RecordLimits.TOPIC_MAX_MESSAGE_BYTES,
                        "RECORD_OVERHEAD_BYTES", RecordLimits.RECORD_OVERHEAD_BYTES));
    }

    private static void fingerprints(Path dir) throws IOException {
        Map<String, String> fps = new TreeMap<>();
        for (String name : List.of("ImageFrame", "FeatureMapTile", "EdgeStats", "DeadLetter")) {
            List<Schema> versions = SchemaHistory.versions(name);
            for (int i = 0; i < versions.size(); i++) {
                fps.put(
                        name + ".v" + (i + 1),
                        String.format("%016x", AvroWire.fingerprint(versions.get(i))));
            }
        }
        JSON.writeValue(dir.resolve("fingerprints.json").toFile(), fps);
    }

    // ---- every record type, every field set

    static ImageFrame imageFrame() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("lens", "wide");
        attrs.put("exposureUs", "8000");
        return ImageFrame.newBuilder()
                .setImageId("cam-7/000042")
                .setSourceId("cam-7")
                .setCaptureTimeMs(1_700_000_000_123L)
                .setSequence(42L)
                .setBatchId("batch-2024-01")
                .setWidth(4)
                .setHeight(3)
                .setChannels(3)
                .setPixelFormat(PixelFormat.RGB8)
                .setEncoding(ImageEncoding.RAW)
                .setData(ByteBuffer.wrap(sequenceBytes(4 * 3 * 3)))
                .setAttributes(attrs)
                .build();
    }

    static FeatureMapTile featureMapTile(MapDataType type, float[] values, float scale) {
        return FeatureMapTile.newBuilder()
                .setImageId("cam-7/000042")
                .setSourceId("cam-7")
                .setFilter("sobel_x")
                .setTileIndex(5)
                .setTileCount(12)
                .setX(96)
                .setY(64)
                .setWidth(7)
                .setHeight(5)
                .setMapWidth(254)
                .setMapHeight(190)
                .setChannels(values.length / 35)
                .setDataType(type)
                .setData(ByteBuffer.wrap(MapSamples.encode(values, type, scale, 0f)))
                .setCaptureTimeMs(1_700_000_000_123L)
                .setSequence(42L)
                .setScale(scale)
                .setOffset(0f)
                .build();
    }

    static EdgeStats edgeStats() {
        return EdgeStats.newBuilder()
                .setImageId("cam-7/000042")
                .setSourceId("cam-7")
                .setBatchId("batch-2024-01")
                .setFilter("sobel")
                .setInputWidth(640)
                .setInputHeight(480)
                .setMapWidth(640)
                .setMapHeight(480)
                .setChannels(1)
                .setTileCount(12)
                .setPixelCount(640L * 480)
                .setMin(-12.5)
                .setMax(1442.5)
                .setMean(37.25)
                .setStddev(80.125)
                .setMeanAbs(40.5)
                .setEdgeThreshold(100)
                .setEdgeCount(1234)
                .setEdgeFraction(1234.0 / (640 * 480))
                .setHistogram(
                        Histogram.newBuilder()
                                .setMin(-12.5)
                                .setMax(1442.5)
                                .setCounts(List.of(300_000L, 7_000L, 200L))
                                .build())
                .setOrientationHistogram(List.of(1L, 2L, 3L, 4L))
                .setDensityGrid(
                        DensityGrid.newBuilder()
                                .setRows(1)
                                .setCols(2)
                                .setValues(List.of(0.25f, 0.1f))
                                .build())
                .setCaptureTimeMs(1_700_000_000_123L)
                .setIngestTimeMs(1_700_000_000_200L)
                .setCompletedTimeMs(1_700_000_000_900L)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("images")
                .setSourcePartition(1)
                .setSourceOffset(99)
                .setSourceTimestampMs(1_700_000_000_200L)
                .setKey(ByteBuffer.wrap(new byte[] {'c', 'a', 'm', 0, (byte) 0xff}))
                .setImageId("cam-7/000042")
                .setReason(DeadLetterReason.FIELD_TOO_LARGE)
                .setMessage("imageId is 600000 bytes, above the limit")
                .setFailedAtMs(1_700_000_000_300L)
                .setPayload(ByteBuffer.wrap(sequenceBytes(300)))
                .setOriginalSize(300)
                .setOriginalKeySize(5)
                .setPayloadTruncated(false)
                .build();
    }

    private static void records(Path dir) throws IOException {
        Files.createDirectories(dir);
        record(dir, "ImageFrame", AvroWire.imageFrames().encode(imageFrame()), imageFrame());
        float[] values = gaussian(35, 1);
        FeatureMapTile tile = featureMapTile(MapDataType.FLOAT32_LE, values, 1f);
        record(dir, "FeatureMapTile", AvroWire.featureMapTiles().encode(tile), tile);
        record(dir, "EdgeStats", AvroWire.edgeStats().encode(edgeStats()), edgeStats());
        record(dir, "DeadLetter", AvroWire.deadLetters().encode(deadLetter()), deadLetter());
    }

    /** NAME.bin and NAME.json: the record's name and its fields that JSON shows exactly. */
    private static void record(Path dir, String name, byte[] value, SpecificRecord r)
            throws IOException {
        Files.write(dir.resolve(name + ".bin"), value);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Schema.Field f : r.getSchema().getFields()) {
            Object v = r.get(f.pos());
            if (v instanceof CharSequence) {
                fields.put(f.name(), v.toString());
            } else if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
                fields.put(f.name(), v);
            } else if (v instanceof Enum<?> e) {
                fields.put(f.name(), e.name());
            } else if (v instanceof ByteBuffer b) {
                fields.put(f.name(), HexFormat.of().formatHex(bytes(b)));
            } else if (v instanceof Double d) {
                fields.put(f.name(), d);
            }
        }
        JSON.writeValue(
                dir.resolve(name + ".json").toFile(), Map.of("record", name, "fields", fields));
    }

    // ---- version 1 of every record

    private static void old(Path dir) throws IOException {
        Files.createDirectories(dir);
        float[] values = gaussian(35, 2);
        List<SpecificRecord> records =
                List.of(
                        imageFrame(),
                        featureMapTile(MapDataType.FLOAT32_LE, values, 1f),
                        edgeStats(),
                        DeadLetter.newBuilder(deadLetter())
                                .setReason(DeadLetterReason.NOT_WIRE_FORMAT)
                                .build());
        for (SpecificRecord r : records) {
            String name = r.getSchema().getName();
            Schema v1 = SchemaHistory.versions(name).get(0);
            Files.write(dir.resolve(name + ".v1.bin"), writeWith(v1, r));
        }
    }

    /** {@code r} written with the older schema {@code writer}, as a producer on that version. */
    private static byte[] writeWith(Schema writer, SpecificRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AvroWire.header(AvroWire.fingerprint(writer)));
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<Object>(writer).write(toGeneric(r, writer), enc);
        enc.flush();
        return out.toByteArray();
    }

    /** {@code v} as a generic datum of schema {@code s}: record fields matched by name. */
    private static Object toGeneric(Object v, Schema s) {
        switch (s.getType()) {
            case RECORD -> {
                SpecificRecord r = (SpecificRecord) v;
                GenericRecord g = new GenericData.Record(s);
                for (Schema.Field f : s.getFields()) {
                    Schema.Field from = r.getSchema().getField(f.name());
                    g.put(f.name(), toGeneric(r.get(from.pos()), f.schema()));
                }
                return g;
            }
            case ENUM -> {
                return new GenericData.EnumSymbol(s, v.toString());
            }
            case UNION -> {
                for (Schema branch : s.getTypes()) {
                    if ((v == null) == (branch.getType() == Schema.Type.NULL)) {
                        return v == null ? null : toGeneric(v, branch);
                    }
                }
                throw new IllegalArgumentException("no branch of " + s + " for " + v);
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object item : (List<?>) v) {
                    out.add(toGeneric(item, s.getElementType()));
                }
                return out;
            }
            default -> {
                return v;
            }
        }
    }

    // ---- every map data type

    private static void tiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(13);
        for (MapDataType type : MapDataType.values()) {
            float[] values = new float[7 * 5 * 2];
            float scale = 1f;
            switch (type) {
                case FLOAT32_LE, FLOAT16_LE -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (rnd.nextGaussian() * 300);
                    }
                    values[0] = -0f;
                    values[1] = Float.NEGATIVE_INFINITY;
                    values[2] = 1e-7f;
                    values[3] = 70000f; // beyond binary16: infinity
                }
                case INT16_LE -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rnd.nextInt(65536) - 32768;
                    }
                    values[0] = -32768;
                    values[1] = 32767;
                }
                case UINT8 -> {
                    // A Sobel magnitude's range on 8-bit input, and values all over it.
                    double max = Math.sqrt(2) * 1020;
                    scale = MapSamples.uint8Scale(0, max);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (rnd.nextDouble() * max);
                    }
                    values[0] = 0;
                    values[1] = (float) max;
                }
            }
            FeatureMapTile t = featureMapTile(type, values, scale);
            Files.write(dir.resolve(type + ".bin"), AvroWire.featureMapTiles().encode(t));
            float[] expected = MapSamples.decode(t);
            ByteBuffer e = ByteBuffer.allocate(expected.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            e.asFloatBuffer().put(expected);
            Files.write(dir.resolve(type + ".expected"), e.array());
        }
    }

    // ---- ImageFrames from files and arrays

    private static void frames(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String file : List.of("pic1.png", "home.jpg")) {
            Path path = PythonRuntime.REPO.resolve("samples").resolve(file);
            byte[] bytes = Files.readAllBytes(path);
            String encoding = ImageDecoder.sniff(bytes);
            ImageHeader h = ImageDecoder.probe(bytes, encoding);
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("file", file);
            attrs.put("lens", "wide");
            ImageFrame f =
                    ImageFrame.newBuilder()
                            // The Java producer's id: the Python default must be the same.
                            .setImageId("cam-7/" + ProduceImages.contentId(bytes))
                            .setSourceId("cam-7")
                            .setCaptureTimeMs(1_700_000_000_000L)
                            .setSequence(3)
                            .setBatchId(null)
                            .setWidth(h.width())
                            .setHeight(h.height())
                            .setChannels(0)
                            .setPixelFormat(null)
                            .setEncoding(ImageEncoding.valueOf(encoding))
                            .setData(ByteBuffer.wrap(bytes))
                            .setAttributes(attrs)
                            .build();
            Map<String, Object> spec = frameSpec("file", f);
            spec.put("file", path.toString());
            spec.put("attributes", Map.of("lens", "wide"));
            spec.remove("imageId");
            frame(dir, file, f, spec);
        }
        Random rnd = new Random(5);
        // GRAY16: little-endian samples; RGB8: interleaved; FLOAT32 with 2 channels.
        rawFrame(dir, "gray16", 6, 4, 1, PixelFormat.GRAY16, "<u2", 2, rnd);
        rawFrame(dir, "rgb8", 5, 3, 3, PixelFormat.RGB8, "|u1", 1, rnd);
        rawFrame(dir, "float32x2", 3, 2, 2, PixelFormat.FLOAT32, "<f4", 4, rnd);
    }

    private static void rawFrame(
            Path dir,
            String name,
            int w,
            int h,
            int c,
            PixelFormat pf,
            String dtype,
            int sampleBytes,
            Random rnd)
            throws IOException {
        byte[] samples = new byte[w * h * c * sampleBytes];
        rnd.nextBytes(samples);
        if (pf == PixelFormat.FLOAT32) {
            // Finite floats only: NaN payloads are not what this compares.
            ByteBuffer b = ByteBuffer.wrap(samples).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < w * h * c; i++) {
                b.putFloat(i * 4, (float) rnd.nextGaussian());
            }
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("camera", "raw-" + name);
        ImageFrame f =
                ImageFrame.newBuilder()
                        .setImageId("cam-7/raw-" + name)
                        .setSourceId("cam-7")
                        .setCaptureTimeMs(1_700_000_000_500L)
                        .setSequence(9)
                        .setBatchId("b-1")
                        .setWidth(w)
                        .setHeight(h)
                        .setChannels(c)
                        .setPixelFormat(pf)
                        .setEncoding(ImageEncoding.RAW)
                        .setData(ByteBuffer.wrap(samples))
                        .setAttributes(attrs)
                        .build();
        Files.write(dir.resolve(name + ".raw"), samples);
        Map<String, Object> spec = frameSpec("array", f);
        spec.put("samples", name + ".raw");
        spec.put("dtype", dtype);
        spec.put("shape", c == 1 ? List.of(h, w) : List.of(h, w, c));
        spec.put("attributes", attrs);
        frame(dir, name, f, spec);
    }

    private static Map<String, Object> frameSpec(String kind, ImageFrame f) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", kind);
        spec.put("imageId", f.getImageId());
        spec.put("sourceId", f.getSourceId());
        spec.put("sequence", f.getSequence());
        spec.put("captureTimeMs", f.getCaptureTimeMs());
        spec.put("batchId", f.getBatchId());
        return spec;
    }

    private static void frame(Path dir, String name, ImageFrame f, Map<String, Object> spec)
            throws IOException {
        Files.write(dir.resolve(name + ".bin"), AvroWire.imageFrames().encode(f));
        JSON.writeValue(dir.resolve(name + ".json").toFile(), spec);
    }

    // ---- the Java consumer's file names

    private static void safeNames(Path dir) throws IOException {
        Map<String, String> names = new LinkedHashMap<>();
        for (String id :
                List.of(
                        "cam-1-000042",
                        "cam-1/3fa9c2",
                        ".hidden",
                        "files/0a1b2c3d4e5f6071",
                        "x".repeat(100),
                        "y".repeat(130),
                        "caméra 1:2",
                        "emoji-\uD83D\uDCF7-cam",
                        "CON",
                        "nul.txt",
                        "")) {
            names.put(id, SafeNames.of(id));
        }
        JSON.writeValue(dir.resolve("safe-names.json").toFile(), names);
    }

    /**
     * The Java consumer's folder of an image ({@code OutputDir.dirName(imageId, sourceName)}) and
     * file base of a filter ({@code OutputDir.fileBase}): file names of every script, NFC
     * normalisation, combining marks, the 100-byte cut, device names, no name or a blank one, ids
     * that are names of the output folder's files.
     */
    private static void dirNames(Path dir) throws IOException {
        List<Map<String, String>> dirs = new ArrayList<>();
        String id = "files/0a1b2c3d4e5f6071";
        String[] names = {
            "board.jpg",
            "Straße 1.png",
            "Cafe\u0301 menu.jpg", // decomposed: NFC makes it Café
            " \u0301x.png", // a mark after a replaced character
            "\u0301a.png", // a mark first
            "\u0928\u092e\u0938\u094d\u0924\u0947.png", // Devanagari, with Mn and Mc marks
            "写真 1.jpg",
            "\u0661\u0662\u0663.png", // Arabic-Indic digits (Nd)
            "x\u00b2 \u216b \u00bd.png", // No, Nl, No: not letters or digits for Java
            "../../etc/passwd",
            "C:\\Users\\me\\scan.tif",
            ".hidden.jpg",
            "CON.jpg",
            "aux",
            "com\u00b9.png",
            "\uD83D\uDCF7 cam.jpg",
            "\u202Egpj.exe",
            "a\u200Db.png",
            "\u00e9".repeat(80) + ".jpg", // cut at 100 bytes: 50 two-byte letters
            "\uD835\uDC9C".repeat(30), // 4-byte letters: 25 fit
            "x".repeat(99) + "\u00e9",
            "\u00a0", // not blank for Java (no-break space)
            "",
            " \t",
            "stats.jsonl",
        };
        for (String name : names) {
            dirs.add(dirName(id, name));
        }
        dirs.add(dirName(id, null));
        for (String imageId :
                List.of("index.html", "STATS.JSONL", "dead-letters.jsonl", "cam-1/000042")) {
            dirs.add(dirName(imageId, null));
        }
        dirs.add(dirName("cam-1/000042", "board.jpg"));
        Map<String, String> bases = new LinkedHashMap<>();
        for (String filter : List.of("sobel", "original", "Original", "a/b", "CON", ".x")) {
            bases.put(filter, OutputDir.fileBase(filter));
        }
        JSON.writeValue(
                dir.resolve("dir-names.json").toFile(), Map.of("dirs", dirs, "fileBases", bases));
    }

    private static Map<String, String> dirName(String imageId, String sourceName) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("imageId", imageId);
        m.put("sourceName", sourceName);
        m.put("dir", OutputDir.dirName(imageId, sourceName));
        return m;
    }

    // ---- helpers

    private static float[] gaussian(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * 100);
        }
        return v;
    }

    private static byte[] sequenceBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
