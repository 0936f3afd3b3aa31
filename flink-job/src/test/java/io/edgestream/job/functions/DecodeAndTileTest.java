package io.edgestream.job.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.records.DeadLetterRecord;
import io.edgestream.job.records.InputRecord;
import io.edgestream.job.records.TileTask;
import io.edgestream.job.testing.BadRecords;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecodeAndTileTest {
    private static final byte[] KEY = "camera-1".getBytes(StandardCharsets.UTF_8);

    private ProcessingSpec spec;
    private OneInputStreamOperatorTestHarness<InputRecord, TileTask> harness;
    private long offset;

    @BeforeEach
    void setUp() throws Exception {
        spec =
                EdgeJobOptions.of(
                                Map.of(
                                        EdgeJobOptions.FILTERS.key(),
                                        "vertical|sobel|box5=1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1",
                                        EdgeJobOptions.TILE_SIZE.key(),
                                        "8",
                                        EdgeJobOptions.MAX_PIXELS.key(),
                                        "10000",
                                        EdgeJobOptions.MAX_RECORD_BYTES.key(),
                                        "100000",
                                        // The tests read the tiles to be spread (main output).
                                        EdgeJobOptions.TILES_SPREAD_MIN.key(),
                                        "3"))
                        .processing();
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeAndTile(spec));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private InputRecord record(byte[] value) {
        return new InputRecord("images", 0, offset++, 1234L, KEY, value);
    }

    private DeadLetterRecord deadLetterFor(byte[] value) throws Exception {
        InputRecord in = record(value);
        harness.processElement(in, 0L);
        assertThat(harness.extractOutputValues()).as("no tiles for a bad record").isEmpty();
        List<DeadLetterRecord> dl =
                harness.getSideOutput(DecodeAndTile.DEAD_LETTERS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(dl).hasSize(1);
        DeadLetterRecord d = dl.get(0);
        assertThat(d.sourceTopic).isEqualTo("images");
        assertThat(d.sourceOffset).isEqualTo(in.offset);
        assertThat(d.sourceTimestampMs).isEqualTo(1234L);
        assertThat(d.key).isEqualTo(KEY);
        assertThat(d.originalKeySize).isEqualTo(KEY.length);
        assertThat(d.originalSize).isEqualTo(value == null ? 0 : value.length);
        // The payload cap is max.record.bytes (100000) here: larger values are left out.
        boolean kept = value != null && value.length <= 100_000;
        assertThat(d.payloadTruncated).isEqualTo(value != null && !kept);
        assertThat(d.payload).isEqualTo(kept ? value : new byte[0]);
        assertThat(d.message).isNotBlank();
        return d;
    }

    private DeadLetterReason reasonFor(byte[] value) throws Exception {
        return deadLetterFor(value).reasonCode();
    }

    @Test
    void shouldDeadLetterARegistryFramedValueInSingleObjectModeNamingTheOption() throws Exception {
        byte[] body =
                TestImages.encode(
                        TestImages.frame(
                                "img-r",
                                ImageEncoding.RAW,
                                PixelFormat.GRAY8,
                                4,
                                4,
                                1,
                                TestImages.rawGray8(4, 4, 1)));
        byte[] framed = new byte[body.length - AvroWire.HEADER_LENGTH + 5];
        framed[4] = 7; // 00 | schema id 7 | the Avro body
        System.arraycopy(body, AvroWire.HEADER_LENGTH, framed, 5, framed.length - 5);

        DeadLetterRecord d = deadLetterFor(framed);

        assertThat(d.reasonCode()).isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT);
        assertThat(d.message)
                .contains("wire-format mismatch")
                .contains("schema id 7")
                .contains("--wire.format.images registry");
    }

    @Test
    void shouldTileAGoodImageOncePerFilterSizeGroup() throws Exception {
        byte[] raw = TestImages.rawGray8(20, 12, 1);
        harness.processElement(
                record(
                        TestImages.encode(
                                TestImages.frame(
                                        "img-1",
                                        ImageEncoding.RAW,
                                        PixelFormat.GRAY8,
                                        20,
                                        12,
                                        1,
                                        raw))),
                0L);
        List<TileTask> tasks = harness.extractOutputValues();
        assertThat(harness.getSideOutput(DecodeAndTile.DEAD_LETTERS)).isNull();
        // 3x3 group (vertical, sobel): map 18x10 -> 3x2 tiles; 5x5 group: map 16x8 -> 2x1 tiles.
        assertThat(tasks).hasSize(8);
        assertThat(tasks).allSatisfy(t -> assertThat(t.filterCount).isEqualTo(3));
        List<TileTask> g0 = tasks.stream().filter(t -> t.group == 0).toList();
        List<TileTask> g1 = tasks.stream().filter(t -> t.group == 1).toList();
        assertThat(g0).extracting(t -> t.tileIndex).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(g0.get(0).mapWidth).isEqualTo(18);
        assertThat(g0.get(0).mapHeight).isEqualTo(10);
        assertThat(g1).extracting(t -> t.tileIndex).containsExactly(0, 1);
        assertThat(g1.get(0).mapWidth).isEqualTo(16);
        // The window is the image region with halo, bit for bit.
        ImageF32 image = io.edgestream.imaging.image.ImageU8.wrap(raw, 20, 12, 1).toF32();
        for (TileTask t : tasks) {
            ImageF32 expected =
                    Convolution.window(
                                    image,
                                    t.inX,
                                    t.inY,
                                    t.inW,
                                    t.inH,
                                    spec.border,
                                    spec.borderConstant)
                            .compact();
            // 8-bit samples travel as bytes and widen back to exactly the same floats.
            assertThat(t.window).isNull();
            assertThat(t.windowU8).hasSize(t.windowLength());
            assertThat(t.windowSamples()).isEqualTo(expected.data);
            assertThat(t.ingestTimeMs).isEqualTo(1234L);
            assertThat(t.key).isEqualTo(KEY);
        }
        // Consecutive tiles of one image go to consecutive routing keys.
        assertThat(tasks.get(1).routingKey - tasks.get(0).routingKey).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "SAME, REFLECT, 0, VOLUME, true",
        "SAME, CONSTANT, 7, PER_CHANNEL, true",
        "SAME, CONSTANT, 0.5, VOLUME, false",
        "VALID, ZERO, 0, GREY, false",
        "SAME, REPLICATE, 0, GREY, false"
    })
    void everyWindowOfAnRgb8ImageIsTheImageRegionWithItsBorderBitForBit(
            String padding, String border, String constant, String colorMode, boolean bytesExpected)
            throws Exception {
        ProcessingSpec s =
                EdgeJobOptions.of(
                                Map.of(
                                        EdgeJobOptions.FILTERS.key(), "sobel",
                                        EdgeJobOptions.TILE_SIZE.key(), "8",
                                        EdgeJobOptions.TILES_SPREAD_MIN.key(), "1",
                                        EdgeJobOptions.PADDING.key(), padding,
                                        EdgeJobOptions.BORDER.key(), border,
                                        EdgeJobOptions.BORDER_CONSTANT.key(), constant,
                                        EdgeJobOptions.COLOR_MODE.key(), colorMode))
                        .processing();
        byte[] rgb = TestImages.rawGray8(3 * 19, 13, 4); // 19x13 RGB8
        try (OneInputStreamOperatorTestHarness<InputRecord, TileTask> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeAndTile(s))) {
            h.processElement(
                    record(
                            TestImages.encode(
                                    TestImages.frame(
                                            "rgb",
                                            ImageEncoding.RAW,
                                            PixelFormat.RGB8,
                                            19,
                                            13,
                                            3,
                                            rgb))),
                    0L);
            List<TileTask> tasks = h.extractOutputValues();
            assertThat(tasks).isNotEmpty();
            ImageF32 image =
                    new io.edgestream.imaging.filter.FilterBank(s.filterList(), s.convParams())
                            .prepare(
                                    io.edgestream.imaging.image.ImageU8.wrap(rgb, 19, 13, 3)
                                            .toF32());
            for (TileTask t : tasks) {
                ImageF32 expected =
                        Convolution.window(
                                        image,
                                        t.inX,
                                        t.inY,
                                        t.inW,
                                        t.inH,
                                        s.border,
                                        s.borderConstant)
                                .compact();
                assertThat(t.windowSamples()).as("tile %d", t.tileIndex).isEqualTo(expected.data);
                assertThat(t.windowChannels).isEqualTo(expected.channels);
                assertThat(t.windowU8 != null)
                        .as("tile %d as bytes", t.tileIndex)
                        .isEqualTo(bytesExpected);
            }
        }
    }

    @Test
    void windowsPackAsBytesOnlyWhenEverySampleIsExactlyAnIntegerFrom0To255() {
        assertThat(TileTask.packU8(new float[] {0f, 1f, 254f, 255f}))
                .containsExactly(0, 1, (byte) 254, (byte) 255);
        for (float bad :
                new float[] {-0f, -1f, 256f, 0.5f, 254.99f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThat(TileTask.packU8(new float[] {3f, bad})).as("%s", bad).isNull();
        }
    }

    @Test
    void shouldDeadLetterNullAndForeignValuesAsNotWireFormat() throws Exception {
        assertThat(reasonFor("hello, not avro".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT);
    }

    @Test
    void shouldDeadLetterTombstonesAsNotWireFormat() throws Exception {
        assertThat(reasonFor(null)).isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT);
    }

    @Test
    void shouldDeadLetterUnknownFingerprintAsUnknownSchema() throws Exception {
        byte[] v = Arrays.copyOf(AvroWire.header(0x1234_5678_9abcL), 40);
        assertThat(reasonFor(v)).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
    }

    @Test
    void shouldDeadLetterTruncatedAvroAsMalformedRecord() throws Exception {
        byte[] good = TestImages.gray8Record("img", 16, 16, 1);
        assertThat(reasonFor(Arrays.copyOf(good, 14))).isEqualTo(DeadLetterReason.MALFORMED_RECORD);
    }

    @Test
    void shouldDeadLetterBadImagesWithTheDecodersReason() throws Exception {
        for (Map.Entry<DeadLetterReason, byte[]> e : BadRecords.decodeFailures().entrySet()) {
            DeadLetterRecord d = deadLetterFor(e.getValue());
            assertThat(d.reasonCode()).as(d.message).isEqualTo(e.getKey());
            assertThat(d.imageId).isEqualTo(BadRecords.imageIdOf(e.getKey()));
            harness.getSideOutput(DecodeAndTile.DEAD_LETTERS).clear();
        }
    }

    @Test
    void shouldDeadLetterOversizedRecordsBeforeDecoding() throws Exception {
        assertThat(reasonFor(new byte[100_001])).isEqualTo(DeadLetterReason.RECORD_TOO_LARGE);
    }

    @Test
    void shouldLeaveAnOversizedValueOutOfItsDeadLetterButSayWhereItIs() throws Exception {
        DeadLetterRecord d = deadLetterFor(new byte[250_000]);
        assertThat(d.reasonCode()).isEqualTo(DeadLetterReason.RECORD_TOO_LARGE);
        assertThat(d.payloadTruncated).isTrue();
        assertThat(d.payload).isEmpty();
        assertThat(d.originalSize).isEqualTo(250_000);
        assertThat(d.toAvro().getPayloadTruncated()).isTrue();
        assertThat(d.toAvro().getOriginalSize()).isEqualTo(250_000);
    }

    @Test
    void shouldDeadLetterOversizedIdsAndAttributesBeforeTheRecordIsBuilt() throws Exception {
        io.edgestream.schemas.ImageFrame longId = TestImages.gray8Frame("x".repeat(513), 20, 12);
        DeadLetterRecord d = deadLetterFor(TestImages.encode(longId));
        assertThat(d.reasonCode()).isEqualTo(DeadLetterReason.FIELD_TOO_LARGE);
        assertThat(d.message).contains("'imageId' is 513 bytes").contains("max.id.bytes");
        assertThat(d.imageId).as("an oversized id is not copied into the dead letter").isNull();
        harness.getSideOutput(DecodeAndTile.DEAD_LETTERS).clear();

        io.edgestream.schemas.ImageFrame longSource = TestImages.gray8Frame("img", 20, 12);
        longSource.setSourceId("s".repeat(600));
        assertThat(reasonFor(TestImages.encode(longSource)))
                .isEqualTo(DeadLetterReason.FIELD_TOO_LARGE);
        harness.getSideOutput(DecodeAndTile.DEAD_LETTERS).clear();

        io.edgestream.schemas.ImageFrame manyAttributes = TestImages.gray8Frame("img", 20, 12);
        Map<String, String> attributes = new java.util.HashMap<>();
        // 8000 entries of 9 + 0 bytes: 80 KB as measured (one byte per entry), above the default
        // 64 KiB, while the record stays under this test's max.record.bytes of 100000.
        for (int i = 0; i < 8000; i++) {
            attributes.put(String.format("key-%05d", i), "");
        }
        manyAttributes.setAttributes(attributes);
        DeadLetterRecord a = deadLetterFor(TestImages.encode(manyAttributes));
        assertThat(a.reasonCode()).isEqualTo(DeadLetterReason.FIELD_TOO_LARGE);
        assertThat(a.message).contains("'attributes'").contains("max.attributes.bytes");
    }

    @Test
    void shouldDeadLetterAnOversizedKeyWithoutCopyingIt() throws Exception {
        byte[] key = new byte[1025];
        harness.processElement(
                new InputRecord("images", 0, 7, 1L, key, TestImages.gray8Record("img", 20, 12, 1)),
                0L);
        assertThat(harness.extractOutputValues()).isEmpty();
        DeadLetterRecord d = harness.getSideOutput(DecodeAndTile.DEAD_LETTERS).poll().getValue();
        assertThat(d.reasonCode()).isEqualTo(DeadLetterReason.FIELD_TOO_LARGE);
        assertThat(d.message).contains("record key is 1025 bytes").contains("max.key.bytes");
        assertThat(d.key).isNull();
        assertThat(d.originalKeySize).isEqualTo(1025);
    }

    @Test
    void shouldRefuseAnImageOverTheMemoryBudgetFromItsHeaderAlone() throws Exception {
        ProcessingSpec s =
                EdgeJobOptions.of(
                                Map.of(
                                        EdgeJobOptions.FILTERS.key(), "sobel",
                                        EdgeJobOptions.MEMORY_BUDGET.key(), "8m"))
                        .processing();
        // 2000x2000 16-bit RGB of zeros: a small file that decodes to 24 MB of samples.
        byte[] png = TestImages.png16Rgb(2000, 2000);
        byte[] value =
                TestImages.encode(TestImages.frame("bomb", ImageEncoding.PNG, null, 0, 0, 0, png));
        assertThat(value.length).isLessThan(200_000);
        try (OneInputStreamOperatorTestHarness<InputRecord, TileTask> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeAndTile(s))) {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean)
                            java.lang.management.ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            h.processElement(record(value), 0L);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(h.extractOutputValues()).isEmpty();
            DeadLetterRecord d = h.getSideOutput(DecodeAndTile.DEAD_LETTERS).poll().getValue();
            assertThat(d.reasonCode()).isEqualTo(DeadLetterReason.MEMORY_BUDGET_EXCEEDED);
            assertThat(d.imageId).isEqualTo("bomb");
            assertThat(d.message)
                    .contains("2000x2000")
                    .contains("above the decode memory budget")
                    .contains("the slot's memory budget is 8.0 MiB (memory.budget)")
                    .contains("--memory.budget");
            // Refused from the header: nothing near the 24 MB of samples was allocated.
            assertThat(allocated).isLessThan(4L << 20);
        }
    }

    /** A decoder whose cutting fails at tile {@code failAt} (0-based), as a bug would. */
    static final class FailingCut extends DecodeAndTile {
        private final int failAt;
        private int calls;

        FailingCut(ProcessingSpec spec, int failAt) {
            super(spec);
            this.failAt = failAt;
        }

        @Override
        void cutWindow(
                TileTask task,
                io.edgestream.imaging.tile.TilePlan plan,
                io.edgestream.imaging.tile.TileSpec t,
                io.edgestream.imaging.decode.DecodedImage decoded,
                io.edgestream.imaging.image.ImageU8 u8) {
            if (calls++ == failAt) {
                throw new IllegalStateException("injected failure");
            }
            super.cutWindow(task, plan, t, decoded, u8);
        }
    }

    @Test
    void aFailureAfterSomeTilesGivesOneDeadLetterAndTellsTheMergeToDropTheImage() throws Exception {
        try (OneInputStreamOperatorTestHarness<InputRecord, TileTask> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new FailingCut(spec, 3))) {
            h.processElement(record(TestImages.gray8Record("img-x", 20, 12, 1)), 0L);
            List<TileTask> sent = h.extractOutputValues();
            assertThat(sent).hasSize(3);
            List<DeadLetterRecord> dl =
                    h.getSideOutput(DecodeAndTile.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(dl).hasSize(1);
            assertThat(dl.get(0).reasonCode()).isEqualTo(DeadLetterReason.PROCESSING_ERROR);
            assertThat(dl.get(0).imageId).isEqualTo("img-x");
            assertThat(dl.get(0).message)
                    .contains("cutting tile 4 of 8 failed")
                    .contains("injected failure")
                    .contains("the 3 tile(s) already sent");
            List<io.edgestream.job.records.TileStats> aborted =
                    h.getSideOutput(DecodeAndTile.ABORTED).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(aborted).hasSize(1);
            assertThat(aborted.get(0).aborted).isTrue();
            assertThat(aborted.get(0).mergeKey).isEqualTo(sent.get(0).mergeKey());
        }
    }

    @Test
    void aFailureBeforeTheFirstTileNeedsNoAbortMarker() throws Exception {
        try (OneInputStreamOperatorTestHarness<InputRecord, TileTask> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new FailingCut(spec, 0))) {
            h.processElement(record(TestImages.gray8Record("img-y", 20, 12, 1)), 0L);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(DecodeAndTile.DEAD_LETTERS)).hasSize(1);
            assertThat(h.getSideOutput(DecodeAndTile.ABORTED)).isNull();
        }
    }

    @Test
    void shouldDeadLetterImagesSmallerThanTheFilterUnderValid() throws Exception {
        DeadLetterRecord d = deadLetterFor(TestImages.gray8Record("tiny", 4, 4, 1));
        assertThat(d.reasonCode()).isEqualTo(DeadLetterReason.IMAGE_SMALLER_THAN_FILTER);
        assertThat(d.message).contains("image 4x4 is smaller than the 5x5 filter 'box5'");
    }

    @Test
    void shouldDeadLetterUnexpectedFailuresAsProcessingError() throws Exception {
        DeadLetterRecord d = deadLetterFor(BadRecords.processingError());
        assertThat(d.reasonCode()).as(d.message).isEqualTo(DeadLetterReason.PROCESSING_ERROR);
    }

    @Test
    void shouldKeepProcessingGoodRecordsAfterABadOne() throws Exception {
        harness.processElement(record(TestImages.gray8Record("a", 20, 12, 1)), 0L);
        harness.processElement(record("junk".getBytes(StandardCharsets.UTF_8)), 0L);
        assertThat(harness.extractOutputValues()).hasSize(8);
        assertThat(harness.getSideOutput(DecodeAndTile.DEAD_LETTERS)).hasSize(1);
    }

    /**
     * With {@code tiles.spread.min} 3, an image of two tile tasks (one per filter group) goes to
     * {@link DecodeAndTile#LOCAL_TILES}, for the convolution chained in this task; one of eight
     * goes to the main output, to be spread; with 1, every image is spread; with the default, none
     * is.
     */
    @Test
    void smallImagesStayInTheDecodingTaskAndLargeOnesAreSpread() throws Exception {
        // 10x10: the 3x3 group's map is 8x8 (one 8x8 tile), the 5x5 group's 6x6 (one tile).
        harness.processElement(record(TestImages.gray8Record("small", 10, 10, 1)), 0L);
        harness.processElement(record(TestImages.gray8Record("large", 20, 12, 1)), 0L);
        List<TileTask> local =
                harness.getSideOutput(DecodeAndTile.LOCAL_TILES).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(local).extracting(t -> t.imageId).containsExactly("small", "small");
        assertThat(local).extracting(t -> t.group).containsExactly(0, 1);
        assertThat(harness.extractOutputValues())
                .hasSize(8)
                .allSatisfy(t -> assertThat(t.imageId).isEqualTo("large"));

        ProcessingSpec spreadAll =
                EdgeJobOptions.of(
                                Map.of(
                                        EdgeJobOptions.FILTERS.key(),
                                        "sobel",
                                        EdgeJobOptions.TILE_SIZE.key(),
                                        "8",
                                        EdgeJobOptions.TILES_SPREAD_MIN.key(),
                                        "1"))
                        .processing();
        try (OneInputStreamOperatorTestHarness<InputRecord, TileTask> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeAndTile(spreadAll))) {
            h.processElement(record(TestImages.gray8Record("one-tile", 10, 10, 1)), 0L);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.getSideOutput(DecodeAndTile.LOCAL_TILES)).isNull();
        }

        ProcessingSpec byDefault =
                EdgeJobOptions.of(
                                Map.of(
                                        EdgeJobOptions.FILTERS.key(),
                                        "sobel",
                                        EdgeJobOptions.TILE_SIZE.key(),
                                        "8"))
                        .processing();
        try (OneInputStreamOperatorTestHarness<InputRecord, TileTask> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeAndTile(byDefault))) {
            h.processElement(record(TestImages.gray8Record("large", 82, 82, 1)), 0L);
            assertThat(h.extractOutputValues()).as("spread").isEmpty();
            assertThat(h.getSideOutput(DecodeAndTile.LOCAL_TILES))
                    .as("100 tiles, all kept local")
                    .hasSize(100);
        }
    }
}
