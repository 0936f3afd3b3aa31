package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DecodeCost#peakHeapBytes()} bounds the heap a decode needs at once, proved the only way a
 * live peak can be: every variant of {@link LivePeakCases} (24 to 48 MB of decoded samples, so the
 * image dominates the JVM's own heap) is decoded in a child JVM ({@link HeapFork}, serial
 * collector) whose {@code -Xmx} is the estimate plus {@link #BASELINE}, and must succeed. The same
 * decode with {@code -Xmx} of the payload, 60% of the decoded samples and the baseline must run out
 * of memory, so the proof is not vacuous: the fork's heap really is the limit.
 *
 * <p>The baseline is what a child JVM needs besides the decode: {@link HeapFork#YOUNG} (the young
 * generation, where no image array can go) and 4 MiB for the JVM's own heap objects and the
 * readers' registries, classes and static tables. {@link #baselineCoversAnEmptyDecodeRun()}
 * measures the latter: after decoding a tiny image of every format (every reader, codec and colour
 * conversion initialised), about 3.5 MB are in use after a full collection. Measured by bisection
 * ({@link LivePeakSearch}, to 256 kB), the smallest {@code -Xmx} with which each variant decodes is
 * 3.2 to 6.4 MiB above its estimate (the spread comes from the JVM rounding {@code -Xmx} up to a
 * multiple of 2 MiB and from how much of the young generation is in use when the largest array is
 * allocated), so the 8 MiB baseline leaves at least 1.6 MiB. An estimate that leaves out an array
 * the size of the image, or of a strip of a one-strip image, fails here. One that counts an array
 * never allocated fails {@link DecodeCostTest}; one that counts an array which is allocated but not
 * live at the peak passes both, and shows in {@link LivePeakSearch}'s figures as a gap of more than
 * 6.5 MiB.
 *
 * <p>Forks run two at a time (the CI machine has two cores); each variant is generated, written to
 * the temporary directory, decoded twice and deleted while the next one is being generated: about
 * 60 s in all.
 */
class DecodeLivePeakTest {
    static final long MIB = 1L << 20;

    /** Added to every estimate for the fork's {@code -Xmx}: see the class documentation. */
    static final long BASELINE = 8 * MIB;

    /** What the heap of a TaskManager with 1 GB and two slots budgets for one decode. */
    static final long SLOT_BUDGET = 224_000_000L;

    private static ExecutorService forks;

    @TempDir static Path dir;

    @BeforeAll
    static void pool() {
        forks = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void shutdown() {
        forks.shutdownNow();
    }

    /** What one variant did in its two forks. */
    record Outcome(
            LivePeakCases.Case c,
            long payload,
            DecodeCost cost,
            HeapFork.Result fits,
            HeapFork.Result tight) {}

    static Outcome run(LivePeakCases.Case c) throws IOException, ImageDecodeException {
        byte[] bytes = c.bytes().get();
        Path file = dir.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "_"));
        Files.write(file, bytes);
        try {
            DecodeCost cost = c.estimate(bytes);
            long payload = bytes.length;
            bytes = null; // the generator's copy is not needed while the children run
            HeapFork.Result fits = HeapFork.run(cost.peakHeapBytes() + BASELINE, c.args(file));
            long tightXmx = payload + cost.decodedBytes() * 6 / 10 + BASELINE;
            HeapFork.Result tight = HeapFork.run(tightXmx, c.args(file));
            return new Outcome(c, payload, cost, fits, tight);
        } finally {
            Files.delete(file);
        }
    }

    static void check(Outcome o) {
        System.out.printf(
                Locale.ROOT,
                "%-32s payload %10d decoded %10d heap %10d native %9d | -Xmx %10d %s %5d ms"
                        + " | -Xmx %10d %s %5d ms%n",
                o.c.name(),
                o.payload,
                o.cost.decodedBytes(),
                o.cost.peakHeapBytes(),
                o.cost.nativeBytes(),
                o.fits.xmx(),
                o.fits.decoded() ? "decoded" : "FAILED ",
                o.fits.millis(),
                o.tight.xmx(),
                o.tight.outOfMemory() ? "OOM    " : "NO OOM ",
                o.tight.millis());
        assertThat(o.fits.decoded())
                .as(
                        "%s decodes with -Xmx of its estimate plus %d MiB (%s); child said:%n%s",
                        o.c.name(), BASELINE / MIB, o.cost, o.fits.output())
                .isTrue();
        String[] decoded = o.fits.output().split("DECODED ")[1].trim().split("[x ]");
        long bytes = 1;
        for (int i = 0; i < 3; i++) {
            bytes *= Long.parseLong(decoded[i]);
        }
        bytes *= Long.parseLong(decoded[3]) / 8;
        assertThat(bytes).as("decoded bytes of %s", o.c.name()).isEqualTo(o.cost.decodedBytes());
        assertThat(o.tight.outOfMemory())
                .as(
                        "%s runs out of memory with -Xmx of %d (payload, 60%% of the decoded"
                                + " samples, baseline); child said:%n%s",
                        o.c.name(), o.tight.xmx(), o.tight.output())
                .isTrue();
    }

    @TestFactory
    List<DynamicTest> everyVariantDecodesWithinItsEstimatePlusTheBaseline() {
        List<Future<Outcome>> outcomes = new ArrayList<>();
        List<LivePeakCases.Case> cases = LivePeakCases.all();
        for (LivePeakCases.Case c : cases) {
            outcomes.add(forks.submit(() -> run(c)));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Future<Outcome> f = outcomes.get(i);
            tests.add(DynamicTest.dynamicTest(cases.get(i).name(), () -> check(get(f))));
        }
        return tests;
    }

    /**
     * The case that must keep working: a baseline 8192x8192 RGB JPEG (201 MB of samples) on a
     * TaskManager with 1 GB of heap and two slots, whose decode budget is about 224 MB. The
     * estimate is the samples, the file, one row's buffers and libjpeg's rows, at most 215 MB; the
     * image decodes with {@code -Xmx} of its heap estimate plus the baseline.
     */
    @Test
    void baseline8192SquareRgbJpegFitsASlotOfAOneGigabyteTaskManager() throws Exception {
        Outcome o = forks.submit(() -> run(LivePeakCases.jpeg8192())).get();
        System.out.println(o.cost);
        long samples = 8192L * 8192 * 3;
        assertThat(o.cost.decodedBytes()).isEqualTo(samples);
        assertThat(o.payload).as("file size").isBetween(5_000_000L, 12_000_000L);
        // Whatever the file: the samples, the file, and 2.1 MB for the rows, the reader and
        // libjpeg.
        assertThat(o.cost.totalBytes() - samples - o.payload).isLessThan(2_100_000L);
        assertThat(o.cost.totalBytes()).isLessThanOrEqualTo(215_000_000L).isLessThan(SLOT_BUDGET);
        check(o);
    }

    /**
     * The baseline's share for the JVM and the readers holds: a child that decodes a tiny image of
     * every format, with {@code -Xmx} of the baseline plus the largest of their estimates, succeeds
     * and afterwards has no more than {@code BASELINE - YOUNG} in use.
     */
    @Test
    void baselineCoversAnEmptyDecodeRun() throws Exception {
        List<String> args = new ArrayList<>();
        args.add("--used");
        long largest = 0;
        int i = 0;
        for (LivePeakCases.Case c : LivePeakCases.tiny()) {
            byte[] bytes = c.bytes().get();
            Path file = dir.resolve("tiny-" + i++);
            Files.write(file, bytes);
            largest = Math.max(largest, c.estimate(bytes).peakHeapBytes());
            args.addAll(c.args(file));
        }
        long xmx = BASELINE + largest;
        HeapFork.Result r = forks.submit(() -> HeapFork.run(xmx, args)).get();
        System.out.println("empty decode run: " + r.used() + " bytes in use after a full GC");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output().split("DECODED ", -1)).hasSize(LivePeakCases.tiny().size() + 1);
        assertThat(r.used()).isPositive().isLessThanOrEqualTo(BASELINE - HeapFork.YOUNG);
    }

    private static Outcome get(Future<Outcome> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }
}
