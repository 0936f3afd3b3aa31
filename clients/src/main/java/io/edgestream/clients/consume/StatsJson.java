package io.edgestream.clients.consume;

import io.edgestream.schemas.EdgeStats;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Appends {@link EdgeStats} records to a JSON Lines file ({@code OUT/stats.jsonl}): one JSON object
 * per line, field names exactly as in the Avro schema ({@code imageId}, {@code filter}, {@code
 * edgeFraction}, {@code histogram.counts}, ...), nullable fields as {@code null}. Load with {@code
 * pandas.read_json("stats.jsonl", lines=True)} or {@code jq}. Each line is written whole, so a
 * reader following the file sees whole records ({@link JsonLines}).
 */
public final class StatsJson implements Closeable {
    private final JsonLines out;

    /** Opens {@code file} for appending (created if missing). */
    public StatsJson(Path file) throws IOException {
        this.out = new JsonLines(file);
    }

    /** The JSON line (without newline) for {@code stats}. */
    public static String line(EdgeStats stats) {
        return Json.write(stats);
    }

    /** Appends one record. */
    public void append(EdgeStats stats) throws IOException {
        out.append(line(stats));
    }

    /** Forces the appended records to disk. */
    public void sync() throws IOException {
        out.sync();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
