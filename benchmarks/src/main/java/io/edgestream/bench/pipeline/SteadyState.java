package io.edgestream.bench.pipeline;

import java.util.List;
import java.util.Map;

/**
 * The steady-state window of a run, from its progress: the moments at which more images became
 * visible to a {@code read_committed} reader (for an exactly-once job: when a checkpoint committed
 * them), each with the CPU time of every role at that moment.
 *
 * <p>The window starts at the first such moment at which at least {@code warmup} images were
 * visible (the JIT has compiled the job's code, the first checkpoints are done) and ends at the
 * last one. Both ends are commit moments, so the images counted are exactly those committed between
 * them: {@code images/s = (images at end - images at start) / (end - start)}.
 */
public final class SteadyState {
    private SteadyState() {}

    /** One moment at which the visible image count grew. */
    public record Progress(long timeMs, long images, Map<String, Double> cpuMs) {}

    /**
     * The window: its two ends, the commit moments after its start ({@code commits}; a window of
     * few commits measures a rate only roughly, since a commit lags its checkpoint by a varying
     * amount), the images committed in it and the CPU each role used in it.
     */
    public record Window(Progress start, Progress end, int commits) {
        public long images() {
            return end.images() - start.images();
        }

        public double seconds() {
            return (end.timeMs() - start.timeMs()) / 1000.0;
        }

        public double imagesPerSecond() {
            return images() / seconds();
        }

        public Map<String, Double> cpuMs() {
            return CpuTimes.difference(start.cpuMs(), end.cpuMs());
        }
    }

    /**
     * The window of {@code progress} (in time order) after {@code warmup} images.
     *
     * @throws IllegalStateException if fewer than two commits remain after the warm-up: run more
     *     images, or fewer warm-up images
     */
    public static Window window(List<Progress> progress, long warmup) {
        Progress start = null;
        for (Progress p : progress) {
            if (p.images() >= warmup) {
                start = p;
                break;
            }
        }
        Progress end = progress.isEmpty() ? null : progress.get(progress.size() - 1);
        if (start == null
                || end == null
                || end.images() <= start.images()
                || end.timeMs() <= start.timeMs()) {
            throw new IllegalStateException(
                    "no steady-state window: "
                            + progress.size()
                            + " commit moments, "
                            + (end == null ? 0 : end.images())
                            + " images in all, "
                            + warmup
                            + " of them warm-up; the window needs at least two commits after the"
                            + " warm-up (raise --images or lower --warmup, or shorten the"
                            + " checkpoint interval)");
        }
        // Commit moments after the start, up to the end: how finely the window is resolved.
        int commits = progress.size() - 1 - progress.indexOf(start);
        return new Window(start, end, commits);
    }
}
