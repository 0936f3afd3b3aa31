package io.edgestream.job.functions;

import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.decode.DecodeLimits;
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
import io.edgestream.job.records.RawRecord;
import io.edgestream.job.records.TileTask;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.WireFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates and decodes one input record and cuts the image into tiles: one {@link TileTask} per
 * tile and filter-size group, each with its compact input window (halo included). Whatever cannot
 * be processed becomes a {@link DeadLetterRecord} on {@link #DEAD_LETTERS} with its reason code and
 * the original bytes; this function never throws for a bad record, so a bad record never fails or
 * restarts the job.
 *
 * <p>Checks, in order: the record size ({@code RECORD_TOO_LARGE}, before any decoding), the wire
 * format and schema ({@code NOT_WIRE_FORMAT}, {@code UNKNOWN_SCHEMA}, {@code MALFORMED_RECORD}), a
 * non-empty image id, the image itself ({@code ImageDecoder}: dimensions and pixel limits are
 * checked from the header before pixels are allocated), and that every filter group has an output
 * ({@code IMAGE_SMALLER_THAN_FILTER} under VALID padding). Everything else unexpected is {@code
 * PROCESSING_ERROR} with the exception in the message. All checks happen before the first tile is
 * emitted, so a dead-lettered image never leaves tiles behind.
 *
 * <p>Metrics: {@code imagesIn}, {@code tilesOut}, and {@code deadLetters.<REASON>} counters.
 */
public class DecodeAndTile extends ProcessFunction<RawRecord, TileTask> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeAndTile.class);

    /** Side output of records that cannot be processed. */
    public static final OutputTag<DeadLetterRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetterRecord.class));

    private final ProcessingSpec spec;

    private transient AvroWire<ImageFrame> wire;
    private transient List<List<Filter>> groups;
    private transient ConvParams params;
    private transient DecodeLimits limits;
    private transient FilterBank preparer;
    private transient int filterCount;
    private transient Counter imagesIn;
    private transient Counter tilesOut;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    public DecodeAndTile(ProcessingSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext openContext) {
        wire = AvroWire.imageFrames();
        groups = spec.filterGroups();
        params = spec.convParams();
        limits = spec.decodeLimits();
        preparer = new FilterBank(groups.get(0), params);
        filterCount = spec.filterCount();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        imagesIn = metrics.counter("imagesIn");
        tilesOut = metrics.counter("tilesOut");
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        MetricGroup dl = metrics.addGroup("deadLetters");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, dl.counter(r.name()));
        }
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
    public void processElement(RawRecord in, Context ctx, Collector<TileTask> out) {
        imagesIn.inc();
        TileEmitter tiles;
        try {
            tiles = plan(in);
        } catch (Rejected r) {
            reject(in, r.imageId, r.reason, r.getMessage(), ctx);
            return;
        } catch (RuntimeException e) {
            // An unexpected failure of one record must not fail the job: dead-letter it, loudly.
            LOG.warn("unexpected failure processing {}; dead-lettered as PROCESSING_ERROR", in, e);
            reject(in, null, DeadLetterReason.PROCESSING_ERROR, e.toString(), ctx);
            return;
        }
        // Tiles are cut and handed on one at a time, so besides the decoded image only one tile
        // window is in memory here, whatever the image size.
        int[] emitted = {0};
        try {
            tiles.emitTo(
                    t -> {
                        out.collect(t);
                        emitted[0]++;
                    });
        } catch (RuntimeException e) {
            // Cutting a planned tile should not fail; if it does, the tiles already sent can
            // never complete, so the merge will also report the image as INCOMPLETE_IMAGE.
            LOG.warn("failure cutting tiles of {}; dead-lettered as PROCESSING_ERROR", in, e);
            reject(in, null, DeadLetterReason.PROCESSING_ERROR, e.toString(), ctx);
        } finally {
            tilesOut.inc(emitted[0]);
        }
    }

    /** Cuts the planned tiles of one image and hands each on as soon as it is cut. */
    @FunctionalInterface
    interface TileEmitter {
        /** Emits every tile to {@code out}; returns how many. */
        int emitTo(Consumer<TileTask> out);
    }

    private void reject(
            RawRecord in, String imageId, DeadLetterReason reason, String message, Context ctx) {
        deadLetters.get(reason).inc();
        ctx.output(
                DEAD_LETTERS,
                DeadLetterRecord.of(in, imageId, reason, message, System.currentTimeMillis()));
    }

    /**
     * Validates, decodes and plans the image; the returned emitter cuts its tiles. Throws {@link
     * Rejected} (before any tile exists) saying why the image has none.
     */
    TileEmitter plan(RawRecord in) throws Rejected {
        if (in.value == null) {
            throw new Rejected(
                    DeadLetterReason.NOT_WIRE_FORMAT,
                    null,
                    "record value is null (a tombstone), not an ImageFrame",
                    null);
        }
        if (in.value.length > spec.maxRecordBytes) {
            throw new Rejected(
                    DeadLetterReason.RECORD_TOO_LARGE,
                    null,
                    "record value is "
                            + in.value.length
                            + " bytes, above max.record.bytes = "
                            + spec.maxRecordBytes
                            + "; send smaller images or raise max.record.bytes",
                    null);
        }
        ImageFrame frame;
        try {
            frame = wire.decode(in.value);
        } catch (WireFormatException e) {
            throw new Rejected(e.reason(), null, e.getMessage(), e);
        }
        String imageId = frame.getImageId();
        if (imageId == null || imageId.isBlank()) {
            throw new Rejected(
                    DeadLetterReason.MALFORMED_RECORD,
                    null,
                    "imageId is empty; every image needs an id (it keys all outputs)",
                    null);
        }
        DecodedImage decoded;
        try {
            decoded =
                    ImageDecoder.decode(
                            bytes(frame.getData()),
                            frame.getEncoding().name(),
                            frame.getWidth(),
                            frame.getHeight(),
                            frame.getChannels(),
                            frame.getPixelFormat() == null ? null : frame.getPixelFormat().name(),
                            limits);
        } catch (ImageDecodeException e) {
            throw new Rejected(
                    DeadLetterReason.valueOf(e.failure().name()), imageId, e.getMessage(), e);
        }
        int w = decoded.width();
        int h = decoded.height();
        int c = decoded.channels();

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
                                + f.rows()
                                + "x"
                                + f.cols()
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

        // 8-bit samples not converted to grey stay integers 0..255 (borders permitting): such
        // windows travel as bytes, a quarter of the float32 volume. A window inside the image
        // (always, under VALID padding) is cut straight from the 8-bit pixels; the float image is
        // made only if a window needs a border or the samples are not 8-bit.
        boolean greyMode = params.colorMode() == ColorMode.GREY;
        ImageU8 u8 = decoded.bitDepth() == 8 && (c == 1 || !greyMode) ? decoded.u8() : null;
        ImageF32[] prepared = {null};
        Supplier<ImageF32> image =
                () -> {
                    if (prepared[0] == null) {
                        prepared[0] = preparer.prepare(decoded.toF32());
                    }
                    return prepared[0];
                };
        int mapChannels = FilterBank.outputChannels(params, c);
        int spread = imageId.hashCode();
        return out -> {
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
                    task.sourceTopic = in.topic;
                    task.sourcePartition = in.partition;
                    task.sourceOffset = in.offset;
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
                    if (u8 != null && inside(t, w, h)) {
                        task.windowU8 = cut(u8, t);
                        task.windowChannels = c;
                    } else {
                        ImageF32 window = plan.extract(image.get(), t);
                        byte[] packed = u8 != null ? TileTask.packU8(window.data) : null;
                        if (packed != null) {
                            task.windowU8 = packed;
                        } else {
                            task.window = window.data;
                        }
                        task.windowChannels = window.channels;
                    }
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
            return emitted;
        };
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
