package io.edgestream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.PixelFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AvroWireTest {

    /** Java-written values to try other decoders on (python3 -m edgestream decode, README). */
    private static final Path SAMPLE_DIR = Path.of("target", "wire-samples");

    @Test
    void imageFrameRoundTrips() {
        assertRoundTrip(AvroWire.imageFrames(), Samples.imageFrame());
    }

    @Test
    void featureMapTileRoundTrips() {
        FeatureMapTile back = assertRoundTrip(AvroWire.featureMapTiles(), Samples.featureMapTile());
        ByteBuffer data = back.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] samples = new float[data.remaining() / Float.BYTES];
        data.asFloatBuffer().get(samples);
        assertThat(samples).containsExactly(Samples.TILE_SAMPLES);
    }

    @Test
    void edgeStatsRoundTrips() {
        assertRoundTrip(AvroWire.edgeStats(), Samples.edgeStats());
    }

    @Test
    void deadLetterRoundTrips() {
        assertRoundTrip(AvroWire.deadLetters(), Samples.deadLetter());
    }

    @Test
    void optionalFieldsRoundTripAsNullAndEmpty() {
        ImageFrame frame = ImageFrame.newBuilder(Samples.imageFrame()).clearBatchId().build();
        frame.setAttributes(java.util.Map.of());
        frame.setPixelFormat(null);
        frame.setEncoding(ImageEncoding.PNG);
        ImageFrame back = assertRoundTrip(AvroWire.imageFrames(), frame);
        assertThat(back.getBatchId()).isNull();
        assertThat(back.getPixelFormat()).isNull();
        assertThat(back.getAttributes()).isEmpty();
    }

    @Test
    void headerIsMarkerThenLittleEndianFingerprintOfTheCurrentSchema() {
        byte[] value = AvroWire.imageFrames().encode(Samples.imageFrame());
        long fp = SchemaNormalization.parsingFingerprint64(ImageFrame.getClassSchema());

        byte[] expected = new byte[10];
        expected[0] = (byte) 0xC3;
        expected[1] = (byte) 0x01;
        for (int i = 0; i < 8; i++) {
            expected[2 + i] = (byte) (fp >>> (8 * i));
        }
        assertThat(Arrays.copyOf(value, 10)).containsExactly(expected);
        assertThat(AvroWire.header(fp)).containsExactly(expected);
        assertThat(AvroWire.imageFrames().currentFingerprint()).isEqualTo(fp);
        assertThat(AvroWire.fingerprint(ImageFrame.getClassSchema())).isEqualTo(fp);
    }

    @Test
    void everyCodecKnowsEveryVersionInOrder() {
        for (AvroWire<?> wire : allCodecs()) {
            List<Schema> history = SchemaHistory.versions(wire.schema().getName());
            assertThat(history).hasSizeGreaterThanOrEqualTo(2);
            assertThat(wire.knownFingerprints())
                    .containsExactlyElementsOf(
                            history.stream().map(AvroWire::fingerprint).toList());
            assertThat(SchemaHistoryTest.withoutJavaProps(wire.versions().get(history.size() - 1)))
                    .isEqualTo(SchemaHistoryTest.withoutJavaProps(wire.schema()));
            assertThat(wire.knownSchemas().get(wire.currentFingerprint()).getName())
                    .isEqualTo(wire.schema().getName());
        }
    }

    // ---- version 1 writers, current readers ---------------------------------------------

    @Test
    void imageFrameV1DecodesWithDefaultsForBatchIdAndAttributes() throws IOException {
        Schema v1 = SchemaHistory.versions("ImageFrame").get(0);
        GenericRecord r = new GenericData.Record(v1);
        r.put("imageId", "img-1");
        r.put("sourceId", "cam-1");
        r.put("captureTimeMs", 1_600_000_000_000L);
        r.put("sequence", 9L);
        r.put("width", 2);
        r.put("height", 1);
        r.put("channels", 1);
        r.put(
                "pixelFormat",
                enumSymbol(v1.getField("pixelFormat").schema().getTypes().get(1), "GRAY16"));
        r.put("encoding", enumSymbol(v1.getField("encoding").schema(), "RAW"));
        r.put("data", ByteBuffer.wrap(new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF}));

        ImageFrame frame = AvroWire.imageFrames().decode(writeSingleObject(v1, r));

        assertThat(frame.getImageId()).isEqualTo("img-1");
        assertThat(frame.getSourceId()).isEqualTo("cam-1");
        assertThat(frame.getCaptureTimeMs()).isEqualTo(1_600_000_000_000L);
        assertThat(frame.getSequence()).isEqualTo(9L);
        assertThat(frame.getWidth()).isEqualTo(2);
        assertThat(frame.getHeight()).isEqualTo(1);
        assertThat(frame.getChannels()).isEqualTo(1);
        assertThat(frame.getPixelFormat()).isEqualTo(PixelFormat.GRAY16);
        assertThat(frame.getEncoding()).isEqualTo(ImageEncoding.RAW);
        assertThat(bytes(frame.getData())).containsExactly(1, 0, 0xFF, 0xFF);
        assertThat(frame.getBatchId()).isNull();
        assertThat(frame.getAttributes()).isEmpty();
    }

    @Test
    void featureMapTileV1DecodesWithDefaultTimeAndSequence() throws IOException {
        Schema v1 = SchemaHistory.versions("FeatureMapTile").get(0);
        GenericRecord r = new GenericData.Record(v1);
        r.put("imageId", "img-1");
        r.put("sourceId", "cam-1");
        r.put("filter", "laplacian");
        r.put("tileIndex", 1);
        r.put("tileCount", 4);
        r.put("x", 8);
        r.put("y", 0);
        r.put("width", 1);
        r.put("height", 1);
        r.put("mapWidth", 16);
        r.put("mapHeight", 16);
        r.put("channels", 1);
        r.put("dataType", enumSymbol(v1.getField("dataType").schema(), "FLOAT32_LE"));
        r.put("data", ByteBuffer.wrap(new byte[] {0, 0, (byte) 0x80, (byte) 0xBF})); // -1.0f

        FeatureMapTile tile = AvroWire.featureMapTiles().decode(writeSingleObject(v1, r));

        assertThat(tile.getFilter()).isEqualTo("laplacian");
        assertThat(tile.getTileIndex()).isEqualTo(1);
        assertThat(tile.getTileCount()).isEqualTo(4);
        assertThat(tile.getX()).isEqualTo(8);
        assertThat(tile.getMapWidth()).isEqualTo(16);
        assertThat(tile.getDataType()).isEqualTo(MapDataType.FLOAT32_LE);
        assertThat(tile.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat())
                .isEqualTo(-1.0f);
        assertThat(tile.getCaptureTimeMs()).isEqualTo(0L);
        assertThat(tile.getSequence()).isEqualTo(-1L);
        assertThat(tile.getScale()).isEqualTo(1f);
        assertThat(tile.getOffset()).isEqualTo(0f);
    }

    @Test
    void featureMapTileOfEveryDataTypeRoundTripsWithItsScale() {
        float[] values = {-1020, -4, 4, 1020}; // on the UINT8 grid of [-1020, 1020]
        for (MapDataType type : MapDataType.values()) {
            float scale = type == MapDataType.UINT8 ? 8f : 1f;
            float offset = type == MapDataType.UINT8 ? -1020f : 0f;
            FeatureMapTile tile =
                    FeatureMapTile.newBuilder(Samples.featureMapTile())
                            .setWidth(2)
                            .setHeight(2)
                            .setDataType(type)
                            .setScale(scale)
                            .setOffset(offset)
                            .setData(
                                    ByteBuffer.wrap(MapSamples.encode(values, type, scale, offset)))
                            .build();
            FeatureMapTile back = assertRoundTrip(AvroWire.featureMapTiles(), tile);
            assertThat(back.getScale()).isEqualTo(scale);
            assertThat(back.getOffset()).isEqualTo(offset);
            assertThat(MapSamples.decode(back)).as("%s", type).containsExactly(values);
        }
    }

    /**
     * A consumer still on schema version 3 reads the version-4 tiles of the types it knows (the new
     * scale and offset are skipped) and fails loudly on an INT16_LE or UINT8 tile instead of
     * misreading its bytes.
     */
    @Test
    void aVersion3ReaderReadsKnownTypesAndRefusesNewOnes() throws IOException {
        Schema v3 = SchemaHistory.versions("FeatureMapTile").get(2);
        Schema current = FeatureMapTile.getClassSchema();
        for (MapDataType type : MapDataType.values()) {
            FeatureMapTile tile =
                    FeatureMapTile.newBuilder(Samples.featureMapTile())
                            .setWidth(1)
                            .setHeight(1)
                            .setDataType(type)
                            .setData(
                                    ByteBuffer.wrap(
                                            MapSamples.encode(new float[] {2}, type, 1f, 0f)))
                            .build();
            byte[] value = AvroWire.featureMapTiles().encode(tile);
            org.apache.avro.io.BinaryDecoder body =
                    org.apache.avro.io.DecoderFactory.get()
                            .binaryDecoder(value, 10, value.length - 10, null);
            org.apache.avro.generic.GenericDatumReader<GenericRecord> oldReader =
                    new org.apache.avro.generic.GenericDatumReader<>(current, v3);
            if (type == MapDataType.FLOAT32_LE || type == MapDataType.FLOAT16_LE) {
                GenericRecord old = oldReader.read(null, body);
                assertThat(old.get("dataType").toString()).isEqualTo(type.name());
                assertThat(old.get("sequence")).isEqualTo(42L);
            } else {
                assertThatThrownBy(() -> oldReader.read(null, body))
                        .as("%s", type)
                        .isInstanceOf(org.apache.avro.AvroTypeException.class)
                        .hasMessageContaining(type.name());
            }
        }
    }

    @Test
    void edgeStatsV1DecodesWithDefaultsForNewFields() throws IOException {
        Schema v1 = SchemaHistory.versions("EdgeStats").get(0);
        Schema histogramSchema = v1.getField("histogram").schema();
        GenericRecord histogram = new GenericData.Record(histogramSchema);
        histogram.put("min", -1.0);
        histogram.put("max", 1.0);
        histogram.put("counts", List.of(3L, 4L));
        GenericRecord r = new GenericData.Record(v1);
        r.put("imageId", "img-1");
        r.put("sourceId", "cam-1");
        r.put("filter", "sobel-y");
        r.put("inputWidth", 10);
        r.put("inputHeight", 8);
        r.put("mapWidth", 8);
        r.put("mapHeight", 6);
        r.put("channels", 1);
        r.put("tileCount", 1);
        r.put("pixelCount", 48L);
        r.put("min", -1.0);
        r.put("max", 1.0);
        r.put("mean", 0.25);
        r.put("stddev", 0.5);
        r.put("meanAbs", 0.75);
        r.put("edgeThreshold", 0.5);
        r.put("edgeCount", 7L);
        r.put("edgeFraction", 7.0 / 48.0);
        r.put("histogram", histogram);
        r.put("captureTimeMs", 1L);
        r.put("ingestTimeMs", 2L);
        r.put("completedTimeMs", 3L);

        EdgeStats stats = AvroWire.edgeStats().decode(writeSingleObject(v1, r));

        assertThat(stats.getFilter()).isEqualTo("sobel-y");
        assertThat(stats.getPixelCount()).isEqualTo(48L);
        assertThat(stats.getMeanAbs()).isEqualTo(0.75);
        assertThat(stats.getEdgeFraction()).isEqualTo(7.0 / 48.0);
        assertThat(stats.getHistogram().getCounts()).containsExactly(3L, 4L);
        assertThat(stats.getCompletedTimeMs()).isEqualTo(3L);
        assertThat(stats.getBatchId()).isNull();
        assertThat(stats.getOrientationHistogram()).isNull();
        assertThat(stats.getDensityGrid().getRows()).isZero();
        assertThat(stats.getDensityGrid().getCols()).isZero();
        assertThat(stats.getDensityGrid().getValues()).isEmpty();
    }

    @Test
    void deadLetterV1DecodesWithDefaultTimestampAndNoImageId() throws IOException {
        Schema v1 = SchemaHistory.versions("DeadLetter").get(0);
        GenericRecord r = new GenericData.Record(v1);
        r.put("sourceTopic", "images");
        r.put("sourcePartition", 0);
        r.put("sourceOffset", 17L);
        r.put("key", null);
        r.put("reason", enumSymbol(v1.getField("reason").schema(), "NOT_WIRE_FORMAT"));
        r.put("message", "starts with 7B 22");
        r.put("failedAtMs", 5L);
        r.put("payload", ByteBuffer.wrap("{\"json\":1}".getBytes(StandardCharsets.UTF_8)));

        DeadLetter dl = AvroWire.deadLetters().decode(writeSingleObject(v1, r));

        assertThat(dl.getSourceTopic()).isEqualTo("images");
        assertThat(dl.getSourceOffset()).isEqualTo(17L);
        assertThat(dl.getKey()).isNull();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT);
        assertThat(dl.getMessage()).isEqualTo("starts with 7B 22");
        assertThat(new String(bytes(dl.getPayload()), StandardCharsets.UTF_8))
                .isEqualTo("{\"json\":1}");
        assertThat(dl.getSourceTimestampMs()).isEqualTo(-1L);
        assertThat(dl.getImageId()).isNull();
    }

    // ---- failures ------------------------------------------------------------------------

    @Test
    void badMarkerIsNotWireFormat() {
        byte[] value = AvroWire.imageFrames().encode(Samples.imageFrame());
        value[0] = 0x7B; // '{', a JSON producer
        assertReason(() -> AvroWire.imageFrames().decode(value), DeadLetterReason.NOT_WIRE_FORMAT)
                .hasMessageContaining("7B 01");

        byte[] secondByteWrong = AvroWire.imageFrames().encode(Samples.imageFrame());
        secondByteWrong[1] = 0x02;
        assertReason(
                () -> AvroWire.imageFrames().decode(secondByteWrong),
                DeadLetterReason.NOT_WIRE_FORMAT);
    }

    @Test
    void valuesShorterThanTheHeaderAreNotWireFormat() {
        byte[] full = AvroWire.imageFrames().encode(Samples.imageFrame());
        for (int length = 0; length < AvroWire.HEADER_LENGTH; length++) {
            byte[] value = Arrays.copyOf(full, length);
            assertReason(
                            () -> AvroWire.imageFrames().decode(value),
                            DeadLetterReason.NOT_WIRE_FORMAT)
                    .hasMessageContaining(length + " bytes");
        }
        assertReason(() -> AvroWire.imageFrames().decode(null), DeadLetterReason.NOT_WIRE_FORMAT);
    }

    @Test
    void unknownFingerprintIsUnknownSchema() {
        byte[] value = AvroWire.imageFrames().encode(Samples.imageFrame());
        value[5] ^= 0x40;
        assertReason(() -> AvroWire.imageFrames().decode(value), DeadLetterReason.UNKNOWN_SCHEMA)
                .hasMessageContaining(
                        String.format("%016x", AvroWire.imageFrames().currentFingerprint()));
    }

    @Test
    void anotherRecordTypeIsUnknownSchema() {
        byte[] stats = AvroWire.edgeStats().encode(Samples.edgeStats());
        assertReason(() -> AvroWire.imageFrames().decode(stats), DeadLetterReason.UNKNOWN_SCHEMA)
                .hasMessageContaining("ImageFrame");
    }

    @Test
    void everyTruncationOfTheBodyIsMalformed() {
        for (AvroWire<?> wire : allCodecs()) {
            byte[] full = encodeSample(wire);
            for (int length = AvroWire.HEADER_LENGTH; length < full.length; length++) {
                byte[] value = Arrays.copyOf(full, length);
                assertReason(() -> wire.decode(value), DeadLetterReason.MALFORMED_RECORD);
            }
        }
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] full = AvroWire.deadLetters().encode(Samples.deadLetter());
        byte[] value = Arrays.copyOf(full, full.length + 3);
        assertReason(() -> AvroWire.deadLetters().decode(value), DeadLetterReason.MALFORMED_RECORD)
                .hasMessageContaining("3 bytes before the end");
    }

    @Test
    void hugeLengthPrefixIsMalformedWithoutAllocatingIt() {
        // imageId claims 1 GiB (zig-zag varint of 2^30) but the value holds only 3 more bytes.
        byte[] value =
                concat(
                        AvroWire.header(AvroWire.imageFrames().currentFingerprint()),
                        new byte[] {
                            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'a', 'b', 'c'
                        });
        AvroWire<ImageFrame> wire = AvroWire.imageFrames();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertReason(() -> wire.decode(value), DeadLetterReason.MALFORMED_RECORD);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A poison record must not be able to make the decoder allocate what it claims.
        assertThat(allocated).isLessThan(16L << 20);
    }

    @Test
    void outOfRangeEnumIndexIsMalformed() throws IOException {
        // DeadLetter with reason index 99: the body is structurally valid but not a DeadLetter.
        DeadLetter dl = Samples.deadLetter();
        dl.setKey(null);
        dl.setImageId(null);
        Schema schema = DeadLetter.getClassSchema();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        enc.writeString("images");
        enc.writeInt(0);
        enc.writeLong(1L);
        enc.writeLong(2L);
        enc.writeIndex(0); // key: null
        enc.writeIndex(0); // imageId: null
        enc.writeEnum(99);
        enc.writeString("m");
        enc.writeLong(3L);
        enc.writeBytes(new byte[0]);
        enc.writeLong(0L); // originalSize
        enc.writeLong(-1L); // originalKeySize
        enc.writeBoolean(false); // payloadTruncated
        enc.flush();
        byte[] value = concat(AvroWire.header(AvroWire.fingerprint(schema)), out.toByteArray());
        assertReason(() -> AvroWire.deadLetters().decode(value), DeadLetterReason.MALFORMED_RECORD);
    }

    // ---- field limits ---------------------------------------------------------------------

    private static final FieldLimits ID_LIMITS =
            FieldLimits.none()
                    .with("imageId", 512, "max.id.bytes")
                    .with("sourceId", 512, "max.id.bytes")
                    .with("batchId", 512, "max.id.bytes")
                    .with("attributes", 65536, "max.attributes.bytes");

    @Test
    void anIdOverItsLimitIsFieldTooLargeBeforeTheRecordIsBuilt() {
        ImageFrame frame = Samples.imageFrame();
        frame.setImageId("x".repeat(600 * 1024));
        byte[] value = AvroWire.imageFrames().encode(frame);
        AvroWire<ImageFrame> wire = AvroWire.imageFrames();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> wire.decode(value, ID_LIMITS))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.FIELD_TOO_LARGE))
                .hasMessageContaining("'imageId' is 614400 bytes")
                .hasMessageContaining("limit of 512 bytes (max.id.bytes)");
        // The 600 KB string is never materialised (nor its UTF-16 copy).
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(256L << 10);
    }

    @Test
    void idLimitsCountUtf8BytesAndAcceptTheLimitItself() {
        ImageFrame frame = Samples.imageFrame();
        frame.setImageId("é".repeat(256)); // 512 UTF-8 bytes, 256 chars
        frame.setBatchId("b".repeat(512));
        ImageFrame back =
                AvroWire.imageFrames().decode(AvroWire.imageFrames().encode(frame), ID_LIMITS);
        assertThat(back.getImageId()).isEqualTo(frame.getImageId());
        assertThat(back.getBatchId()).isEqualTo(frame.getBatchId());

        frame.setBatchId("b".repeat(513)); // a union branch is measured like the plain type
        byte[] over = AvroWire.imageFrames().encode(frame);
        assertReason(
                () -> AvroWire.imageFrames().decode(over, ID_LIMITS),
                DeadLetterReason.FIELD_TOO_LARGE);
        frame.setBatchId(null);
        frame.setSourceId("é".repeat(257)); // 514 bytes
        byte[] source = AvroWire.imageFrames().encode(frame);
        assertReason(
                () -> AvroWire.imageFrames().decode(source, ID_LIMITS),
                DeadLetterReason.FIELD_TOO_LARGE);
    }

    @Test
    void aMapOfManyEmptyEntriesIsNotFree() {
        ImageFrame frame = Samples.imageFrame();
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            attributes.put(Integer.toString(i, 36), "");
        }
        frame.setAttributes(attributes);
        byte[] value = AvroWire.imageFrames().encode(frame);
        assertThatThrownBy(() -> AvroWire.imageFrames().decode(value, ID_LIMITS))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.FIELD_TOO_LARGE))
                .hasMessageContaining("'attributes'")
                .hasMessageContaining("(max.attributes.bytes)");
        // Without limits the same value decodes: the limit, not the codec, refuses it.
        assertThat(AvroWire.imageFrames().decode(value).getAttributes()).hasSize(100_000);
    }

    @Test
    void aCorruptLengthInsideALimitedFieldIsStillMalformed() {
        byte[] value =
                concat(
                        AvroWire.header(AvroWire.imageFrames().currentFingerprint()),
                        new byte[] {
                            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'a', 'b', 'c'
                        });
        assertReason(
                () -> AvroWire.imageFrames().decode(value, ID_LIMITS),
                DeadLetterReason.MALFORMED_RECORD);
    }

    @Test
    void encodingARecordWithAMissingRequiredFieldSaysWhich() {
        ImageFrame broken = Samples.imageFrame();
        broken.setImageId(null);
        assertThatThrownBy(() -> AvroWire.imageFrames().encode(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ImageFrame");
    }

    @Test
    void wireFormatExceptionOnlyCarriesWireReasons() {
        assertThatThrownBy(() -> new WireFormatException(DeadLetterReason.TRUNCATED_IMAGE, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new WireFormatException(DeadLetterReason.FIELD_TOO_LARGE, "x").reason())
                .isEqualTo(DeadLetterReason.FIELD_TOO_LARGE);
    }

    @Test
    @Timeout(60)
    void sharedInstanceDecodesConcurrently() throws Exception {
        AvroWire<EdgeStats> wire = AvroWire.edgeStats();
        EdgeStats expected = Samples.edgeStats();
        byte[] value = wire.encode(expected);
        byte[] otherArray = AvroWire.edgeStats().encode(expected); // same bytes, separate array
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(
                        pool.submit(
                                () -> {
                                    int ok = 0;
                                    for (int i = 0; i < 2_000; i++) {
                                        EdgeStats back =
                                                wire.decode(i % 2 == 0 ? value : otherArray);
                                        byte[] again = wire.encode(back);
                                        if (back.equals(expected) && Arrays.equals(again, value)) {
                                            ok++;
                                        }
                                    }
                                    return ok;
                                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(2_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Leaves one current and one version-1 value per record type in target/wire-samples to try
     * other decoders on (schemas/README.md). Also a plain round-trip check.
     */
    @Test
    void writesSampleValuesForOtherLanguages() throws IOException {
        Files.createDirectories(SAMPLE_DIR);
        for (AvroWire<?> wire : allCodecs()) {
            byte[] value = encodeSample(wire);
            Path file = SAMPLE_DIR.resolve(wire.schema().getName() + ".v2.bin");
            Files.write(file, value);
            assertThat(wire.decode(Files.readAllBytes(file))).isEqualTo(wire.decode(value));
        }
        Schema v1 = SchemaHistory.versions("FeatureMapTile").get(0);
        GenericRecord tileV1 = new GenericData.Record(v1);
        FeatureMapTile tile = Samples.featureMapTile();
        for (Schema.Field field : v1.getFields()) {
            Object v = tile.get(field.name());
            tileV1.put(
                    field.pos(), v instanceof Enum<?> e ? enumSymbol(field.schema(), e.name()) : v);
        }
        Files.write(SAMPLE_DIR.resolve("FeatureMapTile.v1.bin"), writeSingleObject(v1, tileV1));
        for (MapDataType type : MapDataType.values()) {
            FeatureMapTile t = Samples.featureMapTile(type);
            Files.write(
                    SAMPLE_DIR.resolve("FeatureMapTile." + type + ".bin"),
                    AvroWire.featureMapTiles().encode(t));
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private static List<AvroWire<?>> allCodecs() {
        return List.of(
                AvroWire.imageFrames(),
                AvroWire.featureMapTiles(),
                AvroWire.edgeStats(),
                AvroWire.deadLetters());
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encodeSample(AvroWire<T> wire) {
        Object sample =
                switch (wire.schema().getName()) {
                    case "ImageFrame" -> Samples.imageFrame();
                    case "FeatureMapTile" -> Samples.featureMapTile();
                    case "EdgeStats" -> Samples.edgeStats();
                    case "DeadLetter" -> Samples.deadLetter();
                    default -> throw new IllegalArgumentException(wire.schema().getName());
                };
        return wire.encode((T) sample);
    }

    private static <T extends SpecificRecord> T assertRoundTrip(AvroWire<T> wire, T record) {
        byte[] value = wire.encode(record);
        T back = wire.decode(value);
        assertThat(back).isEqualTo(record).isNotSameAs(record);
        // Re-encoding is stable, except that map entries may come back in another order.
        byte[] again = wire.encode(back);
        assertThat(again).hasSameSizeAs(value);
        assertThat(wire.decode(again)).isEqualTo(record);
        return back;
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable>
            assertReason(
                    org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
                    DeadLetterReason reason) {
        return assertThatThrownBy(call)
                .isInstanceOf(WireFormatException.class)
                .satisfies(e -> assertThat(((WireFormatException) e).reason()).isEqualTo(reason));
    }

    private static GenericData.EnumSymbol enumSymbol(Schema enumSchema, String symbol) {
        return new GenericData.EnumSymbol(enumSchema, symbol);
    }

    /** What a version-1 producer writes: v1 header and a v1 body. */
    static byte[] writeSingleObject(Schema writer, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AvroWire.header(AvroWire.fingerprint(writer)));
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
