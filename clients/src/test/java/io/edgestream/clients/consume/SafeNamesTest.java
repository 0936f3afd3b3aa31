package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeNamesTest {

    @Test
    void safeIdsAreKeptAsTheyAre() {
        assertThat(SafeNames.of("cam-1-000042")).isEqualTo("cam-1-000042");
        assertThat(SafeNames.of("sobel_x")).isEqualTo("sobel_x");
    }

    @Test
    void otherCharactersBecomeUnderscoresWithAHashSuffix() {
        String s = SafeNames.of("cam-1/3fa9c2");
        assertThat(s).matches("cam-1_3fa9c2~[0-9a-f]{10}");
        assertThat(SafeNames.of("cam-1/3fa9c2")).isEqualTo(s);
        assertThat(SafeNames.of("cam-1:3fa9c2")).isNotEqualTo(s).startsWith("cam-1_3fa9c2~");
        assertThat(SafeNames.of("cam-1_3fa9c2")).isEqualTo("cam-1_3fa9c2");
    }

    @Test
    void dotsSlashesAndLongIdsCannotEscapeTheOutputDirectory() {
        assertThat(SafeNames.of("..")).matches("_\\.~[0-9a-f]{10}");
        assertThat(SafeNames.of("../../etc/passwd")).doesNotContain("/").doesNotStartWith(".");
        assertThat(SafeNames.of("")).matches("~[0-9a-f]{10}");
        assertThat(SafeNames.of("x".repeat(300)).length()).isEqualTo(SafeNames.MAX_LENGTH + 11);
        assertThat(SafeNames.of("caméra 1")).matches("cam_ra_1~[0-9a-f]{10}");
    }

    @Test
    void windowsDeviceNamesAreNeverUsedAsTheyAre() {
        assertThat(SafeNames.of("CON")).matches("_CON~[0-9a-f]{10}");
        assertThat(SafeNames.of("nul.txt")).matches("_nul.txt~[0-9a-f]{10}");
        assertThat(SafeNames.of("com1")).startsWith("_com1~");
        assertThat(SafeNames.of("LPT\u00b9")).startsWith("LPT_~");
        assertThat(SafeNames.of("console")).isEqualTo("console");
        assertThat(SafeNames.of("com10")).isEqualTo("com10");
        assertThat(SafeNames.named("aux.jpg", "cam/1")).matches("_aux.jpg~[0-9a-f]{10}");
    }

    @Test
    void anImageNameIsKeptReadableInAnyScriptWithTheIdsHashForUniqueness() {
        String board1 = SafeNames.named("board.jpg", "cam-1/aaaa");
        String board2 = SafeNames.named("board.jpg", "cam-2/bbbb");
        assertThat(board1).matches("board\\.jpg~[0-9a-f]{10}");
        assertThat(board2).startsWith("board.jpg~").isNotEqualTo(board1);
        assertThat(SafeNames.named("board.jpg", "cam-1/aaaa"))
                .as("deterministic")
                .isEqualTo(board1);
        // The suffix is the id's: the same as an unnamed id's changed form would carry.
        assertThat(board1.substring(board1.indexOf('~')))
                .isEqualTo(SafeNames.changed("cam-1/aaaa").substring(10));

        assertThat(SafeNames.named("Straße am Fluß.png", "i")).startsWith("Straße_am_Fluß.png~");
        assertThat(SafeNames.named("東京タワー.jpg", "i")).startsWith("東京タワー.jpg~");
        // Decomposed (NFD, as macOS file names are) and composed forms give the same name.
        assertThat(SafeNames.named("cafe\u0301.jpg", "i"))
                .isEqualTo(SafeNames.named("café.jpg", "i"));
        // Controls, bidi overrides, zero-width and emoji are not letters: they become '_'.
        assertThat(SafeNames.named("evil\u202egnp.exe", "i")).startsWith("evil_gnp.exe~");
        assertThat(SafeNames.named("a\u200bb\u0000c\n.png", "i")).startsWith("a_b_c_.png~");
        assertThat(SafeNames.named("\ud83d\udcf7 cam.jpg", "i")).startsWith("__cam.jpg~");
    }

    @Test
    void anImageNameCannotEscapeTheOutputDirectoryOrGrowTooLong() {
        assertThat(SafeNames.named("../../etc/passwd", "i")).startsWith("_._.._etc_passwd~");
        assertThat(SafeNames.named("..", "i")).startsWith("_.~");
        assertThat(SafeNames.named(".hidden", "i")).startsWith("_hidden~");
        assertThat(SafeNames.named("C:\\x\\y.png", "i")).startsWith("C__x_y.png~");
        // At most 100 UTF-8 bytes before the suffix, cut between characters.
        String longName = SafeNames.named("é".repeat(80), "i");
        String kept = longName.substring(0, longName.indexOf('~'));
        assertThat(kept).isEqualTo("é".repeat(50));
        assertThat(longName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isEqualTo(100 + 11);
        String emoji = SafeNames.named("x" + "\ud83d\ude00".repeat(60), "i");
        assertThat(emoji.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(111);
        assertThat(emoji).doesNotContain("\ud83d");
    }
}
