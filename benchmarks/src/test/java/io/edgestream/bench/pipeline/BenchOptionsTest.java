package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void aFilterOverrideBelongsToTheEncodingBeforeIt() {
        assertThat(BenchOptions.encodings("float32,INT16,sobel=float16,laplacian=NONE,FLOAT16"))
                .containsExactly("FLOAT32", "INT16,sobel=FLOAT16,laplacian=NONE", "FLOAT16");
        assertThat(BenchOptions.encodings("INT16")).containsExactly("INT16");
    }

    @Test
    void anOverrideWithoutAnEncodingIsRefusedWithAnExample() {
        assertThatThrownBy(() -> BenchOptions.encodings("sobel=FLOAT16,INT16"))
                .hasMessageContaining("e.g. INT16,sobel=FLOAT16");
    }
}
