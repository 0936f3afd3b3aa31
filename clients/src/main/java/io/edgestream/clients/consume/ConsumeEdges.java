package io.edgestream.clients.consume;

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
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.Float16;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code consume-edges}: reads the job's {@code edge-maps} (feature-map tiles) and {@code
 * edge-stats} topics with {@code read_committed}, reassembles each map from its tiles once the
 * map's {@link EdgeStats} has arrived and all {@code tileCount} tiles are there, and writes for
 * every image and filter:
 *
 * <ul>
 *   <li>{@code OUT/<dir>/<filter>.npy}: the exact float32 map ({@link NpyWriter}; shape {@code (h,
 *       w)} or {@code (h, w, c)});
 *   <li>{@code OUT/<dir>/<filter>.png}: an 8-bit view (scaling in {@link PngViews});
 *   <li>a line in {@code OUT/stats.jsonl} ({@link StatsJson});
 *   <li>{@code OUT/index.html}, the gallery ({@link Gallery}), rewritten as images complete;
 *   <li>with {@code --with-originals}, {@code OUT/<dir>/original.png}, a thumbnail of the input
 *       read from the {@code images} topic;
 *   <li>with {@code --dlq}, a line per dead letter in {@code OUT/dead-letters.jsonl} (payload left
 *       out, its size kept) and on the console.
 * </ul>
 *
 * {@code <dir>} is the image id made safe by {@link SafeNames}. Without a consumer group the tool
 * assigns itself every partition and reads from the beginning ({@code --from earliest}) or only new
 * records ({@code --from latest}); it commits nothing, so every run sees the same data. It ends
 * after {@code --images N} complete images or the {@code --timeout}, or runs until stopped with
 * {@code --follow}. Use from Java: {@code ConsumeEdges.run(options, System.out)}.
 */
public final class ConsumeEdges {

    /** The tool's name as given to {@code io.edgestream.clients.Main}. */
    public static final String TOOL = "consume-edges";

    /** Where reading starts. */
    public enum From {
        EARLIEST,
        LATEST
    }

    /** Everything the tool can be told; defaults are the command line's. */
    public static final class Options {
        String bootstrap = "localhost:9092";
        String mapsTopic = "edge-maps";
        String statsTopic = "edge-stats";
        String imagesTopic = "images";
        String dlqTopic = "images-dlq";
        Path out = Path.of("out");
        boolean withOriginals = false;
        boolean dlq = false;
        boolean follow = false;
        long images = 0;
        int expectFilters = 0;
        Duration timeout = Duration.ofSeconds(60);
        From from = From.EARLIEST;
        boolean allowUncommitted = false;
        int thumbnailSize = 256;
        Duration connectTimeout = Duration.ofSeconds(10);
        Map<String, String> kafka = new LinkedHashMap<>();
        Progress.Mode progress = Progress.Mode.AUTO;
        boolean verbose = false;
        AtomicBoolean stop = new AtomicBoolean();

        public Options bootstrap(String v) {
            bootstrap = v;
            return this;
        }

        public Options topics(String maps, String stats, String images, String dlq) {
            mapsTopic = maps;
            statsTopic = stats;
            imagesTopic = images;
            dlqTopic = dlq;
            return this;
        }

        public Options out(Path v) {
            out = v;
            return this;
        }

        /** Also read the input topic and save a thumbnail of each image for the gallery. */
        public Options withOriginals(boolean v) {
            withOriginals = v;
            return this;
        }

        /** Also read the dead-letter topic, print and count its records. */
        public Options dlq(boolean v) {
            dlq = v;
            return this;
        }

        /** Keep reading until {@link #stop()} (or Ctrl-C on the command line). */
        public Options follow(boolean v) {
            follow = v;
            return this;
        }

        /** Stop after this many complete images (0 = no limit). */
        public Options images(long v) {
            images = v;
            return this;
        }

        /**
         * How many filters make an image complete (0 = an image is complete once every map seen for
         * it so far is written).
         */
        public Options expectFilters(int v) {
            expectFilters = v;
            return this;
        }

        /** Give up after this long (ignored with {@link #follow}). */
        public Options timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Options from(From v) {
            from = v;
            return this;
        }

        public Options allowUncommitted(boolean v) {
            allowUncommitted = v;
            return this;
        }

        public Options connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

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

        /** Asks a running {@link ConsumeEdges#run} to finish (within one poll, ~200 ms). */
        public void stop() {
            stop.set(true);
        }
    }

    /** One written map. */
    public record MapResult(String filter, Path npy, Path png, EdgeStats stats) {}

    /** One image with its written maps, in completion order. */
    public record ImageResult(String imageId, Path dir, List<MapResult> maps) {}

    /** A dead letter as seen by the consumer. */
    public record DeadLetterSeen(String imageId, String reason, String message, String source) {}

    /**
     * What a run did.
     *
     * @param images images with at least one written map, in first-completion order
     * @param completeImages how many of them counted as complete (see {@link
     *     Options#expectFilters})
     * @param tiles tile records read
     * @param stats stats records read
     * @param deadLetters dead letters read ({@code --dlq})
     * @param unreadable records that could not be decoded or placed (with reasons)
     * @param incompleteMaps maps still missing tiles or stats at the end ({@code imageId/filter:
     *     have/need})
     * @param targetReached whether {@code --images N} was reached (true without a target)
     */
    public record Summary(
            List<ImageResult> images,
            long completeImages,
            long tiles,
            long stats,
            List<DeadLetterSeen> deadLetters,
            List<String> unreadable,
            List<String> incompleteMaps,
            boolean targetReached,
            double seconds) {

        /** 0 if the target was reached and every record was readable, else 2. */
        public int exitCode() {
            return targetReached && unreadable.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }

        /** Maps written, over all images. */
        public int mapCount() {
            int n = 0;
            for (ImageResult i : images) {
                n += i.maps().size();
            }
            return n;
        }
    }

    private ConsumeEdges() {}

    /** The command line, with every option and its default. */
    public static Flags flags() {
        Options d = new Options();
        return new Flags(
                        "consume-edges [options]",
                        "Reads edge-map tiles and edge statistics (read_committed), reassembles each"
                                + " map, and writes OUT/<image>/<filter>.npy (exact float32),"
                                + " OUT/<image>/<filter>.png (8-bit view), OUT/stats.jsonl and"
                                + " OUT/index.html. Image ids are made safe as directory names:"
                                + " characters other than A-Z a-z 0-9 . _ - become '_' and '~' plus"
                                + " 10 hex digits of the id's SHA-256 is appended.")
                .value("bootstrap", "HOST:PORT", d.bootstrap, "Kafka bootstrap servers")
                .value("out", "DIR", d.out.toString(), "output directory")
                .value("maps-topic", "NAME", d.mapsTopic, "feature-map tile topic")
                .value("stats-topic", "NAME", d.statsTopic, "edge statistics topic")
                .flag(
                        "with-originals",
                        "also read the images topic and save original.png thumbnails")
                .value("images-topic", "NAME", d.imagesTopic, "input topic (for --with-originals)")
                .value(
                        "thumbnail-size",
                        "PIXELS",
                        String.valueOf(d.thumbnailSize),
                        "longer side of original thumbnails")
                .flag("dlq", "also read the dead-letter topic, print and count dead letters")
                .value("dlq-topic", "NAME", d.dlqTopic, "dead-letter topic (for --dlq)")
                .value("images", "N", "0 (no limit)", "stop after N complete images")
                .value("expect-filters", "N", "0 (any)", "maps per image that make it complete")
                .value("timeout", "DURATION", "60s", "stop after this long (not with --follow)")
                .flag("follow", "keep reading until interrupted (Ctrl-C)")
                .value(
                        "from",
                        "earliest|latest",
                        "earliest",
                        "read the topics from the beginning or only new records")
                .flag(
                        "allow-uncommitted",
                        "permit --kafka isolation.level=read_uncommitted (may show output of aborted transactions)")
                .with(f -> KafkaToolOptions.declare(f, "consumer"))
                .flag("verbose", "print each map written and the Kafka settings (secrets masked)")
                .footer(
                        "Examples:\n"
                                + "  consume-edges --bootstrap localhost:9092 --out out --images 10\n"
                                + "  consume-edges --follow --with-originals --dlq --from latest\n"
                                + "  python3 -c \"import numpy; print(numpy.load('out/cam-1_000001~0a1b2c3d4e/sobel.npy').shape)\"")
                .footer(
                        "Exit codes: 0 done; 1 failure (broker unreachable, topic missing, output not"
                                + " writable); 2 the --images target was not reached before the timeout,"
                                + " or some records were unreadable; 64 bad command line.");
    }

    /** Parses a command line into options. */
    public static Options parse(String... args) throws UsageException {
        Flags.Parsed p = flags().parse(args);
        if (!p.positional().isEmpty()) {
            throw new UsageException(
                    "unexpected arguments "
                            + p.positional()
                            + "; the output directory is --out DIR");
        }
        Options o = new Options();
        o.bootstrap = p.get("bootstrap");
        o.out = Path.of(p.get("out"));
        o.mapsTopic = p.get("maps-topic");
        o.statsTopic = p.get("stats-topic");
        o.imagesTopic = p.get("images-topic");
        o.dlqTopic = p.get("dlq-topic");
        o.withOriginals = p.has("with-originals");
        o.dlq = p.has("dlq");
        o.thumbnailSize = p.getInt("thumbnail-size", 16);
        o.images = p.has("images") ? p.getLong("images", 1) : 0;
        o.expectFilters = p.has("expect-filters") ? p.getInt("expect-filters", 1) : 0;
        o.timeout = p.getDuration("timeout");
        o.follow = p.has("follow");
        o.from = p.getEnum("from", From.class);
        o.allowUncommitted = p.has("allow-uncommitted");
        o.connectTimeout = p.getDuration("connect-timeout");
        o.kafka = KafkaToolOptions.kafkaSettings(p);
        o.progress = p.getEnum("progress", Progress.Mode.class);
        o.verbose = p.has("verbose");
        if (o.follow && (p.has("images") || p.has("timeout"))) {
            throw new UsageException(
                    "--follow runs until interrupted; do not combine it with --images or --timeout");
        }
        checkIsolation(o);
        return o;
    }

    private static void checkIsolation(Options o) throws UsageException {
        String iso = o.kafka.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
        if (iso != null && !iso.equalsIgnoreCase("read_committed") && !o.allowUncommitted) {
            throw new UsageException(
                    "isolation.level="
                            + iso
                            + " would show output of aborted job transactions (duplicates,"
                            + " partial images); add --allow-uncommitted if that is really wanted");
        }
    }

    /** The command-line entry: parses, runs, prints, returns the exit code. */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        return ToolMain.main(
                TOOL,
                ConsumeEdges::flags,
                ConsumeEdges::parse,
                o -> runUntilInterrupted(o, out),
                args,
                out,
                err);
    }

    /** {@link #run} that a Ctrl-C ends cleanly, returning the exit code. */
    private static int runUntilInterrupted(Options o, PrintStream out) {
        // Ctrl-C: finish the current poll, write the gallery, print the summary.
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            o.stop();
                            try {
                                done.await(10, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "consume-edges-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(o, out).exitCode();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (Ctrl-C): the hook is running and will return.
            }
        }
    }

    /** The consumer settings the tool uses for {@code o}, user settings applied last. */
    public static Properties consumerProperties(Options o) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap);
        // Names this tool in broker logs and quotas.
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "edgestream-" + TOOL);
        // Only output of committed job transactions: no tiles of aborted attempts, no duplicates.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Partitions are assigned, not subscribed, and nothing is committed: runs are repeatable.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, o.from.name().toLowerCase(Locale.ROOT));
        // Input images (--with-originals) can be tens of MB: fetch limits must exceed the largest
        // record or the consumer cannot make progress past it (KAFKA-4169).
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(128 << 20));
        // Bounded batches keep memory and per-poll work small with large records.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.putAll(o.kafka);
        return p;
    }

    /**
     * Runs the tool until its end condition; see the class documentation.
     *
     * @throws ToolException if the broker is unreachable, a topic is missing, the isolation level
     *     is refused, or the output cannot be written
     */
    public static Summary run(Options o, PrintStream out) {
        try {
            checkIsolation(o);
        } catch (UsageException e) {
            throw new ToolException(e.getMessage(), ExitCodes.USAGE, e);
        }
        Properties props = consumerProperties(o);
        if (o.verbose) {
            KafkaSettings.print("Kafka consumer settings:", props, out);
        }
        List<String> topics = new ArrayList<>(List.of(o.mapsTopic, o.statsTopic));
        if (o.withOriginals) {
            topics.add(o.imagesTopic);
        }
        if (o.dlq) {
            topics.add(o.dlqTopic);
        }
        BrokerCheck.check(props, o.connectTimeout, topics);
        try {
            Files.createDirectories(o.out);
        } catch (IOException e) {
            throw new ToolException(
                    "cannot create the output directory " + o.out.toAbsolutePath() + ": " + e,
                    ExitCodes.FAILED,
                    e);
        }
        Run run = new Run(o, out);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
                StatsJson stats = new StatsJson(o.out.resolve("stats.jsonl"))) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(t, o.connectTimeout);
                for (PartitionInfo pi : infos) {
                    parts.add(new TopicPartition(t, pi.partition()));
                }
            }
            consumer.assign(parts);
            if (o.from == From.EARLIEST) {
                consumer.seekToBeginning(parts);
            } else {
                consumer.seekToEnd(parts);
            }
            run.stats = stats;
            return run.loop(consumer);
        } catch (IOException e) {
            throw new ToolException(
                    "cannot write to " + o.out.toAbsolutePath() + ": " + e, ExitCodes.FAILED, e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ToolException(
                    "Kafka error while consuming from "
                            + o.bootstrap
                            + ": "
                            + BrokerCheck.rootMessage(e),
                    ExitCodes.FAILED,
                    e);
        }
    }

    /** A map being collected: its tiles so far and, once it arrived, its stats. */
    private static final class Pending {
        final String imageId;
        final String filter;
        MapAssembler assembler;
        final Set<Integer> tileIndices = new HashSet<>();
        int tileCount = -1;
        EdgeStats stats;

        Pending(String imageId, String filter) {
            this.imageId = imageId;
            this.filter = filter;
        }

        boolean complete() {
            return stats != null
                    && assembler != null
                    && tileIndices.size() == stats.getTileCount()
                    && assembler.isComplete();
        }

        String describe() {
            return imageId
                    + "/"
                    + filter
                    + ": "
                    + tileIndices.size()
                    + "/"
                    + (stats != null ? stats.getTileCount() : tileCount >= 0 ? tileCount : "?")
                    + " tiles"
                    + (stats == null ? ", no stats yet" : "");
        }
    }

    /** The state of one run. */
    private static final class Run {
        final Options o;
        final PrintStream out;
        final AvroWire<FeatureMapTile> tileWire = AvroWire.featureMapTiles();
        final AvroWire<EdgeStats> statsWire = AvroWire.edgeStats();
        final AvroWire<ImageFrame> imageWire = AvroWire.imageFrames();
        final AvroWire<DeadLetter> dlqWire = AvroWire.deadLetters();
        final Map<String, Pending> pending = new LinkedHashMap<>();
        final Set<String> done = new HashSet<>();
        final Map<String, Gallery.ImageView> views = new LinkedHashMap<>();
        final Map<String, List<MapResult>> results = new LinkedHashMap<>();
        final Set<String> completeImages = new HashSet<>();
        final List<DeadLetterSeen> deadLetters = new ArrayList<>();
        final List<Gallery.DeadView> deadViews = new ArrayList<>();
        final List<String> unreadable = new ArrayList<>();
        final Progress progress;
        StatsJson stats;
        long tiles;
        long statsCount;
        long duplicates;
        boolean galleryDirty = true;
        long lastGalleryNanos;

        Run(Options o, PrintStream out) {
            this.o = o;
            this.out = out;
            this.progress = new Progress(out, o.progress, "images", o.images > 0 ? o.images : -1);
        }

        Summary loop(KafkaConsumer<byte[], byte[]> consumer) throws IOException {
            long start = System.nanoTime();
            long deadline = o.follow ? Long.MAX_VALUE : start + o.timeout.toNanos();
            boolean reached = false;
            while (!o.stop.get()) {
                if (o.images > 0 && completeImages.size() >= o.images) {
                    reached = true;
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                ConsumerRecords<byte[], byte[]> records =
                        consumer.poll(Duration.ofNanos(Math.min(left, 200_000_000L)));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(r);
                }
                progress.tick();
                if (galleryDirty && System.nanoTime() - lastGalleryNanos > 2_000_000_000L) {
                    writeGallery();
                }
            }
            if (o.images <= 0) {
                reached = true;
            }
            progress.finish();
            writeGallery();
            List<ImageResult> images = new ArrayList<>();
            for (Map.Entry<String, List<MapResult>> e : results.entrySet()) {
                images.add(
                        new ImageResult(
                                e.getKey(),
                                o.out.resolve(SafeNames.of(e.getKey())),
                                List.copyOf(e.getValue())));
            }
            List<String> incomplete = new ArrayList<>();
            for (Pending p : pending.values()) {
                incomplete.add(p.describe());
            }
            Summary s =
                    new Summary(
                            List.copyOf(images),
                            completeImages.size(),
                            tiles,
                            statsCount,
                            List.copyOf(deadLetters),
                            List.copyOf(unreadable),
                            List.copyOf(incomplete),
                            reached,
                            (System.nanoTime() - start) / 1e9);
            printSummary(s);
            return s;
        }

        void handle(ConsumerRecord<byte[], byte[]> r) throws IOException {
            String where = r.topic() + "-" + r.partition() + "@" + r.offset();
            try {
                if (r.topic().equals(o.mapsTopic)) {
                    onTile(tileWire.decode(r.value()), where, r.serializedValueSize());
                } else if (r.topic().equals(o.statsTopic)) {
                    onStats(statsWire.decode(r.value()), where);
                } else if (r.topic().equals(o.imagesTopic)) {
                    onImage(imageWire.decode(r.value()), where);
                } else if (r.topic().equals(o.dlqTopic)) {
                    onDeadLetter(dlqWire.decode(r.value()), where);
                }
            } catch (RuntimeException e) {
                // A record we cannot read is reported and skipped; the rest of the stream is fine.
                unreadable(where + ": " + BrokerCheck.rootMessage(e));
            }
        }

        void unreadable(String what) {
            unreadable.add(what);
            if (unreadable.size() <= 10) {
                out.println(TOOL + ": skipped " + what);
            }
        }

        Pending pendingFor(String imageId, String filter) {
            return pending.computeIfAbsent(
                    imageId + "\u0000" + filter, k -> new Pending(imageId, filter));
        }

        void onTile(FeatureMapTile t, String where, int size) throws IOException {
            tiles++;
            String key = t.getImageId() + "\u0000" + t.getFilter();
            if (done.contains(key)) {
                duplicates++;
                return;
            }
            Pending p = pendingFor(t.getImageId(), t.getFilter());
            if (!p.tileIndices.add(t.getTileIndex())) {
                duplicates++;
                return;
            }
            if (p.assembler == null) {
                p.assembler = new MapAssembler(t.getMapWidth(), t.getMapHeight(), t.getChannels());
                p.tileCount = t.getTileCount();
            }
            // FLOAT16 samples widen to float32 exactly: the .npy files are float32 either way.
            try {
                float[] values = samples(t);
                p.assembler.add(t.getX(), t.getY(), t.getWidth(), t.getHeight(), values);
            } catch (IllegalArgumentException e) {
                p.tileIndices.remove(t.getTileIndex());
                unreadable(
                        where
                                + ": tile "
                                + t.getTileIndex()
                                + " of "
                                + key.replace('\u0000', '/')
                                + ": "
                                + e.getMessage());
                return;
            }
            progress.add(0, size, null);
            maybeComplete(key, p);
        }

        /** The tile's samples as float32, whatever its data type. */
        static float[] samples(FeatureMapTile t) {
            if (t.getDataType() == MapDataType.FLOAT16_LE) {
                return Float16.decodeLittleEndian(t.getData());
            }
            ByteBuffer data = t.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            if (data.remaining() % 4 != 0) {
                throw new IllegalArgumentException(
                        "float32 data has " + data.remaining() + " bytes, not a multiple of 4");
            }
            float[] values = new float[data.remaining() / 4];
            data.asFloatBuffer().get(values);
            return values;
        }

        void onStats(EdgeStats s, String where) throws IOException {
            statsCount++;
            String key = s.getImageId() + "\u0000" + s.getFilter();
            if (done.contains(key)) {
                duplicates++;
                return;
            }
            Pending p = pendingFor(s.getImageId(), s.getFilter());
            p.stats = s;
            if (p.assembler != null
                    && (p.tileCount != s.getTileCount()
                            || p.assembler.tileCount() > s.getTileCount())) {
                unreadable(
                        where
                                + ": stats of "
                                + s.getImageId()
                                + "/"
                                + s.getFilter()
                                + " say "
                                + s.getTileCount()
                                + " tiles but the tiles say "
                                + p.tileCount);
            }
            maybeComplete(key, p);
        }

        void maybeComplete(String key, Pending p) throws IOException {
            if (!p.complete()) {
                return;
            }
            pending.remove(key);
            done.add(key);
            ImageF32 map = p.assembler.result();
            String dirName = SafeNames.of(p.imageId);
            Path dir = o.out.resolve(dirName);
            String base = SafeNames.of(p.filter);
            Path npy = dir.resolve(base + ".npy");
            Path png = dir.resolve(base + ".png");
            NpyWriter.write(map, npy);
            PngViews.write(map, png);
            stats.append(p.stats);
            results.computeIfAbsent(p.imageId, k -> new ArrayList<>())
                    .add(new MapResult(p.filter, npy, png, p.stats));
            view(p.imageId).put(new Gallery.MapView(p.filter, base, p.stats));
            galleryDirty = true;
            if (o.verbose) {
                out.println(
                        "wrote "
                                + npy
                                + " ("
                                + map.width
                                + "x"
                                + map.height
                                + "x"
                                + map.channels
                                + ")");
            }
            updateComplete(p.imageId);
        }

        void updateComplete(String imageId) {
            if (completeImages.contains(imageId)) {
                return;
            }
            int written = results.getOrDefault(imageId, List.of()).size();
            boolean morePending = false;
            for (Pending q : pending.values()) {
                if (q.imageId.equals(imageId)) {
                    morePending = true;
                    break;
                }
            }
            boolean complete =
                    o.expectFilters > 0 ? written >= o.expectFilters : written > 0 && !morePending;
            if (complete) {
                completeImages.add(imageId);
                progress.add(1, 0, imageId);
            }
        }

        Gallery.ImageView view(String imageId) {
            return views.computeIfAbsent(
                    imageId, id -> new Gallery.ImageView(id, SafeNames.of(id)));
        }

        void onImage(ImageFrame f, String where) throws IOException {
            DecodedImage img;
            try {
                byte[] bytes = new byte[f.getData().remaining()];
                f.getData().duplicate().get(bytes);
                img =
                        ImageDecoder.decode(
                                bytes,
                                f.getEncoding().name(),
                                f.getWidth(),
                                f.getHeight(),
                                f.getChannels(),
                                f.getPixelFormat() == null ? null : f.getPixelFormat().name(),
                                DecodeLimits.DEFAULT);
            } catch (io.edgestream.imaging.decode.ImageDecodeException e) {
                // The job dead-letters such images; the gallery simply has no thumbnail for it.
                if (o.verbose) {
                    out.println(
                            "no thumbnail for "
                                    + f.getImageId()
                                    + " ("
                                    + where
                                    + "): "
                                    + e.getMessage());
                }
                return;
            }
            Path file = o.out.resolve(SafeNames.of(f.getImageId())).resolve("original.png");
            PngViews.writePng(PngViews.thumbnail(Thumbnails.toImage(img), o.thumbnailSize), file);
            view(f.getImageId()).setHasOriginal(true);
            galleryDirty = true;
        }

        void onDeadLetter(DeadLetter d, String where) throws IOException {
            DeadLetterSeen seen =
                    new DeadLetterSeen(
                            d.getImageId(),
                            d.getReason().name(),
                            d.getMessage(),
                            d.getSourceTopic()
                                    + "-"
                                    + d.getSourcePartition()
                                    + "@"
                                    + d.getSourceOffset());
            deadLetters.add(seen);
            deadViews.add(
                    new Gallery.DeadView(
                            seen.imageId(), seen.reason(), seen.message(), seen.source()));
            out.println(
                    "dead letter "
                            + (d.getImageId() == null ? "(no image id)" : d.getImageId())
                            + " from "
                            + seen.source()
                            + ": "
                            + seen.reason()
                            + ": "
                            + seen.message());
            StringBuilder line = new StringBuilder(256);
            line.append("{\"sourceTopic\":");
            Json.string(line, d.getSourceTopic());
            line.append(",\"sourcePartition\":").append(d.getSourcePartition());
            line.append(",\"sourceOffset\":").append(d.getSourceOffset());
            line.append(",\"sourceTimestampMs\":").append(d.getSourceTimestampMs());
            line.append(",\"imageId\":");
            Json.append(line, d.getImageId());
            line.append(",\"reason\":");
            Json.string(line, d.getReason().name());
            line.append(",\"message\":");
            Json.string(line, d.getMessage());
            line.append(",\"failedAtMs\":").append(d.getFailedAtMs());
            line.append(",\"payloadBytes\":").append(d.getPayload().remaining()).append("}\n");
            Files.writeString(
                    o.out.resolve("dead-letters.jsonl"),
                    line,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            galleryDirty = true;
        }

        void writeGallery() throws IOException {
            List<Gallery.ImageView> shown = new ArrayList<>();
            for (Gallery.ImageView v : views.values()) {
                shown.add(v);
            }
            Gallery.write(o.out, shown, deadViews);
            galleryDirty = false;
            lastGalleryNanos = System.nanoTime();
        }

        void printSummary(Summary s) {
            out.printf(
                    Locale.ROOT,
                    "%s: %d images complete, %d maps written to %s (%d tiles, %d stats records%s) in %.1f s%n",
                    TOOL,
                    s.completeImages(),
                    s.mapCount(),
                    o.out.toAbsolutePath(),
                    s.tiles(),
                    s.stats(),
                    duplicates > 0 ? ", " + duplicates + " duplicates ignored" : "",
                    s.seconds());
            if (o.images > 0 && !s.targetReached()) {
                out.println(
                        "  target of "
                                + o.images
                                + " images not reached before the timeout ("
                                + o.timeout
                                + ")");
            }
            if (o.dlq) {
                out.println("  " + s.deadLetters().size() + " dead letters");
            }
            if (!s.incompleteMaps().isEmpty()) {
                out.println("  " + s.incompleteMaps().size() + " maps incomplete at the end:");
                s.incompleteMaps().stream().limit(10).forEach(m -> out.println("    " + m));
            }
            if (!s.unreadable().isEmpty()) {
                out.println("  " + s.unreadable().size() + " records skipped as unreadable");
            }
            out.println("  gallery: " + o.out.resolve("index.html").toAbsolutePath());
        }
    }
}
