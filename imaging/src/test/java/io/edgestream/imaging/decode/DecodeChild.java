package io.edgestream.imaging.decode;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The program {@link HeapFork} runs in a child JVM with a small, fixed heap: it reads one payload
 * from a file (one array of exactly the file's size, as a task holds the record's bytes) and
 * decodes it once, keeping the result until the decode has returned. It prints {@code DECODED
 * <width>x<height>x<channels> <bits>} and exits 0, or prints {@code OOM <message>} and exits {@link
 * #EXIT_OOM} when the decode ran out of heap. Anything else (a decode failure, a bug) exits 1 with
 * the stack trace, so that a broken case cannot pass as either outcome.
 *
 * <p>Arguments: file, encoding, width, height, channels, pixel format ("-" for none); several such
 * groups of six are decoded one after the other (each result dropped before the next file is read).
 * With {@code --used} first, it also prints {@code USED <bytes>}, the heap still in use after a
 * full collection at the end: for tiny images of every format, that is the JVM's own heap,
 * ImageIO's registry and the readers' classes and static tables, which every decode needs in
 * addition to its image.
 */
public final class DecodeChild {
    static final int EXIT_OOM = 3;

    private DecodeChild() {}

    public static void main(String[] args) throws Exception {
        try {
            boolean used = args.length > 0 && args[0].equals("--used");
            for (int i = used ? 1 : 0; i + 6 <= args.length; i += 6) {
                String[] a = java.util.Arrays.copyOfRange(args, i, i + 6);
                DecodedImage img = decode(Files.readAllBytes(Path.of(a[0])), a);
                System.out.println(
                        "DECODED "
                                + img.width()
                                + "x"
                                + img.height()
                                + "x"
                                + img.channels()
                                + " "
                                + img.bitDepth());
            }
            if (used) {
                System.out.println("USED " + usedAfterGc());
            }
        } catch (OutOfMemoryError e) {
            System.out.println("OOM " + e.getMessage());
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_OOM);
        } catch (Throwable e) {
            // The PNG reader wraps everything it catches, OutOfMemoryError included, in an
            // IIOException, which the decoder reports as an undecodable image.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof OutOfMemoryError) {
                    System.out.println("OOM " + t.getMessage() + " (inside " + e + ")");
                    System.out.flush();
                    Runtime.getRuntime().halt(EXIT_OOM);
                }
            }
            e.printStackTrace();
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static DecodedImage decode(byte[] bytes, String[] a) throws ImageDecodeException {
        String format = a[5].equals("-") ? null : a[5];
        return ImageDecoder.decode(
                bytes,
                a[1],
                Integer.parseInt(a[2]),
                Integer.parseInt(a[3]),
                Integer.parseInt(a[4]),
                format,
                DecodeLimits.UNLIMITED);
    }

    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
