package io.edgestream.clients.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long-running tool: on a terminal a bar redrawn in place ({@code \r}) with items/s
 * and MB/s; otherwise (a pipe, a log file, a library caller) a plain line every few seconds, so
 * logs stay readable. {@link Mode#NONE} prints nothing. Not thread-safe: call from one thread.
 */
public final class Progress {

    /** How progress is shown. */
    public enum Mode {
        /** A bar if standard output is a terminal, else periodic lines. */
        AUTO,
        /** A bar redrawn in place. */
        BAR,
        /** A plain line every few seconds. */
        LINES,
        /** Nothing. */
        NONE
    }

    private static final long BAR_INTERVAL_NANOS = 200_000_000L;
    private static final long LINE_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final String unit;
    private final boolean bar;
    private final boolean silent;
    private final long startNanos;
    private long total;
    private long lastPrint;
    private long count;
    private long bytes;
    private String note = "";
    private boolean drawn;

    /**
     * @param out where to print
     * @param mode how ({@link Mode#AUTO} draws a bar only if {@code out} is {@code System.out} and
     *     a console is attached)
     * @param unit what is counted, plural ("images", "maps")
     * @param total how many are expected, or -1 if unknown
     */
    public Progress(PrintStream out, Mode mode, String unit, long total) {
        this.out = out;
        this.unit = unit;
        this.total = total;
        this.silent = mode == Mode.NONE;
        this.bar = mode == Mode.BAR || (mode == Mode.AUTO && out == System.out && isTerminal());
        this.startNanos = System.nanoTime();
        this.lastPrint = startNanos;
    }

    /** True if this JVM's standard output is attached to a terminal. */
    public static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        // Since JDK 22 System.console() exists even when redirected; ask it if it can tell.
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public void setTotal(long total) {
        this.total = total;
    }

    /** Records {@code n} more items of {@code b} bytes in total, and maybe prints. */
    public void add(long n, long b, String note) {
        count += n;
        bytes += b;
        if (note != null) {
            this.note = note;
        }
        tick();
    }

    /** Prints if the interval has passed (call while idle, too, to keep the rates current). */
    public void tick() {
        if (silent) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrint < (bar ? BAR_INTERVAL_NANOS : LINE_INTERVAL_NANOS)) {
            return;
        }
        lastPrint = now;
        print(now);
    }

    private void print(long now) {
        double secs = Math.max(1e-3, (now - startNanos) / 1e9);
        String rates =
                String.format(
                        Locale.ROOT,
                        "%d%s %s  %.1f %s/s  %.2f MB/s  %s",
                        count,
                        total >= 0 ? "/" + total : "",
                        unit,
                        count / secs,
                        unit,
                        bytes / secs / 1e6,
                        elapsed(secs));
        if (bar) {
            int width = 30;
            String gauge;
            if (total > 0) {
                int filled = (int) Math.min(width, count * width / total);
                gauge = "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] ";
            } else {
                int pos = (int) (count % width);
                gauge = "[" + " ".repeat(pos) + "#" + " ".repeat(width - pos - 1) + "] ";
            }
            String line = "\r" + gauge + rates + (note.isEmpty() ? "" : "  " + note);
            out.print(line.length() > 150 ? line.substring(0, 150) : line + "\033[K");
            out.flush();
            drawn = true;
        } else {
            out.println(rates + (note.isEmpty() ? "" : "  " + note));
        }
    }

    private static String elapsed(double secs) {
        long s = (long) secs;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Ends the bar's line, so that what follows starts on a fresh line. */
    public void finish() {
        if (bar && !silent) {
            print(System.nanoTime());
            out.println();
        } else if (drawn) {
            out.println();
        }
    }

    public long count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    /** Seconds since this progress was created. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
