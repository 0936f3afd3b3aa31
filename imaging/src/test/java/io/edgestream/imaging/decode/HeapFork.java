package io.edgestream.imaging.decode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link DecodeChild} in a child JVM (the test's own {@code java}, the test classpath) whose
 * heap is exactly what the caller gives it, so that a decode's live peak can be checked against an
 * {@code -Xmx} instead of inferred from allocation counters.
 *
 * <p>The child uses the serial collector: its full collections compact the whole heap, so an array
 * fits whenever the live data leaves that much room, whatever was allocated and dropped before (no
 * regions, no fragmentation, no concurrent phases whose timing varies). Its young generation is
 * fixed at {@link #YOUNG} ({@code -Xmn}), so that the rest of {@code -Xmx} is one old generation in
 * which the image's arrays (far larger than the young generation) are allocated directly; with the
 * default sizing the old generation would be two thirds of the heap and no array larger than that
 * could be allocated at all, whatever is free. The young generation's size is part of the baseline
 * the callers add to the estimate.
 *
 * <p>The child compiles with C1 only ({@code -XX:TieredStopAtLevel=1}): C2's escape analysis could
 * only remove allocations, and the interpreter and C1, which run most of a single decode, keep
 * arrays reachable at least as long as C2 would, so the child's peak is not below a TaskManager's.
 */
final class HeapFork {
    private HeapFork() {}

    /** The child's young generation: eden and two survivor spaces. */
    static final long YOUNG = 4L << 20;

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /**
     * The test classpath: surefire sets {@code surefire.test.class.path} (its own {@code
     * java.class.path} may be a manifest-only jar); run by hand, the JVM's classpath.
     */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** What the child did. */
    record Result(long xmx, int exit, String output, long millis) {
        boolean decoded() {
            return exit == 0 && output.contains("DECODED ");
        }

        boolean outOfMemory() {
            return exit == DecodeChild.EXIT_OOM && output.contains("OOM ");
        }

        /** The {@code USED} figure the child printed, or -1. */
        long used() {
            for (String line : output.split("\n")) {
                if (line.startsWith("USED ")) {
                    return Long.parseLong(line.substring(5).trim());
                }
            }
            return -1;
        }
    }

    /** Runs the child with {@code -Xmx} of {@code xmx} bytes on {@code args}. */
    static Result run(long xmx, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx" + xmx);
        cmd.add("-Xms" + Math.min(xmx, 2 * YOUNG));
        cmd.add("-Xmn" + YOUNG);
        // One compiler tier: the decode loops run long enough for C1 code, and C2's compile
        // threads would compete with the other fork for the CI machine's two cores.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:-UsePerfData");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(DecodeChild.class.getName());
        cmd.addAll(args);
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("child JVM did not exit: " + cmd);
            }
            return new Result(
                    xmx,
                    p.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
