package io.edgestream.imaging.decode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: run by hand to find, for every case of {@link LivePeakCases}, the smallest {@code
 * -Xmx} with which {@link DecodeChild} decodes it (bisection to 256 kB), next to the estimate. This
 * is how the figures in {@link DecodeLivePeakTest}'s documentation were obtained, and how a change
 * to a reader or the cost model can be re-measured:
 *
 * <pre>
 * mvn -o -q -pl imaging test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp imaging/target/test-classes:imaging/target/classes:$(cat /tmp/cp.txt) \
 *     io.edgestream.imaging.decode.LivePeakSearch [name filter]
 * </pre>
 */
public final class LivePeakSearch {
    private LivePeakSearch() {}

    private static final long STEP = 256 * 1024;

    public static void main(String[] args) throws Exception {
        String filter = args.length > 0 ? args[0] : "";
        Path dir = Files.createTempDirectory("live-peak-search");
        // The baseline: tiny images of every format in one child.
        List<String> tinyArgs = new ArrayList<>();
        tinyArgs.add("--used");
        int i = 0;
        for (LivePeakCases.Case c : LivePeakCases.tiny()) {
            Path f = dir.resolve("tiny" + i++);
            Files.write(f, c.bytes().get());
            tinyArgs.addAll(c.args(f));
        }
        HeapFork.Result used = HeapFork.run(256L << 20, tinyArgs);
        long tinyMin = smallest(tinyArgs, 64L << 20);
        System.out.printf(
                Locale.ROOT,
                "baseline: used after GC %d, smallest -Xmx for all tiny images %d (%.2f MB)%n",
                used.used(),
                tinyMin,
                tinyMin / 1048576.0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> rows = new ArrayList<>();
        List<LivePeakCases.Case> cases = new ArrayList<>(LivePeakCases.all());
        cases.add(LivePeakCases.jpeg8192());
        for (LivePeakCases.Case c : cases) {
            if (c.name().contains(filter)) {
                rows.add(pool.submit(() -> row(c, dir)));
            }
        }
        for (Future<String> r : rows) {
            System.out.println(r.get());
        }
        pool.shutdown();
        for (int k = 0; k < i; k++) {
            Files.delete(dir.resolve("tiny" + k));
        }
        Files.delete(dir);
    }

    private static String row(LivePeakCases.Case c, Path dir) throws Exception {
        byte[] bytes = c.bytes().get();
        Path f = dir.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "_"));
        Files.write(f, bytes);
        DecodeCost cost = c.estimate(bytes);
        List<String> args = c.args(f);
        long min = smallest(args, cost.peakHeapBytes() * 3 + (64L << 20));
        Files.delete(f);
        return String.format(
                Locale.ROOT,
                "%-32s payload %9d decoded %10d heap %10d native %9d min-xmx %10d"
                        + "  min-xmx - heap %5.2f MiB%n    %s",
                c.name(),
                bytes.length,
                cost.decodedBytes(),
                cost.peakHeapBytes(),
                cost.nativeBytes(),
                min,
                (min - cost.peakHeapBytes()) / 1048576.0,
                cost.breakdown());
    }

    /**
     * The smallest {@code -Xmx} (to {@link #STEP}) from 5 MiB (the young generation and a little
     * more) up to {@code hi}, which must work, with which the child succeeds.
     */
    static long smallest(List<String> args, long hi) {
        HeapFork.Result top = HeapFork.run(hi, args);
        if (!top.decoded()) {
            throw new IllegalStateException("fails even with -Xmx " + hi + ": " + top.output());
        }
        long bad = (5L << 20) - STEP;
        long good = hi;
        while (good - bad > STEP) {
            long mid = (bad + good) / 2 / STEP * STEP;
            if (HeapFork.run(mid, args).decoded()) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }
}
