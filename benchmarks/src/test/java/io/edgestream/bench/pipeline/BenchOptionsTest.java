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

    @Test
    void theCeilingForThePythonServicesRecordsIsARunOfItsOwnAndRunsByDefault() {
        assertThat(BenchOptions.parse(new String[0]).runs)
                .containsExactly("edge", "copy", "ceiling", "ceiling-per-map", "python");
        assertThat(BenchOptions.parse(new String[] {"--runs", "edge,ceiling-per-map"}).runs)
                .containsExactly("edge", "ceiling-per-map");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--runs", "edge,per-map"}))
                .hasMessageContaining(
                        "--runs takes edge, copy, ceiling, ceiling-per-map, python; got 'per-map'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--runs", "ceiling-per-map"}))
                .hasMessageContaining("--runs must include edge");
    }

    @Test
    void aFreshStackIsWarmedByAnUnrecordedPassUnlessAskedNotTo() {
        assertThat(BenchOptions.parse(new String[0]).stackWarmup).isTrue();
        assertThat(BenchOptions.parse(new String[] {"--no-stack-warmup"}).stackWarmup).isFalse();
        assertThat(BenchOptions.parse(new String[] {"--quick", "--no-stack-warmup"}).quick)
                .isTrue();
    }
}
