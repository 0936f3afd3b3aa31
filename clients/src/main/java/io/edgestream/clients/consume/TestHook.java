package io.edgestream.clients.consume;

import java.util.concurrent.CountDownLatch;

/**
 * A pause for the test that kills {@code consume-edges} mid-run (ConsumerGroupResumeITCase): with
 * the system property {@value #PROPERTY} set to {@code N} the tool stops forever after writing its
 * N-th map of the run, after the map's stats line (before offsets past it are committed); set to
 * {@code N:files}, after the map's {@code .npy} and {@code .png} but before its stats line. It then
 * prints {@value #PAUSED} and the number to standard error, so the test knows where the kill lands.
 * Unset (always, outside that test) it does nothing.
 */
final class TestHook {
    static final String PROPERTY = "edgestream.consume-edges.test.pause-after-map";
    static final String PAUSED = "consume-edges: test hook: paused after map ";

    private static final String VALUE = System.getProperty(PROPERTY);
    private static final long AT = VALUE == null ? -1 : Long.parseLong(VALUE.split(":")[0]);
    private static final boolean BEFORE_STATS = VALUE != null && VALUE.endsWith(":files");

    private TestHook() {}

    /**
     * Called after the files of the run's {@code n}-th map ({@code statsWritten} false) and again
     * after its stats line ({@code statsWritten} true).
     */
    static void mapFilesWritten(long n, boolean statsWritten) {
        if (n != AT || statsWritten == BEFORE_STATS) {
            return;
        }
        System.err.println(PAUSED + n + (BEFORE_STATS ? " (files only)" : ""));
        System.err.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("test hook interrupted", e);
        }
    }
}
