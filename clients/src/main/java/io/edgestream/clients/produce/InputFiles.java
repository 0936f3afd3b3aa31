package io.edgestream.clients.produce;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.ToolException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a {@code produce-images} run sends, from its PATH arguments: a file as it is (a missing
 * one is reported, not ignored), a directory walked recursively in sorted order without hidden
 * files ({@code .name}) and filtered by {@code --glob}, and {@code -} for a list of paths on
 * standard input (one per line; blank lines and {@code #} comments ignored).
 */
final class InputFiles {
    private InputFiles() {}

    /** A file to send, and how to show it in messages. */
    record Input(Path path, String display) {}

    /**
     * Lists the inputs; a directory that cannot be listed is added to {@code skipped}.
     *
     * @param glob only files whose name matches (the path below the directory if the pattern has a
     *     '/'), or null for all
     * @throws ToolException if standard input cannot be read
     */
    static List<Input> list(
            List<String> args,
            InputStream stdin,
            String glob,
            List<ProduceImages.Skipped> skipped) {
        List<Input> out = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("-")) {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String t = line.strip();
                        if (!t.isEmpty() && !t.startsWith("#")) {
                            add(Path.of(t), t, glob, out, skipped);
                        }
                    }
                } catch (IOException e) {
                    throw new ToolException(
                            "cannot read the list of paths from standard input: " + e,
                            ExitCodes.FAILED,
                            e);
                }
            } else {
                add(Path.of(arg), arg, glob, out, skipped);
            }
        }
        return out;
    }

    private static void add(
            Path p,
            String display,
            String glob,
            List<Input> out,
            List<ProduceImages.Skipped> skipped) {
        if (!Files.isDirectory(p)) {
            // A file named explicitly is always tried: a missing one is reported, not ignored.
            out.add(new Input(p, display));
            return;
        }
        PathMatcher m =
                glob == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + glob);
        boolean byPath = glob != null && glob.contains("/");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(p)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            skipped.add(
                    new ProduceImages.Skipped(
                            display, "cannot list the directory: " + e.getMessage()));
            return;
        }
        for (Path f : files) {
            if (f.getFileName().toString().startsWith(".")) {
                continue; // hidden files (.DS_Store, editor backups) are never images to send
            }
            if (m != null && !m.matches(byPath ? p.relativize(f) : f.getFileName())) {
                continue;
            }
            out.add(new Input(f, f.toString()));
        }
    }
}
