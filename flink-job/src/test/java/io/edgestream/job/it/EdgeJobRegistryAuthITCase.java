package io.edgestream.job.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.RegistrySubjects;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.testing.registry.ApicurioRegistry;
import io.edgestream.testing.registry.ApicurioRegistryExtension;
import java.util.Map;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's start-up step against a real Apicurio Registry that requires HTTP basic authentication:
 * with the right {@code registry.basic.auth} the output subjects are prepared; with a wrong one the
 * job refuses to start with an error that names the options to fix and never contains a password,
 * nor does the printed configuration.
 */
class EdgeJobRegistryAuthITCase {
    private static final String PASSWORD = "Job-registry-pw-" + System.nanoTime();

    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY =
            new ApicurioRegistryExtension(
                    ApicurioRegistry.settings().basicAuthUser("job", PASSWORD));

    private static EdgeJobOptions options(Topics t, String userInfo) {
        return EdgeJobOptions.of(
                Map.of(
                        EdgeJobOptions.TOPIC_IMAGES.key(), t.images(),
                        EdgeJobOptions.TOPIC_MAPS.key(), t.maps(),
                        EdgeJobOptions.TOPIC_STATS.key(), t.stats(),
                        EdgeJobOptions.TOPIC_DLQ.key(), t.dlq(),
                        EdgeJobOptions.WIRE_FORMAT.key(), "registry",
                        EdgeJobOptions.REGISTRY_URL.key(), REGISTRY.ccompatUrl(),
                        EdgeJobOptions.REGISTRY_BASIC_AUTH.key(), userInfo));
    }

    @Test
    @Timeout(60)
    void rightCredentialsPrepareEveryOutputSubject() {
        Topics t = Topics.fresh("reg-auth-ok");
        EdgeJobOptions o = options(t, "job:" + PASSWORD);

        Map<String, Integer> ids = RegistrySubjects.prepare(o);

        assertThat(ids)
                .containsOnlyKeys(t.maps() + "-value", t.stats() + "-value", t.dlq() + "-value");
        assertThat(o.describe()).doesNotContain(PASSWORD).contains("registry.basic.auth = ******");
    }

    @Test
    @Timeout(60)
    void refusedCredentialsStopTheStartWithoutPrintingThem() {
        String wrong = "Wrong-pw-" + System.nanoTime();
        EdgeJobOptions o = options(Topics.fresh("reg-auth-wrong"), "job:" + wrong);

        assertThatThrownBy(() -> RegistrySubjects.prepare(o))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the job's credentials")
                .hasMessageContaining("registry.basic.auth / registry.bearer.token")
                .hasMessageContaining("basic-auth credentials (value not shown)")
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .doesNotContain(wrong)
                                        .doesNotContain(PASSWORD));
        assertThat(o.describe()).doesNotContain(wrong);
    }
}
