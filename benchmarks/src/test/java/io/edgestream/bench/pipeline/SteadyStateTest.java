package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SteadyStateTest {

    private static SteadyState.Progress at(long ms, long images, double tmCpuMs) {
        return new SteadyState.Progress(ms, images, Map.of("taskmanagers", tmCpuMs));
    }

    @Test
    void shouldCountOnlyTheImagesCommittedAfterTheWarmup() {
        List<SteadyState.Progress> p =
                List.of(
                        at(1_000, 4, 100),
                        at(2_000, 10, 900),
                        at(3_000, 30, 2_900),
                        at(5_000, 70, 6_900));
        SteadyState.Window w = SteadyState.window(p, 10);

        assertThat(w.start().timeMs()).isEqualTo(2_000);
        assertThat(w.commits()).isEqualTo(2);
        assertThat(w.images()).isEqualTo(60);
        assertThat(w.seconds()).isEqualTo(3.0);
        assertThat(w.imagesPerSecond()).isCloseTo(20.0, within(1e-12));
        assertThat(w.cpuMs()).containsEntry("taskmanagers", 6_000.0);
    }

    @Test
    void shouldStartAtTheFirstCommitPastTheWarmupWhenNoneHitsItExactly() {
        List<SteadyState.Progress> p = List.of(at(1_000, 8, 0), at(2_000, 16, 0), at(4_000, 40, 0));
        assertThat(SteadyState.window(p, 10).images()).isEqualTo(24);
    }

    @Test
    void shouldRefuseAWindowWithoutTwoCommitsAfterTheWarmup() {
        assertThatThrownBy(() -> SteadyState.window(List.of(at(1_000, 5, 0), at(2_000, 40, 0)), 10))
                .hasMessageContaining("at least two commits after the warm-up");
        assertThatThrownBy(() -> SteadyState.window(List.of(), 0))
                .hasMessageContaining("no steady-state window");
    }
}
