package io.edgestream.bench;

import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding a 1000x1000 RGB photo-like JPEG or PNG ({@link SyntheticPhoto}), single thread, to
 * choose the decoder by measurement:
 *
 * <ul>
 *   <li>{@code edgestream}: the product's {@link ImageDecoder#decode} (header checks, PNG CRCs,
 *       TwelveMonkeys for JPEG, conversion to the product's image buffer);
 *   <li>{@code jdk}: the JDK's own ImageIO reader into a reused {@code BufferedImage};
 *   <li>{@code twelvemonkeys}: TwelveMonkeys' JPEG reader into a reused {@code BufferedImage}.
 * </ul>
 *
 * The files are read from {@code -Dedgestream.bench.images=DIR} (the bench script writes them once
 * and gives the same files to OpenCV), or written to a temporary directory when it is unset. The
 * {@code megapixels} secondary result is decoded MP/s.
 */
public class DecodeBenchmark extends SingleThreadBenchmark {

    /** System property naming the directory holding {@code photo-1000.jpg/png}. */
    public static final String IMAGES_PROPERTY = "edgestream.bench.images";

    @Param({"jpeg:edgestream", "jpeg:jdk", "jpeg:twelvemonkeys", "png:edgestream", "png:jdk"})
    public String codec;

    private static final int SIZE = 1000;

    private byte[] bytes;
    private String encoding;
    private String decoder;
    private ImageReader reader;
    private BufferedImage dest;

    @Setup
    public void setUp() throws IOException {
        String format = codec.substring(0, codec.indexOf(':'));
        decoder = codec.substring(codec.indexOf(':') + 1);
        String dir = System.getProperty(IMAGES_PROPERTY);
        Path d = dir != null ? Path.of(dir) : Files.createTempDirectory("edgestream-bench");
        SyntheticPhoto.write(d, SIZE);
        Path file = d.resolve("photo-" + SIZE + (format.equals("jpeg") ? ".jpg" : ".png"));
        bytes = Files.readAllBytes(file);
        encoding = format.equals("jpeg") ? "JPEG" : "PNG";
        if (!decoder.equals("edgestream")) {
            String prefix = decoder.equals("jdk") ? "com.sun." : "com.twelvemonkeys.";
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
                    it.hasNext(); ) {
                ImageReader r = it.next();
                if (r.getClass().getName().startsWith(prefix)) {
                    reader = r;
                }
            }
            if (reader == null) {
                throw new IllegalStateException(
                        "no " + decoder + " ImageIO reader for " + format + " on the classpath");
            }
            dest = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_3BYTE_BGR);
        }
        System.out.println("\n" + codec + ": " + file + " (" + bytes.length + " bytes)");
    }

    @TearDown
    public void tearDown() {
        if (reader != null) {
            reader.dispose();
        }
    }

    @Benchmark
    public void decode(MegapixelCounter mp, Blackhole bh) throws Exception {
        if (reader == null) {
            bh.consume(ImageDecoder.decode(bytes, encoding, 0, 0, 0, null, DecodeLimits.DEFAULT));
        } else {
            try (ImageInputStream in =
                    ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
                reader.setInput(in, true, true);
                ImageReadParam p = reader.getDefaultReadParam();
                p.setDestination(dest);
                bh.consume(reader.read(0, p));
            }
        }
        mp.megapixels += (double) SIZE * SIZE / 1e6;
    }
}
