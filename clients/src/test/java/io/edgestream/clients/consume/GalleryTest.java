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

    @Test
    void anImageIsHeadedByItsFileNameWithItsIdBelowAndChartsPerMap(@TempDir Path dir)
            throws Exception {
        String id = "files/3fa9c2d1e0b4a5f6";
        String name = "Straße <1>.jpg";
        Gallery.ImageView a = new Gallery.ImageView(id, name, OutputDir.dirName(id, name));
        io.edgestream.schemas.EdgeStats sobel = JsonTest.sampleStats(id, null);
        sobel.setSourceName(name);
        sobel.setOrientationHistogram(List.of(5L, 1L, 0L, 2L));
        io.edgestream.schemas.EdgeStats lap = JsonTest.sampleStats(id, null);
        lap.setFilter("laplacian");
        a.put(new Gallery.MapView("sobel", "sobel", sobel));
        a.put(new Gallery.MapView("laplacian", "laplacian", lap));
        Gallery.write(dir, List.of(a), List.of());
        String html = Files.readString(dir.resolve("index.html"));
        String dirName = OutputDir.dirName(id, name);
        assertThat(dirName).startsWith("Straße__1_.jpg~");
        assertThat(html)
                .contains("<h2>Straße &lt;1&gt;.jpg</h2>")
                .contains("<p class=\"id\">image id <code>" + id + "</code></p>")
                .contains("<p>source id <code>cam-1</code>, input ")
                .contains(
                        "src=\"Stra%C3%9Fe__1_.jpg~"
                                + dirName.substring(dirName.indexOf('~') + 1)
                                + "/sobel.png\"");
        // Both maps have a response histogram (2 non-empty bins each); only sobel has a rose.
        assertThat(html.split("<svg class=\"hist\"", -1)).hasSize(3);
        assertThat(html.split("class=\"bar\"", -1)).hasSize(5);
        assertThat(html.split("<svg class=\"rose\"", -1)).hasSize(2);
        assertThat(html.split("class=\"wedge\"", -1)).hasSize(4);
        assertThat(html)
                .doesNotContain("<script")
                .doesNotContain("src=\"http")
                .doesNotContain("href=\"http");
    }

    @Test
    void urlPathsPercentEncodeEverythingButUnreservedCharacters() {
        assertThat(Gallery.urlPath("cam-1_x.y~0a")).isEqualTo("cam-1_x.y~0a");
        assertThat(Gallery.urlPath("東京")).isEqualTo("%E6%9D%B1%E4%BA%AC");
    }
}
