package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryTest {

    @Test
    void listsEveryImageAndFilterWithLinksAndEscapedText(@TempDir Path dir) throws Exception {
        Gallery.ImageView a = new Gallery.ImageView("cam-1/<a&b>", SafeNames.of("cam-1/<a&b>"));
        a.setHasOriginal(true);
        a.put(
                new Gallery.MapView(
                        "sobel", "sobel", JsonTest.sampleStats("cam-1/<a&b>", "batch-1")));
        a.put(
                new Gallery.MapView(
                        "laplacian", "laplacian", JsonTest.sampleStats("cam-1/<a&b>", "batch-1")));
        Gallery.ImageView b = new Gallery.ImageView("cam-2-7", "cam-2-7");
        b.put(new Gallery.MapView("sobel", "sobel", JsonTest.sampleStats("cam-2-7", null)));
        Gallery.write(
                dir,
                List.of(a, b),
                List.of(
                        new Gallery.DeadView(
                                "bad<1>", "UNDECODABLE_IMAGE", "corrupt \"PNG\"", "images-0@3")));
        String html = Files.readString(dir.resolve("index.html"));
        String dirA = SafeNames.of("cam-1/<a&b>");
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<h2>cam-1/&lt;a&amp;b&gt;</h2>")
                .contains("src=\"" + dirA + "/original.png\"")
                .contains("src=\"" + dirA + "/sobel.png\"")
                .contains("href=\"" + dirA + "/sobel.npy\"")
                .contains("src=\"" + dirA + "/laplacian.png\"")
                .contains("src=\"cam-2-7/sobel.png\"")
                .contains("no original")
                .contains("12.50%")
                .contains("200 ms")
                .contains("batch batch-1")
                .contains("bad&lt;1&gt;")
                .contains("corrupt &quot;PNG&quot;")
                .doesNotContain("<a&b>")
                .doesNotContain("<script");
        assertThat(html.split("class=\"map\"", -1)).hasSize(4);
        assertThat(html).endsWith("</html>\n");
    }
}
