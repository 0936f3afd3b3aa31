package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuTimesTest {

    @Test
    void shouldAddUserAndSystemTimeCountingFieldsAfterTheCommandName() {
        // A command name with spaces and a parenthesis, as /proc prints it.
        String line =
                "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 40 0 100 5000000 300 18446744073709551615";
        assertThat(CpuTimes.ticksOfStatLine(line)).isEqualTo(1234 + 567);
    }

    @Test
    void shouldRefuseALineThatIsNotAStatLine() {
        assertThatThrownBy(() -> CpuTimes.ticksOfStatLine("garbage"))
                .hasMessageContaining("/proc/<pid>/stat");
    }

    @Test
    void shouldMeasureThisProcessAndSubtractSamplesByRole() {
        CpuTimes cpu =
                new CpuTimes(
                        Map.of("self", List.of(ProcessHandle.current().pid())),
                        CpuTimes.clockTicksPerSecond());
        Map<String, Double> a = cpu.sampleMs();
        assertThat(a.get("self")).isPositive();
        assertThat(CpuTimes.difference(Map.of("self", 10.0), Map.of("self", 25.0)))
                .containsEntry("self", 15.0);
    }
}
