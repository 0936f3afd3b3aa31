package io.edgestream.testing.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes of a stack, seen through {@code /proc} (the scripts identify them the same way,
 * {@code stack_live_pid} in scripts/lib/stack.sh): a PID is only ever signalled after its command
 * line was checked for markers (main class, the stack's own config directory), so a recycled PID is
 * never mistaken for ours.
 */
public final class OsProcesses {
    private OsProcesses() {}

    /** Whether this platform exposes processes the way the stack scripts need ({@code /proc}). */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/cmdline"));
    }

    /** The argument vector of {@code pid}, or empty if it is gone (or a zombie). */
    public static Optional<List<String>> argv(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return Optional.empty();
            }
            String s = new String(raw, StandardCharsets.UTF_8);
            if (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return Optional.of(List.of(s.split("\0", -1)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The command line of {@code pid} joined by spaces, or empty if it is gone. */
    public static Optional<String> commandLine(long pid) {
        return argv(pid).map(a -> String.join(" ", a));
    }

    /** True if {@code pid} runs and its command line contains every marker. */
    public static boolean matches(long pid, String... markers) {
        Optional<String> cmd = commandLine(pid);
        return cmd.isPresent() && Arrays.stream(markers).allMatch(cmd.get()::contains);
    }

    /** The PID recorded in {@code pidFile} if that process runs and carries the markers. */
    public static Optional<Long> livePid(Path pidFile, String... markers) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            if (!first.matches("[0-9]+")) {
                return Optional.empty();
            }
            long pid = Long.parseLong(first);
            return matches(pid, markers) ? Optional.of(pid) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every running process whose command line contains {@code marker} (never this JVM). */
    public static List<String> matching(String marker) {
        List<String> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.matches("[0-9]+") || Long.parseLong(name) == self) {
                    continue;
                }
                long pid = Long.parseLong(name);
                commandLine(pid)
                        .filter(c -> c.contains(marker))
                        .ifPresent(c -> out.add(pid + " " + abbreviate(c)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    public static String abbreviate(String commandLine) {
        return commandLine.length() <= 300
                ? commandLine
                : commandLine.substring(0, 150)
                        + " ... "
                        + commandLine.substring(commandLine.length() - 150);
    }

    /**
     * Sends SIGKILL to {@code pid} after checking its markers once more, and waits until it is
     * gone.
     *
     * @throws IllegalStateException if the process no longer carries the markers
     */
    public static void kill9(long pid, String... markers) {
        if (!matches(pid, markers)) {
            throw new IllegalStateException(
                    "PID "
                            + pid
                            + " is no longer the expected process ("
                            + String.join(", ", markers)
                            + "); refusing to signal it");
        }
        ProcessHandle h =
                ProcessHandle.of(pid)
                        .orElseThrow(() -> new IllegalStateException("PID " + pid + " is gone"));
        if (!h.destroyForcibly()) {
            throw new IllegalStateException("could not send SIGKILL to PID " + pid);
        }
        Waits.until(
                "PID " + pid + " to exit after SIGKILL", Duration.ofSeconds(15), () -> gone(pid));
    }

    /** True if {@code pid} has exited (a zombie counts as exited: it runs nothing). */
    public static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }
}
