package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * index.html renders in a real browser: headless Chromium takes a screenshot of a gallery whose
 * edge-map view is a solid green square, and the square must be on the screenshot (so the page laid
 * out and its relative image links resolved). Skipped when no Chromium is installed ({@code
 * .ci/run} installs Debian's {@code chromium}).
 */
class GalleryRenderTest {

    private static final int GREEN = 0x00C800;

    @Test
    @Timeout(120)
    void galleryRendersItsEdgeMapsInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path chromium = findChromium();
        assumeTrue(chromium != null, "no chromium on this machine");

        Gallery.ImageView image = new Gallery.ImageView("cam-1/000001", "cam-1_000001");
        image.put(
                new Gallery.MapView(
                        "sobel", "sobel", JsonTest.sampleStats("cam-1/000001", "batch-1")));
        Path mapDir = Files.createDirectories(dir.resolve("cam-1_000001"));
        BufferedImage square = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 200; x++) {
                square.setRGB(x, y, GREEN);
            }
        }
        ImageIO.write(square, "png", mapDir.resolve("sobel.png").toFile());
        Gallery.write(dir, List.of(image), List.of());

        Path shot = dir.resolve("shot.png");
        Process p =
                new ProcessBuilder(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + dir.resolve("profile"),
                                "--window-size=1000,900",
                                "--screenshot=" + shot,
                                dir.resolve("index.html").toUri().toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("chromium.log").toFile())
                        .start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(shot)
                .as("screenshot (chromium log: %s)", Files.readString(dir.resolve("chromium.log")))
                .exists();

        BufferedImage rendered = ImageIO.read(shot.toFile());
        int green = 0;
        for (int y = 0; y < rendered.getHeight(); y++) {
            for (int x = 0; x < rendered.getWidth(); x++) {
                int rgb = rendered.getRGB(x, y) & 0xFFFFFF;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (r < 40 && g > 160 && b < 40) {
                    green++;
                }
            }
        }
        // The 200x200 view is shown at its own size (max 256 px): nearly all of it is visible.
        assertThat(green).isBetween(35_000, 41_000);
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
