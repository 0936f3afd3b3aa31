package io.edgestream.clients.consume;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes a file so that readers, and a consumer restarted after a crash, see either the old file or
 * the whole new one: the bytes go to a hidden temporary file next to the target ({@value #PREFIX}),
 * which is then renamed over it. With {@code durable}, the temporary file is forced to disk before
 * the rename and the directory after it, so a file that exists after a power loss is complete; a
 * consumer group only commits offsets past a map once its files were written this way.
 */
final class AtomicFiles {

    /** Prefix of the temporary files; a killed run can leave some behind ({@link #isLeftover}). */
    static final String PREFIX = ".tmp-";

    /** Writes the content. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private AtomicFiles() {}

    /** Writes {@code target} through a temporary file and a rename; see the class comment. */
    static void write(Path target, String suffix, boolean durable, Content content)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, PREFIX, suffix);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                if (durable) {
                    ch.force(true);
                }
            }
            try {
                Files.move(
                        tmp,
                        target,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(
                        "the file system of "
                                + dir
                                + " cannot rename atomically; write the output to a local disk",
                        e);
            }
            if (durable) {
                syncDirectory(dir);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Forces a directory's entries (a rename, a new file) to disk. Windows cannot open a directory
     * for this, and its file system orders metadata itself, so there it does nothing.
     */
    static void syncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** True for a temporary file of this class that a killed run left behind. */
    static boolean isLeftover(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(PREFIX)
                && (n.endsWith(".npy") || n.endsWith(".png") || n.endsWith(".html"));
    }
}
