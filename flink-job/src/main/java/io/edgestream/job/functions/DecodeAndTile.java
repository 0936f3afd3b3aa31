package io.edgestream.job.functions;

import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.decode.DecodeFailure;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.decode.ImageDecodeException;
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
import io.edgestream.job.records.DeadLetterRecord;
import io.edgestream.job.records.InputRecord;
import io.edgestream.job.records.TileStats;
import io.edgestream.job.records.TileTask;
import io.edgestream.job.records.TopicWire;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.registry.RegistryException;
import io.edgestream.schemas.wire.FieldLimits;
import io.edgestream.schemas.wire.WireFormat;
import io.edgestream.schemas.wire.WireFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates and decodes one input record and cuts the image into tiles: one {@link TileTask} per
 * tile and filter-size group, each with its compact input window (halo included). Whatever cannot
 * be processed becomes a {@link DeadLetterRecord} on {@link #DEAD_LETTERS} with its reason code and
 * the original bytes (up to {@code dlq.max.payload.bytes}); this function never throws for a bad
 * record, so a bad record never fails or restarts the job.
 *
 * <p>Checks, in order, all before the first tile is emitted: the record size ({@code
 * RECORD_TOO_LARGE}) and key size ({@code FIELD_TOO_LARGE}), before any decoding; the wire format
 * and schema ({@code NOT_WIRE_FORMAT}, {@code UNKNOWN_SCHEMA}, {@code MALFORMED_RECORD}) with the
 * sizes of the ids and attributes measured before the record is built ({@code FIELD_TOO_LARGE}); a
 * non-empty image id; the image's cost from its header against the slot's {@link MemoryBudget}
 * ({@code MEMORY_BUDGET_EXCEEDED}: decoded samples at their depth, decoder buffers, the record and
 * the tiles in flight; nothing is allocated for an image that does not fit); the image itself
 * ({@code ImageDecoder}: dimensions and pixel limits from the header); and that every filter group
 * has an output ({@code IMAGE_SMALLER_THAN_FILTER} under VALID padding). Everything else unexpected
 * is {@code PROCESSING_ERROR} with the exception in the message.
 *
 * <p>The input's framing is a {@link TopicWire}: single-object encoding, or the schema-registry
 * framing, whose writer schemas are fetched by id (an unknown id, or a writer schema that cannot be
 * read as ours, is {@code UNKNOWN_SCHEMA}; a value of the other framing is {@code NOT_WIRE_FORMAT}
 * with a message naming the option to change). The one exception to "never throws": when the
 * registry cannot be asked (unreachable, credentials refused, a server error), the record is not at
 * fault, so it is not dead-lettered; the task fails and Flink restarts from the last checkpoint.
 *
 * <p>Memory: tiles are cut one at a time, straight from the decoded samples at their depth (8-bit
 * windows as bytes, others as float32 windows, grey conversion per window): no whole-image float
 * copy exists, so an image costs its decoded samples plus one window.
 *
 * <p>One input, one outcome: should cutting fail after some tiles were sent (it cannot for any
 * input that passed the checks; this guards against bugs), the record gets one dead letter here and
 * an {@link TileStats#aborted} marker on {@link #ABORTED} tells the merge to drop the image, so no
 * statistics and no second dead letter follow.
 *
 * <p>Where the tiles go: an image cut into fewer than {@code tiles.spread.min} tiles (over all
 * filter-size groups) sends them to {@link #LOCAL_TILES}, which a convolution chained to this
 * function takes in the same task; a larger image's tiles are the main output, spread over all
 * convolution subtasks.
 *
 * <p>Metrics: {@code imagesIn}, {@code tilesOut} (both ways), {@code imagesKeptLocal} (images whose
 * tiles went to {@link #LOCAL_TILES}), and {@code deadLetters.<REASON>} counters.
 */
public class DecodeAndTile extends ProcessFunction<InputRecord, TileTask> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeAndTile.class);

    /** Side output of records that cannot be processed. */
    public static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetterRecord.class));

    /**
     * Side output of the tiles of images with fewer than {@code tiles.spread.min} tiles: they are
     * convolved by an operator chained to this one (the same task), not spread over the network.
     * The tiles of larger images are the main output.
     */
    public static final OutputTag<TileTask> LOCAL_TILES =
            new OutputTag<>("local-tiles", TypeInformation.of(TileTask.class));

    /** Side output of markers for images given up after some of their tiles were sent. */
    public static final OutputTag<TileStats> ABORTED =
            new OutputTag<>("aborted-images", TypeInformation.of(TileStats.class));

    private final ProcessingSpec spec;
    private final TopicWire input;

    private transient WireFormat<ImageFrame> wire;
    private transient FieldLimits fieldLimits;
    private transient List<List<Filter>> groups;
    private transient ConvParams params;
    private transient int filterCount;
    private transient MemoryBudget budget;
    private transient Counter imagesIn;
    private transient Counter tilesOut;
    private transient Counter imagesKeptLocal;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    /** Reads single-object encoded frames. */
    public DecodeAndTile(ProcessingSpec spec) {
        this(spec, TopicWire.singleObject("images", "wire.format.images"));
    }

    /** Reads frames framed as {@code input} says (single-object or schema registry). */
    public DecodeAndTile(ProcessingSpec spec, TopicWire input) {
        this.spec = spec;
        this.input = input;
    }

    @Override
    public void open(OpenContext openContext) {
        wire = input.open(ImageFrame.class);
        InputLimits in = spec.input;
        fieldLimits =
                FieldLimits.none()
                        .with("imageId", in.maxIdBytes(), "max.id.bytes")
                        .with("sourceId", in.maxIdBytes(), "max.id.bytes")
                        .with("batchId", in.maxIdBytes(), "max.id.bytes")
                        .with("attributes", in.maxAttributesBytes(), "max.attributes.bytes");
        groups = spec.filterGroups();
        params = spec.convParams();
        filterCount = spec.filterCount();
        budget =
                MemoryBudget.resolve(
                        in, taskManagerConfiguration(), Runtime.getRuntime().maxMemory());
        LOG.info("memory budget per image in this slot: {}", budget);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        imagesIn = metrics.counter("imagesIn");
        tilesOut = metrics.counter("tilesOut");
        imagesKeptLocal = metrics.counter("imagesKeptLocal");
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        MetricGroup dl = metrics.addGroup("deadLetters");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, dl.counter(r.name()));
        }
    }

    /**
     * The TaskManager's configuration (slots, task heap), or an empty one outside a TaskManager.
     */
    private Configuration taskManagerConfiguration() {
        if (getRuntimeContext() instanceof StreamingRuntimeContext c) {
            return c.getTaskManagerRuntimeInfo().getConfiguration();
        }
        return new Configuration();
    }

    /** The memory budget per image this subtask enforces. */
    MemoryBudget budget() {
        return budget;
    }

    /** A record that is dead-lettered: reason and message (and the image id if known). */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final DeadLetterReason reason;
        final String imageId;

        Rejected(DeadLetterReason reason, String imageId, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
            this.imageId = imageId;
        }
    }

    @Override
    public void processElement(InputRecord in, Context ctx, Collector<TileTask> out) {
        imagesIn.inc();
        Planned image;
        try {
            image = plan(in);
        } catch (Rejected r) {
            reject(in, r.imageId, r.reason, r.getMessage(), ctx);
            return;
        } catch (RegistryException e) {
            // The registry, not the record, is at fault (unreachable, credentials refused, a server
            // error): dead-lettering would lose a good record. Fail the task, so Flink restarts
            // from the last checkpoint and reads this record again.
            throw new IllegalStateException(
                    "cannot decode "
                            + in
                            + " of topic '"
                            + input.topic()
                            + "': the schema registry failed ("
                            + e.getMessage()
                            + "). The record is not dead-lettered; the task fails and the job"
                            + " restarts from its last checkpoint. Check that the registry at"
                            + " registry.url runs and accepts the job's credentials",
                    e);
        } catch (RuntimeException e) {
            // An unexpected failure of one record must not fail the job: dead-letter it, loudly.
            LOG.warn("unexpected failure processing {}; dead-lettered as PROCESSING_ERROR", in, e);
            reject(in, null, DeadLetterReason.PROCESSING_ERROR, e.toString(), ctx);
            return;
        }
        // Tiles are cut and handed on one at a time, so besides the decoded image only one tile
        // window is in memory here, whatever the image size.
        int[] emitted = {0};
        boolean local = spec.staysLocal(image.tileCount);
        if (local) {
            imagesKeptLocal.inc();
        }
        try {
            image.emitTo(
                    t -> {
                        if (local) {
                            ctx.output(LOCAL_TILES, t);
                        } else {
                            out.collect(t);
                        }
                        emitted[0]++;
                    });
        } catch (RuntimeException e) {
            LOG.warn(
                    "failure cutting tile {} of {} of {}; dead-lettered as PROCESSING_ERROR",
                    emitted[0] + 1,
                    image.tileCount,
                    in,
                    e);
            if (emitted[0] > 0) {
                ctx.output(ABORTED, image.abortMarker());
            }
            reject(
                    in,
                    image.imageId,
                    DeadLetterReason.PROCESSING_ERROR,
                    "cutting tile "
                            + (emitted[0] + 1)
                            + " of "
                            + image.tileCount
                            + " failed ("
                            + e
                            + "); the "
                            + emitted[0]
                            + " tile(s) already sent to the maps topic never complete and get no"
                            + " EdgeStats: ignore them",
                    ctx);
        } finally {
            tilesOut.inc(emitted[0]);
        }
    }

    /** A validated, decoded and planned image whose tiles are cut on demand. */
    static final class Planned {
        final String imageId;
        final int tileCount;
        private final TileStats marker;
        private final Consumer<Consumer<TileTask>> emitter;

        Planned(String imageId, int tileCount, TileStats marker, Consumer<Consumer<TileTask>> e) {
            this.imageId = imageId;
            this.tileCount = tileCount;
            this.marker = marker;
            this.emitter = e;
        }

        /** Cuts every tile and hands each to {@code out} as soon as it is cut. */
        void emitTo(Consumer<TileTask> out) {
            emitter.accept(out);
        }

        /** The merge's signal to drop this image (see {@link TileStats#aborted}). */
        TileStats abortMarker() {
            return marker;
        }
    }

    private void reject(
            InputRecord in, String imageId, DeadLetterReason reason, String message, Context ctx) {
        deadLetters.get(reason).inc();
        InputLimits l = spec.input;
        ctx.output(
                DEAD_LETTERS,
                DeadLetterRecord.of(
                        in,
                        imageId,
                        reason,
                        message,
                        System.currentTimeMillis(),
                        l.dlqMaxPayloadBytes(),
                        l.maxKeyBytes(),
                        l.maxIdBytes()));
    }

    /**
     * Validates, decodes and plans the image; the returned value cuts its tiles. Throws {@link
     * Rejected} (before any tile exists) saying why the image has none.
     */
    Planned plan(InputRecord in) throws Rejected {
        InputLimits limits = spec.input;
        if (in.value == null) {
            throw new Rejected(
                    DeadLetterReason.NOT_WIRE_FORMAT,
                    null,
                    "record value is null (a tombstone), not an ImageFrame",
                    null);
        }
        if (in.value.length > limits.maxRecordBytes()) {
            throw new Rejected(
                    DeadLetterReason.RECORD_TOO_LARGE,
                    null,
                    "record value is "
                            + in.value.length
                            + " bytes, above max.record.bytes = "
                            + limits.maxRecordBytes()
                            + "; send smaller images or raise max.record.bytes",
                    null);
        }
        if (in.key != null && in.key.length > limits.maxKeyBytes()) {
            throw new Rejected(
                    DeadLetterReason.FIELD_TOO_LARGE,
                    null,
                    "record key is "
                            + in.key.length
                            + " bytes, above max.key.bytes = "
                            + limits.maxKeyBytes()
                            + "; key images by their source id (a short string)",
                    null);
        }
        ImageFrame frame;
        try {
            frame = wire.decode(in.value, fieldLimits);
        } catch (WireFormatException e) {
            String hint =
                    e.reason() == DeadLetterReason.NOT_WIRE_FORMAT
                            ? input.mismatchHint(in.value)
                            : "";
            throw new Rejected(e.reason(), null, e.getMessage() + hint, e);
        }
        String imageId = frame.getImageId();
        if (imageId == null || imageId.isBlank()) {
            throw new Rejected(
                    DeadLetterReason.MALFORMED_RECORD,
                    null,
                    "imageId is empty; every image needs an id (it keys all outputs)",
                    null);
        }
        byte[] data = bytes(frame.getData());
        String encoding = frame.getEncoding().name();
        String pixelFormat = frame.getPixelFormat() == null ? null : frame.getPixelFormat().name();
        DecodedImage decoded;
        // The decoder checks the header's dimensions against the pixel limits, then the image's
        // cost from its header (decoded samples at their depth, decoder and native buffers)
        // against what the budget leaves besides the record and the tiles in flight: nothing is
        // allocated for an image that does not fit, whatever format, depth or size it claims.
        long held = heldBytes(in, data);
        try {
            decoded =
                    ImageDecoder.decode(
                            data,
                            encoding,
                            frame.getWidth(),
                            frame.getHeight(),
                            frame.getChannels(),
                            pixelFormat,
                            spec.decodeLimits(Math.max(1, budget.bytes() - held)));
        } catch (ImageDecodeException e) {
            String message = e.getMessage();
            if (e.failure() == DecodeFailure.MEMORY_BUDGET_EXCEEDED) {
                message +=
                        " [the slot's memory budget is "
                                + budget
                                + ", of which "
                                + MemoryBudget.mib(held)
                                + " is held for the record and the tiles in flight; set"
                                + " --memory.budget to change it]";
            }
            throw new Rejected(DeadLetterReason.valueOf(e.failure().name()), imageId, message, e);
        }
        int w = decoded.width();
        int h = decoded.height();
        int c = decoded.channels();
        if (Float.isNaN(decoded.minValue())) {
            throw new Rejected(
                    DeadLetterReason.PROCESSING_ERROR,
                    imageId,
                    "FLOAT32 image "
                            + w
                            + "x"
                            + h
                            + "x"
                            + c
                            + " has no finite sample (every sample is NaN or infinite): there is no"
                            + " value range to compute its statistics over; send an image with"
                            + " finite samples",
                    null);
        }

        // Plan every group before emitting anything, so a rejected image leaves no tiles behind.
        List<TilePlan> plans = new ArrayList<>(groups.size());
        List<List<StatsConfig>> stats = new ArrayList<>(groups.size());
        for (List<Filter> group : groups) {
            TilePlan plan =
                    TilePlan.forFilters(w, h, group, params, spec.tileWidth, spec.tileHeight);
            if (plan.isEmpty()) {
                Filter f = group.get(0);
                throw new Rejected(
                        DeadLetterReason.IMAGE_SMALLER_THAN_FILTER,
                        imageId,
                        "image "
                                + w
                                + "x"
                                + h
                                + " is smaller than the "
                                + f.size()
                                + " filter '"
                                + f.name()
                                + "': VALID padding gives no output; send larger images or use"
                                + " padding SAME",
                        null);
            }
            List<StatsConfig> cfgs = new ArrayList<>(group.size());
            for (Filter f : group) {
                cfgs.add(
                        StatsConfig.forFilter(
                                f,
                                params,
                                c,
                                decoded.minValue(),
                                decoded.maxValue(),
                                spec.histogramBins,
                                spec.edgeThreshold,
                                plan));
            }
            plans.add(plan);
            stats.add(cfgs);
        }
        int tileCount = 0;
        for (TilePlan plan : plans) {
            tileCount += plan.tileCount();
        }

        // 8-bit samples not converted to grey stay integers 0..255 (borders permitting): such
        // windows travel as bytes, a quarter of the float32 volume. A window inside the image
        // (always, under VALID padding) is cut straight from the 8-bit pixels; others are cut as
        // float32 from the decoded samples of any depth (grey-converted per window under GREY).
        boolean greyMode = params.colorMode() == ColorMode.GREY;
        ImageU8 u8 = decoded.bitDepth() == 8 && (c == 1 || !greyMode) ? decoded.u8() : null;
        int mapChannels = FilterBank.outputChannels(params, c);
        int spread = imageId.hashCode();
        TileStats marker = new TileStats();
        marker.aborted = true;
        marker.imageId = imageId;
        marker.sourceTopic = in.topic;
        marker.sourcePartition = in.partition;
        marker.sourceOffset = in.offset;
        marker.mergeKey = TileTask.mergeKey(imageId, in.topic, in.partition, in.offset);
        return new Planned(
                imageId,
                tileCount,
                marker,
                out -> {
                    int emitted = 0;
                    for (int g = 0; g < plans.size(); g++) {
                        TilePlan plan = plans.get(g);
                        List<StatsConfig> cfgs = stats.get(g);
                        for (TileSpec t : plan.tiles()) {
                            TileTask task = new TileTask();
                            task.imageId = imageId;
                            task.sourceId = frame.getSourceId();
                            task.batchId = frame.getBatchId();
                            task.captureTimeMs = frame.getCaptureTimeMs();
                            task.sequence = frame.getSequence();
                            task.ingestTimeMs = in.timestamp;
                            task.inputWidth = w;
                            task.inputHeight = h;
                            task.inputChannels = c;
                            task.inputBitDepth = decoded.bitDepth();
                            task.sourceTopic = in.topic;
                            task.sourcePartition = in.partition;
                            task.sourceOffset = in.offset;
                            task.originalSize = in.value.length;
                            task.key = in.key;
                            task.group = g;
                            task.filterCount = filterCount;
                            task.mapWidth = plan.outputWidth();
                            task.mapHeight = plan.outputHeight();
                            task.mapChannels = mapChannels;
                            task.tilesX = plan.tilesX();
                            task.tilesY = plan.tilesY();
                            task.tileCount = plan.tileCount();
                            task.tileIndex = t.index();
                            task.col = t.col();
                            task.row = t.row();
                            task.outX = t.outX();
                            task.outY = t.outY();
                            task.outW = t.outW();
                            task.outH = t.outH();
                            task.inX = t.inX();
                            task.inY = t.inY();
                            task.inW = t.inW();
                            task.inH = t.inH();
                            cutWindow(task, plan, t, decoded, u8);
                            int n = cfgs.size();
                            task.histogramBins = new int[n];
                            task.histogramMin = new double[n];
                            task.histogramMax = new double[n];
                            task.edgeThreshold = new double[n];
                            task.orientationBins = new int[n];
                            for (int i = 0; i < n; i++) {
                                StatsConfig s = cfgs.get(i);
                                task.histogramBins[i] = s.histogramBins();
                                task.histogramMin[i] = s.histogramMin();
                                task.histogramMax[i] = s.histogramMax();
                                task.edgeThreshold[i] = s.edgeThreshold();
                                task.orientationBins[i] = s.orientationBins();
                            }
                            task.routingKey = spread + emitted;
                            out.accept(task);
                            emitted++;
                        }
                    }
                });
    }

    /**
     * Sets the window of {@code task}: bytes when the samples are 8-bit integers (cut straight from
     * the pixels inside the image, packed when a border window stays 0..255), float32 otherwise,
     * always cut from the decoded samples. Overridable only so that a test can make it fail.
     */
    void cutWindow(TileTask task, TilePlan plan, TileSpec t, DecodedImage decoded, ImageU8 u8) {
        int w = decoded.width();
        int h = decoded.height();
        if (u8 != null && inside(t, w, h)) {
            task.windowU8 = cut(u8, t);
            task.windowChannels = decoded.channels();
            return;
        }
        ImageF32 window = plan.extract(decoded, t);
        byte[] packed = u8 != null ? TileTask.packU8(window.data) : null;
        if (packed != null) {
            task.windowU8 = packed;
        } else {
            task.window = window.data;
        }
        task.windowChannels = window.channels;
    }

    /**
     * Memory the decode step holds for {@code in} besides what the decoder itself needs: the record
     * value, the image bytes Avro copied out of it, and the windows in flight (the one being cut
     * and the one the convolution task in this slot works on, as float32).
     */
    private long heldBytes(InputRecord in, byte[] data) {
        return (long) in.value.length + data.length + 2L * maxWindowBytes();
    }

    /**
     * Float32 bytes of the largest tile window of any filter group: tile size in output pixels
     * times the stride, plus the largest kernel's halo, times the channels the filters see (at most
     * 4; 1 under GREY). Known before the image is decoded.
     */
    private long maxWindowBytes() {
        int rows = 1;
        int cols = 1;
        for (List<Filter> group : groups) {
            rows = Math.max(rows, group.get(0).rows());
            cols = Math.max(cols, group.get(0).cols());
        }
        int channels = params.colorMode() == ColorMode.GREY ? 1 : 4;
        long w = (long) (spec.tileWidth - 1) * params.stride() + cols;
        long h = (long) (spec.tileHeight - 1) * params.stride() + rows;
        return w * h * channels * Float.BYTES;
    }

    private static boolean inside(TileSpec t, int w, int h) {
        return t.inX() >= 0 && t.inY() >= 0 && t.inX() + t.inW() <= w && t.inY() + t.inH() <= h;
    }

    /** The window of {@code t} (inside the image) as compact HWC bytes. */
    static byte[] cut(ImageU8 image, TileSpec t) {
        int c = image.channels;
        int row = t.inW() * c;
        byte[] out = new byte[row * t.inH()];
        for (int y = 0; y < t.inH(); y++) {
            System.arraycopy(
                    image.data,
                    image.offset + (t.inY() + y) * image.stride + t.inX() * c,
                    out,
                    y * row,
                    row);
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b.hasArray()
                && b.arrayOffset() == 0
                && b.position() == 0
                && b.remaining() == b.array().length) {
            return b.array();
        }
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
