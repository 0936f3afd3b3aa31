package io.edgestream.imaging.decode;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds the ImageIO readers the decoder uses and runs them on streams over the payload array (never
 * the file-backed cache ImageIO may otherwise choose, nor an in-memory copy of the payload),
 * turning their exceptions into {@link ImageDecodeException}s.
 *
 * <p>The JPEG reader is TwelveMonkeys', obtained deterministically: its provider is registered in a
 * private {@link ServiceRegistry} together with the JDK's JPEG provider (which it wraps), so
 * neither the order of ImageIO's global registry nor a classloader that hid TwelveMonkeys from
 * ImageIO's service scan (as can happen in Flink) can make us fall back to the JDK reader, which
 * rejects or mis-colours CMYK and YCCK files. Nothing is added to the global registry, so no
 * user-code classloader is pinned by it.
 */
final class ImageIoReaders {
    private ImageIoReaders() {}

    private static final String JDK_JPEG_SPI = "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi";

    /** Lazily built, once per class loader. */
    private static final class Jpeg {
        static final ImageReaderSpi SPI = twelveMonkeysJpeg();
    }

    private static final class Png {
        static final ImageReaderSpi SPI = jdkReader("png");
    }

    private static final class Bmp {
        static final ImageReaderSpi SPI = jdkReader("bmp");
    }

    private static final class Tiff {
        static final ImageReaderSpi SPI = jdkReader("tiff");
    }

    static ImageReader jpeg() throws IOException {
        return Jpeg.SPI.createReaderInstance();
    }

    static ImageReader png() throws IOException {
        return Png.SPI.createReaderInstance();
    }

    static ImageReader bmp() throws IOException {
        return Bmp.SPI.createReaderInstance();
    }

    static ImageReader tiff() throws IOException {
        return Tiff.SPI.createReaderInstance();
    }

    private static ImageReaderSpi twelveMonkeysJpeg() {
        ImageReaderSpi jdk = findJdkProvider(spi -> spi.getClass().getName().equals(JDK_JPEG_SPI));
        if (jdk == null) {
            throw new IllegalStateException(
                    "the JDK's JPEG ImageIO reader ("
                            + JDK_JPEG_SPI
                            + ") is not available; this"
                            + " JVM lacks the java.desktop module's image I/O plugins");
        }
        ServiceRegistry registry =
                new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        registry.registerServiceProvider(jdk, ImageReaderSpi.class);
        com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi twelveMonkeys =
                new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi();
        // onRegistration looks the JDK provider up in this registry and keeps it as delegate.
        registry.registerServiceProvider(twelveMonkeys, ImageReaderSpi.class);
        return twelveMonkeys;
    }

    private static ImageReaderSpi jdkReader(String format) {
        ImageReaderSpi spi =
                findJdkProvider(
                        s ->
                                s.getClass().getName().startsWith("com.sun.imageio.plugins.")
                                        && Arrays.stream(((ImageReaderSpi) s).getFormatNames())
                                                .anyMatch(f -> f.equalsIgnoreCase(format)));
        if (spi == null) {
            throw new IllegalStateException(
                    "the JDK's "
                            + format.toUpperCase(Locale.ROOT)
                            + " ImageIO reader is not"
                            + " available; this JVM lacks the java.desktop module's image I/O"
                            + " plugins");
        }
        return spi;
    }

    private static ImageReaderSpi findJdkProvider(ServiceRegistry.Filter filter) {
        Iterator<ImageReaderSpi> it =
                IIORegistry.getDefaultInstance()
                        .getServiceProviders(ImageReaderSpi.class, filter, false);
        return it.hasNext() ? it.next() : null;
    }

    /**
     * A stream over {@code bytes} itself: no copy of the payload, and a known length (see {@link
     * ByteArrayImageInputStream}).
     */
    static ImageInputStream stream(byte[] bytes) {
        return new ByteArrayImageInputStream(bytes);
    }

    /** Collects reader warnings; the caller decides which ones mean the data is incomplete. */
    static final class Warnings implements javax.imageio.event.IIOReadWarningListener {
        final List<String> messages = new ArrayList<>();

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            messages.add(warning);
        }

        /** The first warning that says the data stopped early, or null. */
        String truncation() {
            for (String m : messages) {
                String s = m.toLowerCase(Locale.ROOT);
                if (s.contains("premature end")
                        || s.contains("missing eoi")
                        || s.contains("truncated")) {
                    return m;
                }
            }
            return null;
        }
    }

    /**
     * Maps a reader failure: an OutOfMemoryError anywhere in the cause chain is
     * MEMORY_BUDGET_EXCEEDED (the data may be fine), an end-of-stream means the file was cut short
     * (TRUNCATED_IMAGE), anything else means the data is corrupt (UNDECODABLE_IMAGE).
     */
    static ImageDecodeException failure(String format, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Readers wrap an OutOfMemoryError in an IIOException: it says nothing about the data.
            if (t instanceof OutOfMemoryError) {
                return new ImageDecodeException(
                        DecodeFailure.MEMORY_BUDGET_EXCEEDED,
                        format
                                + " decoding ran out of Java heap ("
                                + t.getMessage()
                                + ") although the image's estimated cost was within the memory"
                                + " limit: other work in this JVM used the rest of the heap; lower"
                                + " the memory budget or give the JVM more heap, then replay the"
                                + " record",
                        e);
            }
        }
        boolean eof = false;
        for (Throwable t = e; t != null && !eof; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            eof =
                    t instanceof EOFException
                            || m.contains("premature end")
                            || m.contains("unexpected end");
        }
        return new ImageDecodeException(
                eof ? DecodeFailure.TRUNCATED_IMAGE : DecodeFailure.UNDECODABLE_IMAGE,
                format
                        + " data could not be decoded ("
                        + e.getClass().getSimpleName()
                        + ": "
                        + e.getMessage()
                        + ")"
                        + (eof
                                ? "; the file ends early: resend the complete file"
                                : "; the file is corrupt or not a valid " + format),
                e);
    }
}
