package io.edgestream.clients.produce;

import io.edgestream.clients.cli.BrokerCheck;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.Framing;
import io.edgestream.clients.cli.KafkaClientOptions;
import io.edgestream.clients.cli.Progress;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.schemas.wire.WireFormat;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code produce-images}: pushes images onto the {@code images} topic as Avro {@link ImageFrame}
 * records (key = source id), from files, directories, a list of paths on standard input, or a
 * synthetic camera. Values are in Avro single-object encoding, or with {@code --registry URL} (or
 * {@code --wire-format registry}) in the schema-registry framing, the schema registered under
 * {@code <topic>-value} before the first send ({@link Framing}).
 *
 * <p>Files: JPEG, PNG, BMP and TIFF are recognised by their magic bytes and sent as they are (the
 * job decodes them); their header is read with the core's decoder first, so width and height are
 * filled in and a broken or oversized file is skipped here instead of dead-lettered there. With
 * {@code --raw} the producer decodes and sends packed pixels ({@code RAW} + pixel format, depth
 * kept). Image ids are {@code <source>/<first 16 hex digits of the SHA-256 of the file>}, so
 * sending the same file again gives the same id; the capture time is the file's modification time.
 *
 * <p>Synthetic: {@code --synthetic --count N --fps F --size WxH} sends frames of {@link
 * SyntheticCamera} as RAW GRAY8 or RGB8, with ids {@code <source>/<sequence, 6 digits>} and the
 * wall clock as capture time.
 *
 * <p>Failure handling: an unreachable broker or a missing topic stops the tool before anything is
 * read (exit 1); an unreadable, unrecognised or undecodable file is skipped and counted; a record
 * over {@code --max-request-size} (or rejected by the broker as too large) is counted and not sent;
 * skips make the exit code 2. A send that fails otherwise (after the producer's own retries) makes
 * it 1. Use from Java: {@code ProduceImages.run(options, System.out)} returns a {@link Summary};
 * command line: {@link ProduceImagesCommand}.
 */
public final class ProduceImages {

    /** The tool's name as given to {@code io.edgestream.clients.Main}. */
    public static final String TOOL = "produce-images";

    /** Sources of images. */
    public enum Mode {
        FILES,
        SYNTHETIC
    }

    /**
     * Everything the tool can be told (broker, Kafka settings, progress and verbosity in {@link
     * KafkaClientOptions}); defaults are the command line's. Fluent setters return this object.
     */
    public static final class Options extends KafkaClientOptions<Options> {
        String topic = "images";
        Mode mode = Mode.FILES;
        List<String> inputs = new ArrayList<>();
        InputStream stdin = System.in;
        String glob = null;
        boolean raw = false;
        String source = null;
        String batchId = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        long startSequence = 0;
        long count = 10;
        double fps = 10;
        int width = 640;
        int height = 480;
        PixelFormat syntheticFormat = PixelFormat.GRAY8;
        String compression = "zstd";
        long maxRequestSize = RecordLimits.TOPIC_MAX_MESSAGE_BYTES;
        int lingerMs = 20;
        DecodeLimits limits = DecodeLimits.DEFAULT;

        public Options topic(String v) {
            topic = v;
            return this;
        }

        /** Files, directories, or {@code -} for a list of paths on {@link #stdin}. */
        public Options inputs(List<String> v) {
            inputs = new ArrayList<>(v);
            mode = Mode.FILES;
            return this;
        }

        public Options stdin(InputStream v) {
            stdin = v;
            return this;
        }

        /** Only files whose name (or path below the directory, if the glob has a '/') matches. */
        public Options glob(String v) {
            glob = v;
            return this;
        }

        public Options raw(boolean v) {
            raw = v;
            return this;
        }

        /** Source id (record key); default {@code files} or {@code cam-1} for synthetic frames. */
        public Options source(String v) {
            source = v;
            return this;
        }

        public Options batchId(String v) {
            batchId = v;
            return this;
        }

        public Options attribute(String k, String v) {
            attributes.put(k, v);
            return this;
        }

        public Options startSequence(long v) {
            startSequence = v;
            return this;
        }

        /**
         * Synthetic frames: how many, how fast (0 = as fast as possible), how large, which format.
         */
        public Options synthetic(
                long count, double fps, int width, int height, PixelFormat format) {
            this.mode = Mode.SYNTHETIC;
            this.count = count;
            this.fps = fps;
            this.width = width;
            this.height = height;
            this.syntheticFormat = format;
            return this;
        }

        public Options compression(String v) {
            compression = v;
            return this;
        }

        public Options maxRequestSize(long v) {
            maxRequestSize = v;
            return this;
        }

        public Options lingerMs(int v) {
            lingerMs = v;
            return this;
        }

        public Options limits(DecodeLimits v) {
            limits = v;
            return this;
        }

        String sourceId() {
            return source != null ? source : mode == Mode.SYNTHETIC ? "cam-1" : "files";
        }
    }

    /** One image that was sent (acknowledged by the broker). */
    public record SentImage(
            String imageId,
            String sourceId,
            long sequence,
            int width,
            int height,
            long bytes,
            String origin) {}

    /** One input left out, and why. */
    public record Skipped(String input, String reason) {}

    /**
     * What a run did.
     *
     * @param sent images acknowledged by the broker, in send order
     * @param skipped files that were unreadable, not images, or rejected by the decoder
     * @param oversize records over the size limit (not sent)
     * @param failed sends that failed after the producer's retries
     * @param bytes bytes of record values acknowledged
     * @param seconds wall time of the run
     */
    public record Summary(
            List<SentImage> sent,
            List<Skipped> skipped,
            List<Skipped> oversize,
            List<Skipped> failed,
            long bytes,
            double seconds) {

        /** 0 if all went out, 2 if some inputs were skipped or too large, 1 if a send failed. */
        public int exitCode() {
            if (!failed.isEmpty()) {
                return ExitCodes.FAILED;
            }
            return skipped.isEmpty() && oversize.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }

        /** The ids of the sent images. */
        public List<String> imageIds() {
            List<String> ids = new ArrayList<>(sent.size());
            for (SentImage s : sent) {
                ids.add(s.imageId());
            }
            return ids;
        }
    }

    private ProduceImages() {}

    /** The producer settings the tool uses for {@code o}, user settings applied last. */
    public static Properties producerProperties(Options o) {
        return FrameSender.producerProperties(o);
    }

    /**
     * The first 16 hex digits (64 bits) of the SHA-256 of {@code bytes}: the stable part of an
     * image id ({@code <source>/<contentId>}).
     */
    public static String contentId(byte[] bytes) {
        return FrameBuilder.contentId(bytes);
    }

    /**
     * Runs the tool: checks the broker, sends every input, waits until all are acknowledged, and
     * prints progress and a summary to {@code out}.
     *
     * @throws ToolException if the broker is unreachable, the topic is missing, or the inputs
     *     cannot be listed
     */
    public static Summary run(Options o, PrintStream out) {
        Properties props = producerProperties(o);
        ProduceReport report = new ProduceReport(out, o.verbose());
        report.settings(props);
        BrokerCheck.check(props, o.connectTimeout(), List.of(o.topic));
        WireFormat<ImageFrame> wire =
                Framing.writer(ImageFrame.class, o, Framing.client(o), o.topic);
        report.wireFormat(Framing.writerFormat(o), o.registry(), Framing.checkWriter(wire));
        List<Skipped> skipped = new ArrayList<>();
        List<InputFiles.Input> inputs =
                o.mode == Mode.FILES
                        ? InputFiles.list(o.inputs, o.stdin, o.glob, skipped)
                        : List.of();
        long total = o.mode == Mode.FILES ? inputs.size() : o.count;
        Progress progress = new Progress(out, o.progress(), "images", total);
        FrameBuilder frames = new FrameBuilder(o);
        long startNanos = System.nanoTime();
        FrameSender sender = new FrameSender(o, props, wire);
        try {
            if (o.mode == Mode.SYNTHETIC) {
                SyntheticCamera cam = new SyntheticCamera(o.width, o.height, o.syntheticFormat);
                long periodNanos = o.fps > 0 ? (long) (1e9 / o.fps) : 0;
                for (long i = 0; i < o.count; i++) {
                    if (periodNanos > 0) {
                        pace(startNanos + i * periodNanos, progress);
                    }
                    long seq = o.startSequence + i;
                    ImageFrame f = frames.synthetic(cam, seq, System.currentTimeMillis());
                    send(sender, f, "synthetic frame " + seq, report, progress);
                }
            } else {
                long seq = o.startSequence;
                for (InputFiles.Input in : inputs) {
                    FrameBuilder.Outcome built = frames.fromFile(in, seq);
                    if (built.frame() != null) {
                        send(sender, built.frame(), in.display(), report, progress);
                        seq++;
                    } else {
                        skipped.add(built.skipped());
                        progress.add(1, 0, null);
                    }
                }
            }
            sender.flush();
        } finally {
            sender.close();
        }
        progress.finish();
        Summary s =
                new Summary(
                        sender.sent(),
                        List.copyOf(skipped),
                        sender.oversize(),
                        sender.failed(),
                        sender.ackedBytes(),
                        (System.nanoTime() - startNanos) / 1e9);
        report.summary(s, o);
        return s;
    }

    private static void send(
            FrameSender sender,
            ImageFrame f,
            String display,
            ProduceReport report,
            Progress progress) {
        int bytes = sender.send(f, display);
        if (bytes >= 0) {
            report.sent(f, bytes, display);
        }
        // Progress counts records handed to the producer; the summary counts acknowledged ones.
        progress.add(1, Math.max(0, bytes), null);
    }

    private static void pace(long dueNanos, Progress progress) {
        // Rate limiting for --fps: wait until the frame's slot, keeping the progress line fresh.
        while (true) {
            long wait = dueNanos - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            progress.tick();
            try {
                Thread.sleep(Math.min(200, Math.max(1, wait / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException("interrupted", ExitCodes.FAILED, e);
            }
        }
    }
}
