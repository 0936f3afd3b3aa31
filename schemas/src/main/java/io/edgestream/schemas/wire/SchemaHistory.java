package io.edgestream.schemas.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a top-level record schema, read from the classpath resources {@code
 * io/edgestream/schemas/history/<RecordName>.v<N>.avsc} for N = 1, 2, ... until the first missing
 * file. The newest file must equal the schema generated from {@code src/main/avro} (a test checks
 * this), so changing a schema without recording it as a new version fails the build. History files
 * are never edited: a record written with any of them must stay readable.
 */
public final class SchemaHistory {
    /** Classpath folder of the history files, without a leading slash. */
    public static final String RESOURCE_FOLDER = "io/edgestream/schemas/history/";

    private SchemaHistory() {}

    /**
     * Returns the versions of the record named {@code simpleName} (e.g. {@code "ImageFrame"}),
     * oldest first; element i is version i + 1. Empty if there is no history file.
     *
     * @throws IllegalStateException if a history file cannot be read or parsed
     */
    public static List<Schema> versions(String simpleName) {
        List<Schema> versions = new ArrayList<>();
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        for (int version = 1; ; version++) {
            String resource = resourceName(simpleName, version);
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return Collections.unmodifiableList(versions);
                }
                // A fresh parser per file: every version redefines the same named types.
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot read schema history file " + resource + " from the classpath", e);
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "Schema history file "
                                + resource
                                + " is not a valid Avro schema; restore it from version control"
                                + " (history files must never be edited)",
                        e);
            }
        }
    }

    /** The classpath resource name of one version of a record schema. */
    public static String resourceName(String simpleName, int version) {
        return RESOURCE_FOLDER + simpleName + ".v" + version + ".avsc";
    }
}
