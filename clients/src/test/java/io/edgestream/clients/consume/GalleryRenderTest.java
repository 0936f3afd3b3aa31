package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.Histogram;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * index.html renders in a real browser: headless Chromium takes a screenshot of a gallery whose
 * edge-map view is a solid green square, and the square must be on the screenshot (so the page laid
 * out and its relative image links resolved, here into a folder named after a file with non-ASCII
 * letters, percent-encoded in the link). The map's histogram bars and its orientation rose are
 * found on the screenshot by their colours, with the area and bounding box their counts give; the
 * DOM Chromium dumps has the file name as the heading and one SVG element per non-empty bin.
 * Skipped when no Chromium is installed ({@code .ci/run} installs Debian's {@code chromium}).
 */
class GalleryRenderTest {

    private static final int GREEN = 0x00C800;

    /** Response histogram: 16 bins, 16 px each, the tallest 64 px. */
    private static final List<Long> COUNTS =
            List.of(
                    1L, 3L, 10L, 40L, 200L, 1000L, 5000L, 20000L, 20000L, 5000L, 1000L, 200L, 40L,
                    10L, 3L, 1L);

    /** Orientation: 8 bins; wedges of radius 40 (100) and 20 (25). */
    private static final List<Long> ORIENTATION = List.of(100L, 0L, 25L, 0L, 100L, 0L, 25L, 0L);

    @Test
    @Timeout(120)
    void galleryRendersItsEdgeMapsNamesAndHistogramsInHeadlessChromium(@TempDir Path dir)
            throws Exception {
        Path chromium = findChromium();
        assumeTrue(chromium != null, "no chromium on this machine");

        String id = "files/0a1b2c3d4e5f6071";
        String name = "Straße <1>.jpg";
        String dirName = OutputDir.dirName(id, name);
        Gallery.ImageView image = new Gallery.ImageView(id, name, dirName);
        EdgeStats stats = JsonTest.sampleStats(id, "batch-1");
        stats.setSourceName(name);
        stats.setHistogram(Histogram.newBuilder().setMin(-4).setMax(4).setCounts(COUNTS).build());
        stats.setOrientationHistogram(ORIENTATION);
        image.put(new Gallery.MapView("sobel", "sobel", stats));
        Path mapDir = Files.createDirectories(dir.resolve(dirName));
        BufferedImage square = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 200; x++) {
                square.setRGB(x, y, GREEN);
            }
        }
        ImageIO.write(square, "png", mapDir.resolve("sobel.png").toFile());
        Gallery.write(dir, List.of(image), List.of());

        // The DOM as Chromium parsed it: the heading is the file name, one element per bin.
        String dom = new String(chromium(chromium, dir, "--dump-dom"), StandardCharsets.UTF_8);
        assertThat(dom).contains("<h2>Straße &lt;1&gt;.jpg</h2>").contains(id);
        assertThat(dom.split("class=\"bar\"", -1)).hasSize(COUNTS.size() + 1);
        assertThat(dom.split("class=\"wedge\"", -1)).hasSize(4 + 1);

        Path shot = dir.resolve("shot.png");
        chromium(chromium, dir, "--screenshot=" + shot, "--window-size=1000,900");
        assertThat(shot)
                .as("screenshot (chromium log: %s)", Files.readString(dir.resolve("chromium.log")))
                .exists();

        BufferedImage rendered = ImageIO.read(shot.toFile());
        int green = 0;
        int blue = 0;
        int orange = 0;
        int[] blueBox = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        for (int y = 0; y < rendered.getHeight(); y++) {
            for (int x = 0; x < rendered.getWidth(); x++) {
                int rgb = rendered.getRGB(x, y) & 0xFFFFFF;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (r < 40 && g > 160 && b < 40) {
                    green++;
                } else if (near(r, 0x20) && near(g, 0x60) && near(b, 0xe0)) {
                    blue++;
                    blueBox[0] = Math.min(blueBox[0], x);
                    blueBox[1] = Math.min(blueBox[1], y);
                    blueBox[2] = Math.max(blueBox[2], x);
                    blueBox[3] = Math.max(blueBox[3], y);
                } else if (near(r, 0xe0) && near(g, 0x70) && near(b, 0x20)) {
                    orange++;
                }
            }
        }
        // The 200x200 view is shown at its own size (max 256 px): nearly all of it is visible.
        assertThat(green).isBetween(35_000, 41_000);
        // Bars: 16 px wide each, 64 log(1 + c) / log(1 + 20000) px high (at least 1), crisp.
        int barArea = 0;
        for (long c : COUNTS) {
            barArea += 16 * Math.max(1, (int) Math.round(64 * Math.log1p(c) / Math.log1p(20000)));
        }
        assertThat(blue).isBetween(barArea * 95 / 100, barArea * 105 / 100);
        assertThat(blueBox[2] - blueBox[0] + 1).as("bars' width").isBetween(254, 258);
        assertThat(blueBox[3] - blueBox[1] + 1).as("tallest bar").isBetween(62, 66);
        // Wedges: two of radius 40 and two of 20, each an eighth of a circle (edges anti-aliased).
        double roseArea = Math.PI / 8 * (2 * 40 * 40 + 2 * 20 * 20);
        assertThat((double) orange).isBetween(roseArea * 0.8, roseArea * 1.1);
    }

    private static boolean near(int v, int want) {
        return Math.abs(v - want) <= 24;
    }

    /** Runs headless Chromium on the gallery with {@code args}; returns what it printed. */
    private static byte[] chromium(Path chromium, Path dir, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + dir.resolve("profile")));
        cmd.addAll(List.of(args));
        cmd.add(dir.resolve("index.html").toUri().toString());
        Process p =
                new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return out;
    }

    private static Path findChromium() {
        for (String candidate :
                List.of(
                        "/usr/bin/chromium",
                        "/usr/bin/chromium-browser",
                        "/usr/bin/google-chrome")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
