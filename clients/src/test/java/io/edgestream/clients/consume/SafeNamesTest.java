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
}
