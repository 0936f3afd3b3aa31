package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.image.ImageF32;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

    @Test
    void headerFollowsTheNpyVersion1Layout() {
        byte[] h = NpyWriter.header(3, 5);
        // magic, version 1.0
        assertThat(h[0] & 0xFF).isEqualTo(0x93);
        assertThat(new String(h, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        assertThat(h[6]).isEqualTo((byte) 1);
        assertThat(h[7]).isEqualTo((byte) 0);
        int headerLen = (h[8] & 0xFF) | (h[9] & 0xFF) << 8;
        assertThat(10 + headerLen).isEqualTo(h.length);
        assertThat(h.length % 64).isZero();
        String dict = new String(h, 10, headerLen, StandardCharsets.US_ASCII);
        assertThat(dict).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 5), }");
        assertThat(dict).endsWith("\n");
        assertThat(dict.strip())
                .isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 5), }");
    }

    @Test
    void oneDimensionalShapeHasTheTrailingComma() {
        String dict =
                new String(
                        NpyWriter.header(7),
                        10,
                        NpyWriter.header(7).length - 10,
                        StandardCharsets.US_ASCII);
        assertThat(dict).contains("'shape': (7,)");
    }

    @Test
    void dataIsLittleEndianFloat32BitForBitInRowMajorOrder() throws Exception {
        float[] values = {
            1.5f, -0f, Float.intBitsToFloat(0x7fc00001), Float.POSITIVE_INFINITY, -3.25f, 1e-40f
        };
        ImageF32 map = ImageF32.wrap(values, 3, 2, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(map, out);
        byte[] bytes = out.toByteArray();
        byte[] header = NpyWriter.header(2, 3);
        assertThat(bytes).hasSize(header.length + values.length * 4);
        ByteBuffer data =
                ByteBuffer.wrap(bytes, header.length, values.length * 4)
                        .order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            assertThat(data.getInt()).isEqualTo(Float.floatToRawIntBits(v));
        }
    }

    @Test
    void stridedViewsAreWrittenCompactAndMultiChannelMapsAreThreeDimensional(@TempDir Path dir)
            throws Exception {
        ImageF32 big = ImageF32.allocate(4, 3, 2);
        for (int i = 0; i < big.data.length; i++) {
            big.data[i] = i;
        }
        ImageF32 view = big.view(1, 1, 2, 2);
        Path f = dir.resolve("m.npy");
        NpyWriter.write(view, f);
        ImageF32 back = NpyReader.read(f);
        assertThat(back.width).isEqualTo(2);
        assertThat(back.height).isEqualTo(2);
        assertThat(back.channels).isEqualTo(2);
        assertThat(back.contentEquals(view)).isTrue();
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("'shape': (2, 2, 2)");
    }

    @Test
    void numpyLoadsWhatWeWrite(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(numpyAvailable(), "python3 with numpy is not installed");
        float[] values = new float[5 * 4 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i - 30) / 7f;
        }
        Path f = dir.resolve("x.npy");
        NpyWriter.write(ImageF32.wrap(values, 4, 5, 3), f);
        Path g = dir.resolve("y.npy");
        NpyWriter.write(ImageF32.wrap(new float[] {1, 2, 3, 4, 5, 6}, 3, 2, 1), g);
        String script =
                "import numpy as np, sys\n"
                        + "a = np.load(sys.argv[1]); b = np.load(sys.argv[2])\n"
                        + "assert a.dtype == np.dtype('<f4'), a.dtype\n"
                        + "assert a.shape == (5, 4, 3), a.shape\n"
                        + "exp = ((np.arange(60, dtype=np.float32) - 30) / np.float32(7)).reshape(5, 4, 3)\n"
                        + "assert (a.view(np.uint32) == exp.view(np.uint32)).all()\n"
                        + "assert b.shape == (2, 3) and b[1, 2] == 6 and b[0, 1] == 2\n"
                        + "print('ok')\n";
        Process p =
                new ProcessBuilder("python3", "-c", script, f.toString(), g.toString())
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output.strip()).isEqualTo("ok");
    }

    static boolean numpyAvailable() {
        try {
            Process p =
                    new ProcessBuilder("python3", "-c", "import numpy")
                            .redirectErrorStream(true)
                            .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
