package io.edgestream.clients.consume;

import io.edgestream.schemas.EdgeStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code OUT/index.html}: a self-contained static page (no scripts, no external resources) that a
 * person opens in a browser to look at the results: one card per image, headed by its name (the
 * input's file name, {@code EdgeStats.sourceName}) or, without one, its id, with its original
 * thumbnail when the consumer saved one ({@code --with-originals}), then per filter the 8-bit view
 * of the map, linked to the exact {@code .npy}, its key statistics (map size, tiles, min/max/mean,
 * edge fraction, latency), the histogram of its values and, for gradient filters, the rose of its
 * gradient directions, both inline SVG ({@link HistogramSvg}). Every text taken from records is
 * HTML-escaped; every link is relative and percent-encoded, so the directory can be moved or served
 * as it is.
 */
public final class Gallery {

    /** A dead letter, listed at the end of the page. */
    public record DeadView(String imageId, String reason, String message, String source) {}

    /** One filter's map of an image. */
    public record MapView(String filter, String fileBase, EdgeStats stats) {}

    /**
     * One image: its id, the name people know it by (its file name, or null), directory, optional
     * thumbnail, and its maps in arrival order.
     */
    public static final class ImageView {
        private final String imageId;
        private final String name;
        private final String dirName;
        private final Map<String, MapView> maps = new LinkedHashMap<>();
        private boolean hasOriginal;

        public ImageView(String imageId, String dirName) {
            this(imageId, null, dirName);
        }

        public ImageView(String imageId, String name, String dirName) {
            this.imageId = imageId;
            this.name = name == null || name.isBlank() ? null : name;
            this.dirName = dirName;
        }

        public String imageId() {
            return imageId;
        }

        /** The image's name ({@code EdgeStats.sourceName}), or null. */
        public String name() {
            return name;
        }

        /** The heading: the name, or the id if there is none. */
        public String title() {
            return name != null ? name : imageId;
        }

        public String dirName() {
            return dirName;
        }

        public boolean hasOriginal() {
            return hasOriginal;
        }

        public void setHasOriginal(boolean hasOriginal) {
            this.hasOriginal = hasOriginal;
        }

        public void put(MapView m) {
            maps.put(m.filter(), m);
        }

        public List<MapView> maps() {
            return new ArrayList<>(maps.values());
        }
    }

    private Gallery() {}

    /** Writes {@code OUT/index.html} for {@code images} (atomically). */
    public static void write(Path outDir, Collection<ImageView> images) throws IOException {
        write(outDir, images, List.of());
    }

    /** Writes {@code OUT/index.html} for {@code images} and {@code deadLetters} (atomically). */
    public static void write(Path outDir, Collection<ImageView> images, List<DeadView> deadLetters)
            throws IOException {
        Files.createDirectories(outDir);
        Path tmp = Files.createTempFile(outDir, ".tmp-", ".html");
        try {
            Files.writeString(tmp, html(images, deadLetters), StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    outDir.resolve("index.html"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The page's HTML. */
    public static String html(Collection<ImageView> images) {
        return html(images, List.of());
    }

    /** The page's HTML, with a table of dead letters if there are any. */
    public static String html(Collection<ImageView> images, List<DeadView> deadLetters) {
        StringBuilder sb = new StringBuilder(4096);
        int maps = 0;
        for (ImageView i : images) {
            maps += i.maps.size();
        }
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>edgestream results</title>\n<style>\n")
                .append(
                        "body{font-family:system-ui,sans-serif;margin:1.5em;background:#fafafa;color:#222}\n")
                .append(
                        ".image{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1em;margin-bottom:1.5em}\n")
                .append(".row{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}\n")
                .append("figure{margin:0;max-width:280px}\n")
                .append(
                        "figure img{max-width:256px;max-height:256px;image-rendering:pixelated;border:1px solid #ccc;background:#888}\n")
                .append(
                        "figcaption{font-size:0.85em}\ntable{border-collapse:collapse;font-size:0.8em}\n")
                .append("td{padding:0 0.5em 0 0}\nh2{font-size:1.1em;word-break:break-all}\n")
                .append(
                        ".id{font-size:0.8em;color:#555;word-break:break-all}\nsvg{display:block}\n")
                .append(".none{color:#888;font-style:italic}\n</style>\n</head>\n<body>\n")
                .append("<h1>edgestream results</h1>\n<p>")
                .append(images.size())
                .append(" images, ")
                .append(maps)
                .append(" edge maps; written ")
                .append(escape(Instant.now().toString()))
                .append(". PNG views are 8-bit: signed maps 128 + 127&middot;v/max|v| (grey = 0),")
                .append(
                        " magnitudes 255&middot;v/max (black = 0); the float32 values (exact unless")
                .append(" the job sent the map as FLOAT16 or UINT8) are in the linked")
                .append(
                        " <code>.npy</code> files, the statistics in <code>stats.jsonl</code>.</p>\n");
        for (ImageView img : images) {
            sb.append("<section class=\"image\" id=\"")
                    .append(escape(img.dirName))
                    .append("\">\n<h2>")
                    .append(escape(img.title()))
                    .append("</h2>\n");
            if (img.name != null) {
                sb.append("<p class=\"id\">image id <code>")
                        .append(escape(img.imageId))
                        .append("</code></p>\n");
            }
            EdgeStats first =
                    img.maps.isEmpty() ? null : img.maps.values().iterator().next().stats();
            if (first != null) {
                sb.append("<p>source id <code>")
                        .append(escape(first.getSourceId()))
                        .append("</code>")
                        .append(
                                first.getBatchId() == null
                                        ? ""
                                        : ", batch " + escape(first.getBatchId()))
                        .append(", input ")
                        .append(first.getInputWidth())
                        .append("&times;")
                        .append(first.getInputHeight())
                        .append("</p>\n");
            }
            sb.append("<div class=\"row\">\n");
            String dir = urlPath(img.dirName);
            if (img.hasOriginal) {
                sb.append("<figure><a href=\"")
                        .append(dir)
                        .append("/original.png\"><img src=\"")
                        .append(dir)
                        .append("/original.png\" alt=\"original of ")
                        .append(escape(img.imageId))
                        .append("\"></a><figcaption>original</figcaption></figure>\n");
            } else {
                sb.append("<figure><p class=\"none\">no original")
                        .append(" (consume with --with-originals)</p></figure>\n");
            }
            if (img.maps.isEmpty()) {
                sb.append("<figure><p class=\"none\">no edge maps yet</p></figure>\n");
            }
            for (MapView m : img.maps.values()) {
                String base = dir + "/" + urlPath(m.fileBase());
                EdgeStats s = m.stats();
                sb.append("<figure class=\"map\" data-filter=\"")
                        .append(escape(m.filter()))
                        .append("\"><a href=\"")
                        .append(base)
                        .append(".npy\"><img src=\"")
                        .append(base)
                        .append(".png\" alt=\"")
                        .append(escape(m.filter()))
                        .append(" edge map of ")
                        .append(escape(img.imageId))
                        .append("\"></a><figcaption><b>")
                        .append(escape(m.filter()))
                        .append("</b><table>\n");
                row(
                        sb,
                        "map",
                        s.getMapWidth()
                                + "&times;"
                                + s.getMapHeight()
                                + (s.getChannels() == 1 ? "" : "&times;" + s.getChannels()));
                row(sb, "tiles", String.valueOf(s.getTileCount()));
                row(sb, "min / max", num(s.getMin()) + " / " + num(s.getMax()));
                row(sb, "mean (|mean|)", num(s.getMean()) + " (" + num(s.getMeanAbs()) + ")");
                row(
                        sb,
                        "edge fraction",
                        String.format(Locale.ROOT, "%.2f%%", 100 * s.getEdgeFraction())
                                + " (|v| &gt; "
                                + num(s.getEdgeThreshold())
                                + ")");
                if (s.getIngestTimeMs() > 0 && s.getCompletedTimeMs() >= s.getIngestTimeMs()) {
                    row(sb, "latency", (s.getCompletedTimeMs() - s.getIngestTimeMs()) + " ms");
                }
                sb.append("</table>")
                        .append(HistogramSvg.response(s.getHistogram(), m.filter()))
                        .append(HistogramSvg.orientation(s.getOrientationHistogram(), m.filter()))
                        .append("</figcaption></figure>\n");
            }
            sb.append("</div>\n</section>\n");
        }
        if (images.isEmpty()) {
            sb.append("<p class=\"none\">No complete edge maps yet.</p>\n");
        }
        if (!deadLetters.isEmpty()) {
            sb.append("<h2>Dead letters (")
                    .append(deadLetters.size())
                    .append(")</h2>\n<table class=\"dlq\">\n")
                    .append(
                            "<tr><th>image</th><th>reason</th><th>message</th><th>record</th></tr>\n");
            for (DeadView d : deadLetters) {
                sb.append("<tr><td>")
                        .append(escape(d.imageId() == null ? "(unknown)" : d.imageId()))
                        .append("</td><td>")
                        .append(escape(d.reason()))
                        .append("</td><td>")
                        .append(escape(d.message()))
                        .append("</td><td>")
                        .append(escape(d.source()))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append("<tr><td>").append(k).append("</td><td>").append(v).append("</td></tr>\n");
    }

    static String num(double d) {
        if (!Double.isFinite(d)) {
            return String.valueOf(d);
        }
        return Math.abs(d) >= 1e5 || (d != 0 && Math.abs(d) < 1e-3)
                ? String.format(Locale.ROOT, "%.3g", d)
                : String.format(Locale.ROOT, "%.3f", d).replaceAll("\\.?0+$", "");
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A safe name (see {@link SafeNames}) as a relative URL path segment: the unreserved characters
     * of RFC 3986 ({@code A-Z a-z 0-9 - . _ ~}) as they are, everything else (letters of other
     * scripts) as percent-encoded UTF-8.
     */
    static String urlPath(String safeName) {
        StringBuilder sb = new StringBuilder(safeName.length() + 16);
        for (byte b : safeName.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }
}
