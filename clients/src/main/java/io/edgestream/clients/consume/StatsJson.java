package io.edgestream.clients.consume;

import io.edgestream.schemas.EdgeStats;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends {@link EdgeStats} records to a JSON Lines file ({@code OUT/stats.jsonl}): one JSON object
 * per line, field names exactly as in the Avro schema ({@code imageId}, {@code filter}, {@code
 * edgeFraction}, {@code histogram.counts}, ...), nullable fields as {@code null}. Load with {@code
 * pandas.read_json("stats.jsonl", lines=True)} or {@code jq}. Each line is flushed when written, so
 * a reader following the file sees whole records.
 */
public final class StatsJson implements Closeable {
    private final BufferedWriter out;

    /** Opens {@code file} for appending (created if missing). */
    public StatsJson(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.out =
                Files.newBufferedWriter(
                        file,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
    }

    /** The JSON line (without newline) for {@code stats}. */
    public static String line(EdgeStats stats) {
        return Json.write(stats);
    }

    /** Appends one record and flushes. */
    public void append(EdgeStats stats) throws IOException {
        out.write(line(stats));
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
