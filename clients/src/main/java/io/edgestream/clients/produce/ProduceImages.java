package io.edgestream.clients.produce;

import io.edgestream.clients.cli.BrokerCheck;
import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.Flags;
import io.edgestream.clients.cli.KafkaSettings;
import io.edgestream.clients.cli.KafkaToolOptions;
import io.edgestream.clients.cli.Progress;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.cli.ToolMain;
import io.edgestream.clients.cli.UsageException;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.decode.ImageDecodeException;
import io.edgestream.imaging.decode.ImageHeader;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.kafka.RecordLimits;
import io.edgestream.schemas.wire.AvroWire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code produce-images}: pushes images onto the {@code images} topic as Avro {@link ImageFrame}
 * records (single-object encoding, key = source id), from files, directories, a list of paths on
 * standard input, or a synthetic camera.
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
 * command line: see {@link #flags()}.
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
     * Everything the tool can be told; defaults are the command line's. Fluent setters return this
     * object.
     */
    public static final class Options {
        String bootstrap = "localhost:9092";
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
        Duration connectTimeout = Duration.ofSeconds(10);
        DecodeLimits limits = DecodeLimits.DEFAULT;
        Map<String, String> kafka = new LinkedHashMap<>();
        Progress.Mode progress = Progress.Mode.AUTO;
        boolean verbose = false;

        public Options bootstrap(String v) {
            bootstrap = v;
            return this;
        }

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

        public Options connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Options limits(DecodeLimits v) {
            limits = v;
            return this;
        }

        /** Kafka client settings applied on top of the tool's (see {@link KafkaSettings}). */
        public Options kafka(Map<String, String> v) {
            kafka = new LinkedHashMap<>(v);
            return this;
        }

        public Options progress(Progress.Mode v) {
            progress = v;
            return this;
        }

        public Options verbose(boolean v) {
            verbose = v;
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

    /** The command line, with every option and its default. */
    public static Flags flags() {
        Options d = new Options();
        return new Flags(
                        "produce-images [options] PATH... | --synthetic [options]",
                        "Sends images to Kafka as ImageFrame records (key = source id). PATH is a"
                                + " file, a directory (searched recursively), or '-' to read paths"
                                + " from standard input, one per line. JPEG, PNG, BMP and TIFF"
                                + " files are sent as they are, unless --raw.")
                .value("bootstrap", "HOST:PORT", d.bootstrap, "Kafka bootstrap servers")
                .value("topic", "NAME", d.topic, "topic to send to")
                .value(
                        "glob",
                        "PATTERN",
                        "all files",
                        "only files whose name matches, e.g. '*.jpg' or '**/cam*/*.png'")
                .flag("raw", "decode at the producer and send RAW pixels (depth kept)")
                .value(
                        "source",
                        "ID",
                        "files, or cam-1 with --synthetic",
                        "source id: record key and prefix of image ids")
                .value("batch", "ID", "none", "batchId of every frame")
                .multi("attr", "KEY=VALUE", "attribute added to every frame")
                .value(
                        "start-sequence",
                        "N",
                        String.valueOf(d.startSequence),
                        "sequence number of the first frame")
                .flag("synthetic", "send frames from a synthetic camera instead of files")
                .value("count", "N", String.valueOf(d.count), "synthetic frames to send")
                .value("fps", "F", "10", "synthetic frames per second (0 = as fast as possible)")
                .value("size", "WxH", d.width + "x" + d.height, "synthetic frame size")
                .value("format", "gray8|rgb8", "gray8", "synthetic pixel format")
                .value(
                        "compression",
                        "TYPE",
                        d.compression,
                        "producer compression: none, gzip, snappy, lz4, zstd")
                .value(
                        "max-request-size",
                        "BYTES",
                        "32MiB",
                        "largest record sent (producer max.request.size); larger ones are skipped")
                .value("linger", "MS", String.valueOf(d.lingerMs), "producer linger.ms")
                .value(
                        "max-pixels",
                        "N",
                        String.valueOf(d.limits.maxPixels()),
                        "skip images with more pixels than this")
                .with(f -> KafkaToolOptions.declare(f, "producer"))
                .flag("verbose", "print each image sent and the Kafka settings (secrets masked)")
                .footer(
                        "Examples:\n"
                                + "  produce-images --bootstrap localhost:9092 photos/\n"
                                + "  produce-images --glob '*.jpg' --source archive-7 /data/scans\n"
                                + "  find . -name '*.png' | produce-images -\n"
                                + "  produce-images --synthetic --fps 5 --count 100 --size 1280x720 --source cam-2")
                .footer(
                        "Exit codes: 0 all sent; 1 failure (broker unreachable, topic missing, a send"
                                + " failed); 2 done, but some files were skipped (unreadable, not an"
                                + " image, undecodable) or over the size limit; 64 bad command line.");
    }

    /** Parses a command line into options. */
    public static Options parse(String... args) throws UsageException {
        Flags.Parsed p = flags().parse(args);
        Options o = new Options();
        o.bootstrap = p.get("bootstrap");
        o.topic = p.get("topic");
        o.glob = p.has("glob") ? p.get("glob") : null;
        o.raw = p.has("raw");
        o.source = p.has("source") ? p.get("source") : null;
        o.batchId = p.has("batch") ? p.get("batch") : null;
        for (String a : p.all("attr")) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--attr needs KEY=VALUE, got '" + a + "'");
            }
            o.attributes.put(a.substring(0, eq), a.substring(eq + 1));
        }
        o.startSequence = p.getLong("start-sequence", 0);
        o.compression = p.get("compression");
        o.maxRequestSize = p.getBytes("max-request-size");
        o.lingerMs = p.getInt("linger", 0);
        o.limits =
                new DecodeLimits(
                        p.getLong("max-pixels", 1),
                        DecodeLimits.DEFAULT.maxWidth(),
                        DecodeLimits.DEFAULT.maxHeight());
        o.connectTimeout = p.getDuration("connect-timeout");
        o.kafka = KafkaToolOptions.kafkaSettings(p);
        o.progress = p.getEnum("progress", Progress.Mode.class);
        o.verbose = p.has("verbose");
        if (p.has("synthetic")) {
            if (!p.positional().isEmpty()) {
                throw new UsageException(
                        "--synthetic takes no PATH arguments, got " + p.positional());
            }
            String size = p.get("size").toLowerCase(Locale.ROOT);
            int x = size.indexOf('x');
            int w;
            int h;
            try {
                w = Integer.parseInt(size.substring(0, x));
                h = Integer.parseInt(size.substring(x + 1));
            } catch (RuntimeException e) {
                throw new UsageException(
                        "--size needs WIDTHxHEIGHT, e.g. 640x480, got '" + size + "'");
            }
            PixelFormat f = p.getEnum("format", PixelFormat.class);
            if (f != PixelFormat.GRAY8 && f != PixelFormat.RGB8) {
                throw new UsageException("--format must be gray8 or rgb8, got " + p.get("format"));
            }
            double fps = p.getDouble("fps");
            if (fps < 0) {
                throw new UsageException("--fps must be 0 (as fast as possible) or more");
            }
            if (w < 8 || h < 8) {
                throw new UsageException("--size must be at least 8x8, got " + size);
            }
            o.synthetic(p.getLong("count", 1), fps, w, h, f);
            if (o.raw) {
                throw new UsageException("--raw is for files; synthetic frames are always RAW");
            }
        } else {
            for (String opt : List.of("count", "fps", "size", "format")) {
                if (p.has(opt)) {
                    throw new UsageException("--" + opt + " only applies with --synthetic");
                }
            }
            if (p.positional().isEmpty()) {
                throw new UsageException(
                        "no input: give files or directories, '-' for a list on standard input,"
                                + " or --synthetic");
            }
            o.inputs(p.positional());
        }
        return o;
    }

    /** The command-line entry: parses, runs, prints, returns the exit code. */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        return ToolMain.main(
                TOOL,
                ProduceImages::flags,
                ProduceImages::parse,
                o -> run(o, out).exitCode(),
                args,
                out,
                err);
    }

    /** The producer settings the tool uses for {@code o}, user settings applied last. */
    public static Properties producerProperties(Options o) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap);
        // Names this tool in broker logs and quotas.
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "edgestream-" + TOOL);
        // Retries must never duplicate or reorder a frame within a source (one partition).
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A frame counts as sent only once all in-sync replicas have it (idempotence needs it too).
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Encoded images barely compress, but RAW pixels and synthetic frames do; zstd is cheap.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, o.compression);
        // Images are large: the default 1 MiB limit would reject most photographs. Brokers and
        // topics need message.max.bytes / max.message.bytes at least this large (KAFKA-4169).
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(o.maxRequestSize));
        // The send buffer must hold at least one largest record, or send() fails outright.
        p.put(
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                String.valueOf(Math.max(64L << 20, 2 * o.maxRequestSize)));
        // Let small images (thumbnails, synthetic frames) share a request.
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(o.lingerMs));
        // One batch per partition may hold several small images; large ones go alone anyway.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1 << 20));
        // Fail a send() that cannot get metadata within the connect timeout instead of 60 s.
        p.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                String.valueOf(Math.max(5000, o.connectTimeout.toMillis() * 3)));
        // Give a slow broker two minutes (retries included) before a frame counts as failed.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(o.kafka);
        return p;
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
        if (o.verbose) {
            KafkaSettings.print("Kafka producer settings:", props, out);
        }
        BrokerCheck.check(props, o.connectTimeout, List.of(o.topic));
        List<Skipped> skipped = Collections.synchronizedList(new ArrayList<>());
        List<Skipped> oversize = Collections.synchronizedList(new ArrayList<>());
        List<Skipped> failed = Collections.synchronizedList(new ArrayList<>());
        ConcurrentLinkedQueue<SentImage> sent = new ConcurrentLinkedQueue<>();
        AtomicLong ackedBytes = new AtomicLong();
        List<Input> inputs = o.mode == Mode.FILES ? listInputs(o, skipped) : List.of();
        long total = o.mode == Mode.FILES ? inputs.size() : o.count;
        Progress progress = new Progress(out, o.progress, "images", total);
        AvroWire<ImageFrame> wire = AvroWire.imageFrames();
        String source = o.sourceId();
        byte[] key = source.getBytes(StandardCharsets.UTF_8);
        long startNanos = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            Sender sender =
                    new Sender(
                            o,
                            producer,
                            wire,
                            key,
                            progress,
                            sent,
                            ackedBytes,
                            oversize,
                            failed,
                            out);
            if (o.mode == Mode.SYNTHETIC) {
                SyntheticCamera cam = new SyntheticCamera(o.width, o.height, o.syntheticFormat);
                long periodNanos = o.fps > 0 ? (long) (1e9 / o.fps) : 0;
                for (long i = 0; i < o.count; i++) {
                    if (periodNanos > 0) {
                        pace(startNanos + i * periodNanos, progress);
                    }
                    long seq = o.startSequence + i;
                    ImageFrame f =
                            frame(
                                    o,
                                    source,
                                    String.format(Locale.ROOT, "%s/%06d", source, seq),
                                    seq,
                                    System.currentTimeMillis(),
                                    o.width,
                                    o.height,
                                    cam.channels(),
                                    cam.format(),
                                    ImageEncoding.RAW,
                                    cam.frame(seq),
                                    Map.of("synthetic", "true"));
                    sender.send(f, "synthetic frame " + seq);
                }
            } else {
                long seq = o.startSequence;
                for (Input in : inputs) {
                    ImageFrame f = readFrame(o, source, seq, in, skipped, out);
                    if (f != null) {
                        sender.send(f, in.display);
                        seq++;
                    } else {
                        progress.add(1, 0, null);
                    }
                }
            }
            producer.flush();
        }
        progress.finish();
        double secs = (System.nanoTime() - startNanos) / 1e9;
        List<SentImage> sentList = new ArrayList<>(sent);
        Summary s =
                new Summary(
                        List.copyOf(sentList),
                        List.copyOf(skipped),
                        List.copyOf(oversize),
                        List.copyOf(failed),
                        ackedBytes.get(),
                        secs);
        printSummary(s, o, out);
        return s;
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

    private static void printSummary(Summary s, Options o, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%s: sent %d images (%.2f MB) to topic '%s' in %.1f s (%.1f images/s)%n",
                TOOL,
                s.sent().size(),
                s.bytes() / 1e6,
                o.topic,
                s.seconds(),
                s.sent().size() / Math.max(1e-3, s.seconds()));
        report(out, "skipped (unreadable or not a supported image)", s.skipped());
        report(
                out,
                "over the size limit ("
                        + o.maxRequestSize
                        + " bytes; raise --max-request-size and the topic's max.message.bytes)",
                s.oversize());
        report(out, "failed to send", s.failed());
    }

    private static void report(PrintStream out, String what, List<Skipped> list) {
        if (list.isEmpty()) {
            return;
        }
        out.println("  " + list.size() + " " + what + ":");
        int shown = 0;
        for (Skipped s : list) {
            if (shown++ == 20) {
                out.println("    ... and " + (list.size() - 20) + " more");
                break;
            }
            out.println("    " + s.input() + ": " + s.reason());
        }
    }

    /** A file to send and how to show it. */
    private record Input(Path path, String display) {}

    private static List<Input> listInputs(Options o, List<Skipped> skipped) {
        List<Input> out = new ArrayList<>();
        for (String arg : o.inputs) {
            if (arg.equals("-")) {
                try (BufferedReader r =
                        new BufferedReader(
                                new InputStreamReader(o.stdin, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String t = line.strip();
                        if (!t.isEmpty() && !t.startsWith("#")) {
                            addPath(Path.of(t), t, o, out, skipped);
                        }
                    }
                } catch (IOException e) {
                    throw new ToolException(
                            "cannot read the list of paths from standard input: " + e,
                            ExitCodes.FAILED,
                            e);
                }
            } else {
                addPath(Path.of(arg), arg, o, out, skipped);
            }
        }
        return out;
    }

    private static void addPath(
            Path p, String display, Options o, List<Input> out, List<Skipped> skipped) {
        if (Files.isDirectory(p)) {
            PathMatcher m =
                    o.glob == null
                            ? null
                            : FileSystems.getDefault().getPathMatcher("glob:" + o.glob);
            boolean byPath = o.glob != null && o.glob.contains("/");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(p)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                skipped.add(new Skipped(display, "cannot list the directory: " + e.getMessage()));
                return;
            }
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(".")) {
                    continue; // hidden files (.DS_Store, editor backups) are never images to send
                }
                if (m != null && !m.matches(byPath ? p.relativize(f) : f.getFileName())) {
                    continue;
                }
                out.add(new Input(f, f.toString()));
            }
        } else {
            // A file named explicitly is always tried: a missing one is reported, not ignored.
            out.add(new Input(p, display));
        }
    }

    private static ImageFrame readFrame(
            Options o, String source, long seq, Input in, List<Skipped> skipped, PrintStream out) {
        byte[] bytes;
        long mtime;
        try {
            bytes = Files.readAllBytes(in.path);
            mtime = Files.getLastModifiedTime(in.path).toMillis();
        } catch (IOException | SecurityException e) {
            skipped.add(new Skipped(in.display, "unreadable: " + BrokerCheck.rootMessage(e)));
            return null;
        }
        ImageEncoding enc = ImageFiles.sniff(bytes);
        if (enc == null) {
            skipped.add(
                    new Skipped(
                            in.display, "not a JPEG, PNG, BMP or TIFF file (by its first bytes)"));
            return null;
        }
        String id = source + "/" + contentId(bytes);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("file", in.path.getFileName().toString());
        try {
            if (o.raw) {
                DecodedImage img = ImageFiles.decode(bytes, enc, o.limits);
                attrs.put("originalEncoding", enc.name());
                attrs.put("bitDepth", String.valueOf(img.bitDepth()));
                return frame(
                        o,
                        source,
                        id,
                        seq,
                        mtime,
                        img.width(),
                        img.height(),
                        img.channels(),
                        PixelFormat.valueOf(img.format().name()),
                        ImageEncoding.RAW,
                        ImageFiles.packRaw(img),
                        attrs);
            }
            ImageHeader h = ImageFiles.probe(bytes, enc, o.limits);
            attrs.put("bitDepth", String.valueOf(h.bitDepth()));
            // channels 0: "take it from the header", so the job's decoder has the last word.
            return frame(
                    o, source, id, seq, mtime, h.width(), h.height(), 0, null, enc, bytes, attrs);
        } catch (ImageDecodeException e) {
            skipped.add(
                    new Skipped(
                            in.display,
                            enc
                                    + " rejected by the decoder ("
                                    + e.failure()
                                    + "): "
                                    + e.getMessage()));
            return null;
        } catch (RuntimeException e) {
            skipped.add(
                    new Skipped(
                            in.display, enc + " could not be read: " + BrokerCheck.rootMessage(e)));
            return null;
        }
    }

    private static ImageFrame frame(
            Options o,
            String source,
            String id,
            long seq,
            long captureMs,
            int w,
            int h,
            int c,
            PixelFormat pf,
            ImageEncoding enc,
            byte[] data,
            Map<String, String> extra) {
        Map<String, String> attrs = new LinkedHashMap<>(extra);
        attrs.putAll(o.attributes);
        return ImageFrame.newBuilder()
                .setImageId(id)
                .setSourceId(source)
                .setCaptureTimeMs(captureMs)
                .setSequence(seq)
                .setBatchId(o.batchId)
                .setWidth(w)
                .setHeight(h)
                .setChannels(c)
                .setPixelFormat(pf)
                .setEncoding(enc)
                .setData(ByteBuffer.wrap(data))
                .setAttributes(attrs)
                .build();
    }

    /**
     * The first 16 hex digits (64 bits) of the SHA-256 of {@code bytes}: the stable part of an
     * image id.
     */
    public static String contentId(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Sends frames and accounts for their outcome (callbacks run on the producer's thread). */
    private static final class Sender {
        private final Options o;
        private final KafkaProducer<byte[], byte[]> producer;
        private final AvroWire<ImageFrame> wire;
        private final byte[] key;
        private final Progress progress;
        private final ConcurrentLinkedQueue<SentImage> sent;
        private final AtomicLong ackedBytes;
        private final List<Skipped> oversize;
        private final List<Skipped> failed;
        private final PrintStream out;

        Sender(
                Options o,
                KafkaProducer<byte[], byte[]> producer,
                AvroWire<ImageFrame> wire,
                byte[] key,
                Progress progress,
                ConcurrentLinkedQueue<SentImage> sent,
                AtomicLong ackedBytes,
                List<Skipped> oversize,
                List<Skipped> failed,
                PrintStream out) {
            this.o = o;
            this.producer = producer;
            this.wire = wire;
            this.key = key;
            this.progress = progress;
            this.sent = sent;
            this.ackedBytes = ackedBytes;
            this.oversize = oversize;
            this.failed = failed;
            this.out = out;
        }

        void send(ImageFrame f, String display) {
            byte[] value = wire.encode(f);
            // max.request.size is checked on the uncompressed record; leave room for the
            // record and batch overhead so that the producer does not reject it later.
            long size = (long) value.length + key.length + 256;
            if (size > o.maxRequestSize) {
                oversize.add(
                        new Skipped(
                                display,
                                "record of "
                                        + value.length
                                        + " bytes exceeds "
                                        + o.maxRequestSize));
                progress.add(1, 0, null);
                return;
            }
            SentImage info =
                    new SentImage(
                            f.getImageId(),
                            f.getSourceId(),
                            f.getSequence(),
                            f.getWidth(),
                            f.getHeight(),
                            value.length,
                            display);
            try {
                producer.send(
                        new ProducerRecord<>(o.topic, key, value),
                        (md, e) -> {
                            if (e == null) {
                                sent.add(info);
                                ackedBytes.addAndGet(value.length);
                            } else if (e instanceof RecordTooLargeException) {
                                oversize.add(
                                        new Skipped(
                                                display,
                                                "rejected as too large: " + e.getMessage()));
                            } else {
                                failed.add(new Skipped(display, BrokerCheck.rootMessage(e)));
                            }
                        });
            } catch (RecordTooLargeException e) {
                oversize.add(new Skipped(display, e.getMessage()));
            } catch (org.apache.kafka.common.KafkaException e) {
                throw new ToolException(
                        "cannot send "
                                + display
                                + " to "
                                + o.bootstrap
                                + ": "
                                + BrokerCheck.rootMessage(e),
                        ExitCodes.FAILED,
                        e);
            }
            if (o.verbose) {
                out.println(
                        "sent "
                                + f.getImageId()
                                + " ("
                                + f.getWidth()
                                + "x"
                                + f.getHeight()
                                + ", "
                                + value.length
                                + " bytes) from "
                                + display);
            }
            // Progress counts records handed to the producer; the summary counts acknowledged ones.
            progress.add(1, value.length, null);
        }
    }
}
