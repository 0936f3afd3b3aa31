package io.edgestream.clients.consume;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The consumer's output directory {@code OUT}: which file each result goes to, and writing it.
 *
 * <pre>
 * OUT/stats.jsonl                 one line per EdgeStats ({@link StatsJson})
 * OUT/index.html                  the gallery ({@link Gallery})
 * OUT/dead-letters.jsonl          one line per dead letter (--dlq), payload left out
 * OUT/&lt;dir&gt;/&lt;filter&gt;.npy          the float32 map, exact unless sent as FLOAT16 or UINT8 ({@link NpyWriter})
 * OUT/&lt;dir&gt;/&lt;filter&gt;.png          its 8-bit view ({@link PngViews})
 * OUT/&lt;dir&gt;/original.png           a thumbnail of the input (--with-originals)
 * </pre>
 *
 * {@code <dir>} is the image's name ({@code EdgeStats.sourceName}) or, without one, its id, and
 * {@code <filter>} the filter name, made safe by {@link SafeNames}: they come from records and so
 * may be anything; every path is checked to be a direct child of {@code OUT} or of an image
 * directory before anything is written.
 */
public final class OutputDir implements Closeable {

    /** The statistics file in {@code OUT}. */
    public static final String STATS_FILE = "stats.jsonl";

    /** The gallery page in {@code OUT}. */
    public static final String GALLERY_FILE = "index.html";

    /** The dead letters file in {@code OUT}. */
    public static final String DEAD_LETTERS_FILE = "dead-letters.jsonl";

    /** The file base of the input's thumbnail in an image directory. */
    public static final String ORIGINAL = "original";

    /** The files a map gives. */
    public record MapFiles(Path npy, Path png) {}

    /**
     * What an earlier run left in {@code OUT}: the maps of its {@code stats.jsonl} lines (each
     * written after the map's files) and its dead letters, in file order.
     */
    public record Earlier(List<EdgeStats> maps, List<Gallery.DeadView> deadLetters) {}

    private final Path root;
    private final boolean durable;
    private final StatsJson stats;
    private JsonLines deadLetters;

    private OutputDir(Path root, boolean durable, StatsJson stats) {
        this.root = root;
        this.durable = durable;
        this.stats = stats;
    }

    /** Creates {@code root} if needed and opens its {@code stats.jsonl} for appending. */
    public static OutputDir open(Path root) throws IOException {
        return open(root, false);
    }

    /**
     * As {@link #open(Path)}; with {@code durable}, every map, thumbnail and line is forced to disk
     * before {@link #sync()} returns (for a consumer group, which commits offsets after it).
     */
    public static OutputDir open(Path root, boolean durable) throws IOException {
        Files.createDirectories(root);
        return new OutputDir(root, durable, new StatsJson(root.resolve(STATS_FILE)));
    }

    /**
     * Reads what an earlier run wrote here ({@link Earlier}) and deletes the temporary files a
     * killed run left behind.
     *
     * @throws IOException if a file cannot be read, or a line of it is not what this tool writes
     *     (the message names the file and line)
     */
    public Earlier earlier() throws IOException {
        removeLeftovers(root);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : dirs) {
                removeLeftovers(d);
            }
        }
        List<EdgeStats> maps = new ArrayList<>();
        Path statsFile = root.resolve(STATS_FILE);
        List<String> lines = JsonLines.read(statsFile);
        for (int i = 0; i < lines.size(); i++) {
            try {
                maps.add(
                        JsonRecords.read(
                                lines.get(i), EdgeStats.getClassSchema(), EdgeStats.class));
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        statsFile
                                + " line "
                                + (i + 1)
                                + " is not an EdgeStats line of this tool ("
                                + e.getMessage()
                                + "); resume into the output directory of the group's earlier"
                                + " runs, or start a new group with a new --out",
                        e);
            }
        }
        List<Gallery.DeadView> dead = new ArrayList<>();
        Path dlqFile = root.resolve(DEAD_LETTERS_FILE);
        lines = JsonLines.read(dlqFile);
        for (int i = 0; i < lines.size(); i++) {
            try {
                dead.add(JsonRecords.deadView(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        dlqFile
                                + " line "
                                + (i + 1)
                                + " is not a dead letter line: "
                                + e.getMessage(),
                        e);
            }
        }
        return new Earlier(List.copyOf(maps), List.copyOf(dead));
    }

    private static void removeLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, AtomicFiles::isLeftover)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    public Path root() {
        return root;
    }

    /**
     * The name of the directory of {@code imageId}'s files: {@link SafeNames#of}, but never the
     * name of one of the files in {@code OUT} (ignoring case), which gets {@link SafeNames#changed}
     * instead.
     */
    public static String dirName(String imageId) {
        return notOneOf(imageId, STATS_FILE, GALLERY_FILE, DEAD_LETTERS_FILE);
    }

    /**
     * The name of the directory of the image {@code imageId} whose input was called {@code
     * sourceName} ({@code EdgeStats.sourceName}, the frame's attribute {@code file}): {@link
     * SafeNames#named}, e.g. {@code board.jpg~} and 10 hex digits; without a name (null or blank),
     * {@link #dirName(String)} of the id. Never the name of a file in {@code OUT}: those have no
     * {@code ~}.
     */
    public static String dirName(String imageId, String sourceName) {
        return sourceName == null || sourceName.isBlank()
                ? dirName(imageId)
                : SafeNames.named(sourceName, imageId);
    }

    /**
     * The file base ({@code <base>.npy}, {@code <base>.png}) of {@code filter}'s map: {@link
     * SafeNames#of}, but never {@code original} (ignoring case), the thumbnail's.
     */
    public static String fileBase(String filter) {
        return notOneOf(filter, ORIGINAL);
    }

    private static String notOneOf(String id, String... taken) {
        String name = SafeNames.of(id);
        for (String t : taken) {
            if (name.equalsIgnoreCase(t)) {
                return SafeNames.changed(id);
            }
        }
        return name;
    }

    /** The directory of {@code imageId}'s files when it has no name (not created). */
    public Path imageDir(String imageId) {
        return imageDir(imageId, null);
    }

    /** The directory of {@code imageId}'s files, {@link #dirName(String, String)} (not created). */
    public Path imageDir(String imageId, String sourceName) {
        return child(root, dirName(imageId, sourceName));
    }

    /** Where {@code filter}'s map of {@code imageId} goes (not written). */
    public MapFiles mapFiles(String imageId, String filter) {
        return mapFiles(imageId, null, filter);
    }

    /** Where {@code filter}'s map of {@code imageId}, called {@code sourceName}, goes. */
    public MapFiles mapFiles(String imageId, String sourceName, String filter) {
        Path dir = imageDir(imageId, sourceName);
        String base = fileBase(filter);
        return new MapFiles(child(dir, base + ".npy"), child(dir, base + ".png"));
    }

    /** Writes a complete map: {@code .npy}, {@code .png}, and its line in {@code stats.jsonl}. */
    public MapFiles writeMap(String imageId, String filter, ImageF32 map, EdgeStats mapStats)
            throws IOException {
        MapFiles files = writeMapFiles(imageId, mapStats.getSourceName(), filter, map);
        appendStats(mapStats);
        return files;
    }

    /**
     * Writes a map's {@code .npy} and {@code .png}, each atomically; its {@link #appendStats stats
     * line} follows, and marks the map as written for a resumed run.
     */
    public MapFiles writeMapFiles(String imageId, String sourceName, String filter, ImageF32 map)
            throws IOException {
        MapFiles files = mapFiles(imageId, sourceName, filter);
        NpyWriter.write(map, files.npy(), durable);
        PngViews.write(map, files.png(), durable);
        return files;
    }

    /** Appends a map's line to {@code stats.jsonl}, after its files. */
    public void appendStats(EdgeStats mapStats) throws IOException {
        stats.append(mapStats);
    }

    /** Where the thumbnail of {@code imageId}'s input, called {@code sourceName}, goes. */
    public Path originalFile(String imageId, String sourceName) {
        return child(imageDir(imageId, sourceName), ORIGINAL + ".png");
    }

    /** Writes the thumbnail of {@code imageId}'s input as {@code original.png}. */
    public Path writeOriginal(String imageId, BufferedImage thumbnail) throws IOException {
        return writeOriginal(imageId, null, thumbnail);
    }

    /**
     * Writes the thumbnail of {@code imageId}'s input, called {@code sourceName} (its attribute
     * {@code file}), as {@code original.png}.
     */
    public Path writeOriginal(String imageId, String sourceName, BufferedImage thumbnail)
            throws IOException {
        Path file = originalFile(imageId, sourceName);
        PngViews.writePng(thumbnail, file, durable);
        return file;
    }

    /** Appends one dead letter to {@code dead-letters.jsonl}. */
    public void appendDeadLetter(DeadLetter d) throws IOException {
        if (deadLetters == null) {
            deadLetters = new JsonLines(child(root, DEAD_LETTERS_FILE));
        }
        deadLetters.append(deadLetterLine(d));
    }

    /** Forces the appended lines to disk (files were forced as they were written, if durable). */
    public void sync() throws IOException {
        stats.sync();
        if (deadLetters != null) {
            deadLetters.sync();
        }
    }

    /** Rewrites {@code index.html}. */
    public void writeGallery(Collection<Gallery.ImageView> images, List<Gallery.DeadView> dead)
            throws IOException {
        Gallery.write(root, images, dead);
    }

    /**
     * A dead letter as one JSON line (no newline): where it came from, why, and the payload's size
     * instead of the payload.
     */
    public static String deadLetterLine(DeadLetter d) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"sourceTopic\":");
        Json.string(line, d.getSourceTopic());
        line.append(",\"sourcePartition\":").append(d.getSourcePartition());
        line.append(",\"sourceOffset\":").append(d.getSourceOffset());
        line.append(",\"sourceTimestampMs\":").append(d.getSourceTimestampMs());
        line.append(",\"imageId\":");
        Json.append(line, d.getImageId());
        line.append(",\"reason\":");
        Json.string(line, d.getReason().name());
        line.append(",\"message\":");
        Json.string(line, d.getMessage());
        line.append(",\"failedAtMs\":").append(d.getFailedAtMs());
        line.append(",\"payloadBytes\":").append(d.getPayload().remaining()).append('}');
        return line.toString();
    }

    /**
     * {@code dir/name}, refusing any name that would not be a direct child of {@code dir} (a
     * separator, {@code ..}, an absolute path): a last line of defence behind {@link SafeNames}.
     */
    static Path child(Path dir, String name) {
        Path n = dir.getFileSystem().getPath(name);
        Path p = dir.resolve(n);
        if (name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || n.isAbsolute()
                || n.getNameCount() != 1
                || !dir.equals(p.getParent())) {
            throw new IllegalArgumentException(
                    "refusing to write '" + name + "': not a plain name inside " + dir);
        }
        return p;
    }

    @Override
    public void close() throws IOException {
        try (StatsJson s = stats;
                JsonLines d = deadLetters) {
            // closes both, the first failure wins
        }
    }
}
