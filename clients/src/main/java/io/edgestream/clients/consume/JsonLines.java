package io.edgestream.clients.consume;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Lines file the consumer appends to ({@code stats.jsonl}, {@code dead-letters.jsonl}): each
 * line is written whole with one write, so a reader sees whole records, and a line cut short by a
 * killed run (no final newline) is removed when the file is opened again, so the next line starts
 * on its own. {@link #sync()} forces what was appended to disk; a consumer group commits offsets
 * only after it.
 */
final class JsonLines implements Closeable {
    private final Path file;
    private final FileChannel ch;

    /** Opens {@code file} for appending (created if missing), cutting off a partial last line. */
    JsonLines(Path file) throws IOException {
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.ch =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        try {
            ch.truncate(wholeLinesEnd(ch));
            ch.position(ch.size());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The length of the file's whole lines: up to and including its last newline. */
    private static long wholeLinesEnd(FileChannel ch) throws IOException {
        long end = ch.size();
        ByteBuffer one = ByteBuffer.allocate(8192);
        while (end > 0) {
            int n = (int) Math.min(one.capacity(), end);
            one.clear().limit(n);
            long from = end - n;
            while (one.hasRemaining()) {
                if (ch.read(one, from + one.position()) < 0) {
                    throw new IOException("file shrank while reading it");
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                if (one.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            end = from;
        }
        return 0;
    }

    /**
     * The whole lines of {@code file} (none if it does not exist); a partial last line is left out.
     */
    static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String all = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', start)) {
            lines.add(all.substring(start, nl));
            start = nl + 1;
        }
        return lines;
    }

    /** Appends {@code line} and a newline with one write. */
    void append(String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Forces the appended lines to disk. */
    void sync() throws IOException {
        ch.force(false);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
