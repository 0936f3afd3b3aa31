package io.edgestream.testing.stack;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waiting for a condition with a deadline: the only way the stack tests wait. The condition is
 * polled at a short interval (the interval is not synchronisation: the condition is); if the
 * deadline passes, the failure says what was awaited, for how long, and what the condition saw
 * last.
 */
public final class Waits {
    private Waits() {}

    /** A condition that may throw (e.g. a REST call while a process restarts). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Default polling interval. */
    static final Duration POLL = Duration.ofMillis(250);

    /** Waits until {@code condition} holds; fails after {@code timeout}. */
    public static void until(String what, Duration timeout, Condition condition) {
        until(what, timeout, condition, () -> "");
    }

    /**
     * Waits until {@code condition} holds; fails after {@code timeout} with {@code diagnostics}
     * (e.g. the job's state) in the message. An exception thrown by the condition counts as "not
     * yet" and is reported if the deadline passes.
     */
    public static void until(
            String what, Duration timeout, Condition condition, Supplier<String> diagnostics) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                String d;
                try {
                    d = diagnostics.get();
                } catch (RuntimeException e) {
                    d = "(diagnostics failed: " + e + ")";
                }
                AssertionError err =
                        new AssertionError(
                                "timed out after "
                                        + timeout.toSeconds()
                                        + " s waiting for "
                                        + what
                                        + (d.isEmpty() ? "" : "; " + d)
                                        + (last == null ? "" : "; last error: " + last));
                if (last != null) {
                    err.initCause(last);
                }
                throw err;
            }
            pause(POLL);
        }
    }

    /** The polling pause between two checks of a condition. */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
