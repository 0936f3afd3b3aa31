package io.edgestream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python decoder ({@code python/decode_record.py}) reads every map data type to the same
 * float32 values as Java's {@link MapSamples}, bit for bit: Java writes tiles of every type, {@code
 * python/check_decode_record.py} decodes them with NumPy and compares. With fastavro installed the
 * script also decodes the whole Kafka values. Skips without python3 and NumPy, except under CI
 * ({@code .ci/run} installs NumPy), where that is a failure.
 */
class DecodeRecordPythonTest {

    private static final Path DIR = Path.of("target", "python-map-samples");

    @Test
    void pythonDecodesEveryDataTypeToJavasFloat32Values() throws Exception {
        requirePythonWithNumpy();
        Files.createDirectories(DIR);
        Random rnd = new Random(13);
        int w = 7;
        int h = 5;
        int c = 2;
        for (MapDataType type : MapDataType.values()) {
            float[] values = new float[w * h * c];
            float scale = 1f;
            float offset = 0f;
            switch (type) {
                case FLOAT32_LE, FLOAT16_LE -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (rnd.nextGaussian() * 300);
                    }
                    values[0] = -0f;
                    values[1] = Float.NEGATIVE_INFINITY;
                    values[2] = 1e-7f;
                }
                case INT16_LE -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rnd.nextInt(65536) - 32768;
                    }
                    values[0] = -32768;
                    values[1] = 32767;
                }
                case UINT8 -> {
                    // A Sobel magnitude's range on 8-bit input, and values all over it.
                    double max = Math.sqrt(2) * 1020;
                    scale = MapSamples.uint8Scale(0, max);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (rnd.nextDouble() * max);
                    }
                    values[0] = 0;
                    values[1] = (float) max;
                }
            }
            FeatureMapTile tile =
                    FeatureMapTile.newBuilder(Samples.featureMapTile())
                            .setWidth(w)
                            .setHeight(h)
                            .setChannels(c)
                            .setDataType(type)
                            .setScale(scale)
                            .setOffset(offset)
                            .setData(
                                    ByteBuffer.wrap(MapSamples.encode(values, type, scale, offset)))
                            .build();
            write(type.name(), tile);
        }
        Process p =
                new ProcessBuilder(
                                "python3",
                                Path.of("python", "check_decode_record.py").toString(),
                                DIR.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains(MapDataType.values().length + " tiles equal to Java");
    }

    /** NAME.json, NAME.data, NAME.expected and NAME.bin as check_decode_record.py reads them. */
    private static void write(String name, FeatureMapTile t) throws IOException {
        String json =
                String.format(
                        Locale.ROOT,
                        "{\"dataType\": \"%s\", \"height\": %d, \"width\": %d, \"channels\": %d,"
                                + " \"scale\": %s, \"offset\": %s}",
                        t.getDataType(),
                        t.getHeight(),
                        t.getWidth(),
                        t.getChannels(),
                        // Shortest decimal that reads back as the same float (Python: a double
                        // that np.float32() rounds to it).
                        Float.toString(t.getScale()),
                        Float.toString(t.getOffset()));
        Files.writeString(DIR.resolve(name + ".json"), json);
        byte[] data = new byte[t.getData().remaining()];
        t.getData().duplicate().get(data);
        Files.write(DIR.resolve(name + ".data"), data);
        float[] expected = MapSamples.decode(t);
        ByteBuffer e = ByteBuffer.allocate(expected.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        e.asFloatBuffer().put(expected);
        Files.write(DIR.resolve(name + ".expected"), e.array());
        Files.write(DIR.resolve(name + ".bin"), AvroWire.featureMapTiles().encode(t));
    }

    private static void requirePythonWithNumpy() {
        String problem;
        try {
            Process p =
                    new ProcessBuilder("python3", "-c", "import numpy")
                            .redirectErrorStream(true)
                            .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = "python3 -c 'import numpy' did not finish in 60 s";
            } else if (p.exitValue() != 0) {
                problem = output.strip();
            } else {
                return;
            }
        } catch (IOException e) {
            problem = "python3 cannot be run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        String message =
                "python3 with NumPy is needed to check python/decode_record.py ("
                        + problem
                        + "); install it with: apt-get install -y python3-numpy, or pip install"
                        + " numpy for the python3 on PATH";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            fail("CI=" + ci + " is set, so this does not skip: " + message);
        }
        abort(message);
    }
}
