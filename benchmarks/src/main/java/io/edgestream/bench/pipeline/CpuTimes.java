package io.edgestream.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the benchmark's processes, by role ({@code broker}, {@code taskmanagers}, {@code
 * jobmanager}, {@code peer}, ...), read from {@code /proc/<pid>/stat} (user plus system time of all
 * the process's threads). Sampled at the two ends of a timed window, the difference is the CPU the
 * window cost each role.
 */
public final class CpuTimes {
    private final Map<String, List<Long>> pidsByRole;
    private final long ticksPerSecond;

    /**
     * @param pidsByRole the processes of each role (a role's time is the sum over its processes)
     * @param ticksPerSecond the kernel's clock ticks per second ({@link #clockTicksPerSecond})
     */
    public CpuTimes(Map<String, List<Long>> pidsByRole, long ticksPerSecond) {
        this.pidsByRole = new LinkedHashMap<>(pidsByRole);
        this.ticksPerSecond = ticksPerSecond;
    }

    /** The roles, in the order they were given. */
    public List<String> roles() {
        return List.copyOf(pidsByRole.keySet());
    }

    /** CPU milliseconds used so far by each role (a process that is gone counts as 0). */
    public Map<String, Double> sampleMs() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : pidsByRole.entrySet()) {
            long ticks = 0;
            for (long pid : e.getValue()) {
                ticks += ticks(pid);
            }
            out.put(e.getKey(), ticks * 1000.0 / ticksPerSecond);
        }
        return out;
    }

    /** {@code later - earlier} per role. */
    public static Map<String, Double> difference(
            Map<String, Double> earlier, Map<String, Double> later) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : later.entrySet()) {
            out.put(e.getKey(), e.getValue() - earlier.getOrDefault(e.getKey(), 0.0));
        }
        return out;
    }

    /** utime + stime of {@code pid} in clock ticks; 0 if the process is gone. */
    static long ticks(long pid) {
        try {
            return ticksOfStatLine(
                    Files.readString(
                            Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /**
     * utime (field 14) + stime (field 15) of a {@code /proc/<pid>/stat} line. The command name
     * (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are counted
     * from the last {@code ')'}.
     */
    static long ticksOfStatLine(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        String[] f = line.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3].
        if (f.length < 13) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat line: " + line);
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The kernel's USER_HZ ({@code getconf CLK_TCK}), 100 if it cannot be asked. */
    public static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out =
                    new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() == 0 && out.matches("[0-9]+")) {
                return Long.parseLong(out);
            }
        } catch (IOException e) {
            // getconf missing: Linux's USER_HZ is 100 on every common architecture
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
