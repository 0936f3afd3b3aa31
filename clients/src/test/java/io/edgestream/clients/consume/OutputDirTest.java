package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.EdgeStats;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirTest {

    /** Hostile image ids and the directory names they must get (hash: SHA-256 of the id). */
    private static final Map<String, String> HOSTILE =
            Map.ofEntries(
                    Map.entry("cam-1/3fa9c2", "cam-1_3fa9c2~4c89102ad6"),
                    Map.entry("..", "_.~5ec1f7e700"),
                    Map.entry(".", "_~cdb4ee2aea"),
                    Map.entry("../../etc/passwd", "_._.._etc_passwd~3754d6cb3a"),
                    Map.entry("/etc/passwd", "_etc_passwd~74acf31844"),
                    Map.entry("", "~e3b0c44298"),
                    Map.entry("a\u0000b", "a_b~59b271ae1b"),
                    Map.entry("C:\\Windows\\x", "C__Windows_x~615ed26b1b"),
                    Map.entry("caméra 1", "cam_ra_1~92720615c2"),
                    Map.entry("sobel/../../x", "sobel_.._.._x~bddc72efee"),
                    Map.entry("CON", "_CON~a3dbc4b644"),
                    Map.entry("nul.txt", "_nul.txt~7f3cbdd58a"));

    @Test
    void plainIdsAreKeptAndHostileOnesGetSafeDistinctNames() {
        assertThat(OutputDir.dirName("cam-1-000042")).isEqualTo("cam-1-000042");
        assertThat(OutputDir.fileBase("sobel_x")).isEqualTo("sobel_x");
        HOSTILE.forEach(
                (id, name) -> assertThat(OutputDir.dirName(id)).as("id '%s'", id).isEqualTo(name));
        assertThat(OutputDir.dirName("x".repeat(300))).isEqualTo("x".repeat(100) + "~0d4e2ca9e9");
        assertThat(HOSTILE.values().stream().distinct()).hasSize(HOSTILE.size());
    }

    @Test
    void anImageWithANameGetsAFolderAfterItAndOneWithoutAfterItsId() {
        assertThat(OutputDir.dirName("files/3fa9c2", "board.jpg"))
                .isEqualTo(SafeNames.named("board.jpg", "files/3fa9c2"))
                .startsWith("board.jpg~");
        assertThat(OutputDir.dirName("files/3fa9c2", null))
                .isEqualTo(OutputDir.dirName("files/3fa9c2"));
        assertThat(OutputDir.dirName("files/3fa9c2", " "))
                .isEqualTo(OutputDir.dirName("files/3fa9c2"));
        // A name like one of the tool's own files still gets a '~' suffix.
        assertThat(OutputDir.dirName("x", "index.html")).startsWith("index.html~");
    }

    @Test
    void anIdNamedLikeTheToolsOwnFilesGetsAnotherName(@TempDir Path root) throws Exception {
        assertThat(OutputDir.dirName("stats.jsonl")).isEqualTo("stats.jsonl~dbfc4c4f26");
        assertThat(OutputDir.dirName("index.html")).isEqualTo("index.html~0eb5473046");
        assertThat(OutputDir.dirName("INDEX.HTML")).isEqualTo("INDEX.HTML~d545fe5d36");
        assertThat(OutputDir.dirName("dead-letters.jsonl"))
                .isEqualTo("dead-letters.jsonl~77480755be");
        assertThat(OutputDir.dirName("original")).isEqualTo("original");
        assertThat(OutputDir.fileBase("original")).isEqualTo("original~0682c5f207");
        assertThat(OutputDir.fileBase("Original")).isEqualTo("Original~88d759ea02");
        assertThat(OutputDir.fileBase("stats.jsonl")).isEqualTo("stats.jsonl");

        ImageF32 map = MapRecords.map(3, 2, 1);
        try (OutputDir out = OutputDir.open(root)) {
            out.writeMap("stats.jsonl", "original", map, MapRecords.stats("x", "y", map, 1));
            out.writeOriginal("stats.jsonl", new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY));
            out.writeGallery(List.of(), List.of());
        }
        assertThat(root.resolve("stats.jsonl"))
                .isRegularFile()
                .hasContent(StatsJson.line(MapRecords.stats("x", "y", map, 1)));
        assertThat(root.resolve("index.html")).isRegularFile();
        Path dir = root.resolve("stats.jsonl~dbfc4c4f26");
        assertThat(dir.resolve("original~0682c5f207.npy")).isRegularFile();
        assertThat(dir.resolve("original~0682c5f207.png")).isRegularFile();
        assertThat(dir.resolve("original.png")).isRegularFile();
    }

    @Test
    void noImageIdOrFilterNameLeadsOutOfTheOutputDirectory(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("out");
        ImageF32 map = MapRecords.map(3, 2, 1);
        try (OutputDir out = OutputDir.open(root)) {
            for (String id : HOSTILE.keySet()) {
                Path dir = out.imageDir(id);
                assertThat(dir.getParent()).isEqualTo(root);
                assertThat(dir.getFileName().toString()).isEqualTo(HOSTILE.get(id));
                // The same hostile text as a filter name.
                OutputDir.MapFiles files =
                        out.writeMap(id, id, map, MapRecords.stats(id, id, map, 1));
                assertThat(files.npy())
                        .isEqualTo(root.resolve(HOSTILE.get(id)).resolve(HOSTILE.get(id) + ".npy"));
                assertThat(files.png().getParent()).isEqualTo(dir);
            }
        }
        List<Path> written;
        try (Stream<Path> walk = Files.walk(tmp)) {
            written = walk.filter(Files::isRegularFile).toList();
        }
        // Two files per id, and stats.jsonl: everything inside OUT, one level below at most.
        assertThat(written).hasSize(2 * HOSTILE.size() + 1);
        for (Path p : written) {
            assertThat(p.normalize()).startsWith(root);
            assertThat(root.relativize(p).getNameCount()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void namesThatAreNotAPlainChildAreRefused(@TempDir Path root) {
        for (String bad : List.of("", ".", "..", "a/b", "/etc", "../x")) {
            assertThatThrownBy(() -> OutputDir.child(root, bad))
                    .as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a plain name inside");
        }
        assertThat(OutputDir.child(root, "a~1.npy")).isEqualTo(root.resolve("a~1.npy"));
    }

    @Test
    void aMapIsWrittenAsNpyPngAndAStatsLine(@TempDir Path root) throws Exception {
        ImageF32 map = MapRecords.map(7, 5, 1);
        EdgeStats stats = MapRecords.stats("cam/7", "laplacian", map, 2);
        OutputDir.MapFiles files;
        try (OutputDir out = OutputDir.open(root)) {
            assertThat(root.resolve("stats.jsonl")).exists();
            files = out.writeMap("cam/7", "laplacian", map, stats);
        }
        Path dir = root.resolve("cam_7~f544702a1c");
        assertThat(files.npy()).isEqualTo(dir.resolve("laplacian.npy"));
        assertThat(files.png()).isEqualTo(dir.resolve("laplacian.png"));
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        NpyWriter.write(map, npy);
        assertThat(Files.readAllBytes(files.npy())).isEqualTo(npy.toByteArray());
        BufferedImage png = ImageIO.read(files.png().toFile());
        assertThat(png.getWidth()).isEqualTo(7);
        assertThat(png.getHeight()).isEqualTo(5);
        // Signed map: -100 is the strongest negative response, 1, and 0 would be 128.
        assertThat(png.getRaster().getSample(0, 0, 0)).isEqualTo(1);
        assertThat(Files.readAllLines(root.resolve("stats.jsonl")))
                .containsExactly(StatsJson.line(stats));
    }

    @Test
    void originalsAndDeadLettersGoWhereTheGalleryLooks(@TempDir Path root) throws Exception {
        DeadLetter d =
                DeadLetter.newBuilder()
                        .setSourceTopic("images")
                        .setSourcePartition(1)
                        .setSourceOffset(42)
                        .setSourceTimestampMs(7)
                        .setKey(null)
                        .setImageId("cam/\"9\"")
                        .setReason(DeadLetterReason.UNDECODABLE_IMAGE)
                        .setMessage("bad\nheader")
                        .setFailedAtMs(9)
                        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
                        .build();
        try (OutputDir out = OutputDir.open(root)) {
            Path original =
                    out.writeOriginal(
                            "cam-1", new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY));
            assertThat(original).isEqualTo(root.resolve("cam-1/original.png"));
            assertThat(ImageIO.read(original.toFile()).getWidth()).isEqualTo(4);
            out.appendDeadLetter(d);
            out.appendDeadLetter(d);
        }
        String line =
                "{\"sourceTopic\":\"images\",\"sourcePartition\":1,\"sourceOffset\":42,"
                        + "\"sourceTimestampMs\":7,\"imageId\":\"cam/\\\"9\\\"\","
                        + "\"reason\":\"UNDECODABLE_IMAGE\",\"message\":\"bad\\nheader\","
                        + "\"failedAtMs\":9,\"payloadBytes\":4}";
        assertThat(OutputDir.deadLetterLine(d)).isEqualTo(line);
        assertThat(Files.readAllLines(root.resolve("dead-letters.jsonl")))
                .containsExactly(line, line);
    }
}
