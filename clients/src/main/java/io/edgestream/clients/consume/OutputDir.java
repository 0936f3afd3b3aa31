package io.edgestream.clients.consume;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * {@code <dir>} and {@code <filter>} are the image id and filter name made safe by {@link
 * SafeNames}, which come from records and so may be anything; every path is checked to be a direct
 * child of {@code OUT} or of an image directory before anything is written.
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

    private final Path root;
    private final StatsJson stats;

    private OutputDir(Path root, StatsJson stats) {
        this.root = root;
        this.stats = stats;
    }

    /** Creates {@code root} if needed and opens its {@code stats.jsonl} for appending. */
    public static OutputDir open(Path root) throws IOException {
        Files.createDirectories(root);
        return new OutputDir(root, new StatsJson(root.resolve(STATS_FILE)));
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

    /** The directory of {@code imageId}'s files (not created). */
    public Path imageDir(String imageId) {
        return child(root, dirName(imageId));
    }

    /** Where {@code filter}'s map of {@code imageId} goes (not written). */
    public MapFiles mapFiles(String imageId, String filter) {
        Path dir = imageDir(imageId);
        String base = fileBase(filter);
        return new MapFiles(child(dir, base + ".npy"), child(dir, base + ".png"));
    }

    /** Writes a complete map: {@code .npy}, {@code .png}, and its line in {@code stats.jsonl}. */
    public MapFiles writeMap(String imageId, String filter, ImageF32 map, EdgeStats mapStats)
            throws IOException {
        MapFiles files = mapFiles(imageId, filter);
        NpyWriter.write(map, files.npy());
        PngViews.write(map, files.png());
        stats.append(mapStats);
        return files;
    }

    /** Writes the thumbnail of {@code imageId}'s input as {@code original.png}. */
    public Path writeOriginal(String imageId, BufferedImage thumbnail) throws IOException {
        Path file = child(imageDir(imageId), ORIGINAL + ".png");
        PngViews.writePng(thumbnail, file);
        return file;
    }

    /** Appends one dead letter to {@code dead-letters.jsonl}. */
    public void appendDeadLetter(DeadLetter d) throws IOException {
        Files.writeString(
                child(root, DEAD_LETTERS_FILE),
                deadLetterLine(d) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
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
        stats.close();
    }
}
