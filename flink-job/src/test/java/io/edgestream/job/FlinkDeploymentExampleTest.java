package io.edgestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgestream.schemas.kafka.Secrets;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink Kubernetes Operator example ({@code docker/kubernetes/}), checked offline: no
 * Kubernetes cluster runs here. The YAML is read into the operator's own {@code FlinkDeployment}
 * model (flink-kubernetes-operator-api; every field must be one the model knows), its job args are
 * parsed by the job's option parser, and its {@code flinkConfiguration} is what the job then keeps.
 *
 * <p>The newest operator API on the Maven repository reachable here is 1.10.0, whose {@code
 * FlinkVersion} ends at {@code v1_20}: {@code flinkVersion: v2_2} is checked against the pom's
 * Flink version instead, and removed before the model reads the rest.
 */
class FlinkDeploymentExampleTest {

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @TempDir Path tmp;

    private static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("docker/kubernetes"))
                    && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException(
                "no docker/kubernetes/ above " + Path.of("").toAbsolutePath());
    }

    private static String read(String path) throws IOException {
        return Files.readString(root().resolve(path), StandardCharsets.UTF_8);
    }

    private static String flinkVersion() throws IOException {
        Matcher m =
                Pattern.compile("<flink.version>([^<]+)</flink.version>").matcher(read("pom.xml"));
        assertThat(m.find()).as("flink.version in the root pom").isTrue();
        return m.group(1);
    }

    /** The example as the operator's model, after checking and removing {@code flinkVersion}. */
    private static FlinkDeployment deployment() throws IOException {
        JsonNode tree = YAML.readTree(read("docker/kubernetes/flink-deployment.yaml"));
        ObjectNode spec = (ObjectNode) tree.get("spec");
        String[] v = flinkVersion().split("\\.");
        assertThat(spec.get("flinkVersion").asText()).isEqualTo("v" + v[0] + "_" + v[1]);
        spec.remove("flinkVersion");
        FlinkDeployment d = YAML.treeToValue(tree, FlinkDeployment.class);
        // The operator's spec classes ignore fields they do not know: a misspelled field would be
        // dropped without a word. Every field of the file must survive a round trip through the
        // model. (Inside the podTemplate, fabric8 keeps unknown fields as additional properties,
        // so a misspelling there is not caught.)
        assertKnown(tree, YAML.valueToTree(d), "");
        return d;
    }

    private static void assertKnown(JsonNode given, JsonNode model, String path) {
        assertThat(model).as("field %s is unknown to the operator's model", path).isNotNull();
        if (given.isObject()) {
            given.fieldNames()
                    .forEachRemaining(f -> assertKnown(given.get(f), model.get(f), path + "/" + f));
        } else if (given.isArray()) {
            for (int i = 0; i < given.size(); i++) {
                assertKnown(given.get(i), model.get(i), path + "/" + i);
            }
        }
    }

    @Test
    void shouldDescribeAnApplicationModeJobUpgradedWithSavepoints() throws IOException {
        FlinkDeployment d = deployment();
        FlinkDeploymentSpec spec = d.getSpec();
        assertThat(d.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.getKind()).isEqualTo("FlinkDeployment");
        // Application mode: a job spec with a jar inside the image, not a session cluster.
        assertThat(spec.getJob()).isNotNull();
        assertThat(spec.getJob().getJarURI()).startsWith("local:///opt/flink/usrlib/");
        assertThat(spec.getJob().getEntryClass()).isEqualTo(EdgeJob.class.getName());
        assertThat(spec.getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(spec.getJob().getState()).isEqualTo(JobState.RUNNING);
        assertThat(spec.getJob().getParallelism()).isEqualTo(4);
        // Savepoint upgrades need a savepoint directory; checkpoints and HA need theirs.
        assertThat(spec.getFlinkConfiguration())
                .containsKeys(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir");
        assertThat(spec.getFlinkConfiguration().get("env.java.opts.all"))
                .isEqualTo("--add-modules=jdk.incubator.vector");
        // Prometheus on every pod, as on the local stack and in Compose (docs/metrics.md).
        assertThat(spec.getFlinkConfiguration())
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .containsEntry("metrics.reporter.prom.port", "9249");
        assertThat(spec.getPodTemplate().getSpec().getContainers().get(0).getPorts())
                .singleElement()
                .satisfies(
                        port -> {
                            assertThat(port.getName()).isEqualTo("metrics");
                            assertThat(port.getContainerPort()).isEqualTo(9249);
                        });
        assertThat(spec.getTaskManager().getReplicas()).isEqualTo(2);
        assertThat(spec.getJobManager().getResource().getMemory()).isEqualTo("1024m");
    }

    @Test
    void shouldRunTheImageAndJarThatDockerBuilds() throws IOException {
        FlinkDeploymentSpec spec = deployment().getSpec();
        String dockerfile = read("docker/Dockerfile");
        String compose = read("docker/docker-compose.yml");
        assertThat(dockerfile).contains("ARG FLINK_IMAGE=flink:" + flinkVersion() + "-java21");
        String jar = spec.getJob().getJarURI().substring("local://".length());
        assertThat(dockerfile).containsPattern("COPY [^\\n]*-job\\.jar " + Pattern.quote(jar));
        assertThat(compose).contains("image: " + spec.getImage());
    }

    /**
     * The compose file's {@code FLINK_PROPERTIES} as the flink:2.2.1 image's entrypoint reads them:
     * every line is a setting ('#' lines too) and every space of a line is deleted
     * (apache/flink-docker, 2.2 branch), so a comment line would become a bogus setting and
     * "--add-modules jdk.incubator.vector" one unknown JVM option. Compose replaces {@code ${...}}
     * first.
     */
    @Test
    void shouldGiveFlinkPropertiesTheImagesEntrypointReadsAsWritten() throws IOException {
        JsonNode compose = YAML.readTree(read("docker/docker-compose.yml"));
        String block = compose.get("x-flink-properties").asText();
        List<String> lines = block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(10);
        Pattern setting = Pattern.compile("[A-Za-z0-9.\\-]+: [^\\s#]+");
        for (String line : lines) {
            String interpolated = line.replaceAll("\\$\\{[^}]*\\}", "X");
            assertThat(interpolated)
                    .as(
                            "FLINK_PROPERTIES line '%s': 'key: value', no comment, no space in the value",
                            line)
                    .matches(setting);
        }
        assertThat(lines)
                .contains(
                        "env.java.opts.taskmanager: --add-modules=jdk.incubator.vector",
                        "metrics.reporter.prom.port: 9249");
    }

    @Test
    void shouldPassJobArgsTheJobAcceptsAndLeaveCheckpointsAndRestartsToTheCluster()
            throws IOException {
        FlinkDeploymentSpec spec = deployment().getSpec();
        // The Secret's properties file, here its template, where --config points.
        Path secret = tmp.resolve("kafka-client.properties");
        Files.copy(root().resolve("docker/kubernetes/kafka-client.properties.example"), secret);
        List<String> args = new ArrayList<>(Arrays.asList(spec.getJob().getArgs()));
        int config = args.indexOf("--" + EdgeJobOptions.CONFIG);
        assertThat(config).isZero();
        assertThat(args.get(config + 1)).startsWith(secretMountPath(spec) + "/");
        args.set(config + 1, secret.toString());

        EdgeJobOptions o = EdgeJobOptions.fromArgs(args.toArray(String[]::new));
        assertThat(o.bootstrapServers()).isEqualTo("kafka-bootstrap.kafka.svc:9093");
        assertThat(o.kafkaProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config");
        assertThat(o.describe()).contains("kafka.sasl.jaas.config = ******");

        // The job gives none of the checkpoint and restart options: the operator's
        // flinkConfiguration decides them, and the transaction timeout fits them.
        Map<String, String> flinkConf = spec.getFlinkConfiguration();
        FlinkSettings s = FlinkSettings.resolve(o, Configuration.fromMap(flinkConf));
        assertThat(s.lines())
                .filteredOn(l -> l.key().startsWith("execution.checkpointing.interval"))
                .singleElement()
                .satisfies(l -> assertThat(l.source()).isEqualTo(FlinkSettings.Source.CLUSTER));
        assertThat(s.applied().toMap().keySet())
                .doesNotContain(
                        "execution.checkpointing.interval",
                        "execution.checkpointing.timeout",
                        "execution.checkpointing.externalized-checkpoint-retention",
                        "restart-strategy.type");
        assertThat(s.checkpointIntervalMs()).isEqualTo(10_000);
        assertThat(s.longestRestartDelayMs()).isEqualTo(60_000);
        assertThat(s.warnings()).isEmpty();
    }

    /** Where the pods mount the Secret named edgestream-kafka-client. */
    private static String secretMountPath(FlinkDeploymentSpec spec) {
        Volume v =
                spec.getPodTemplate().getSpec().getVolumes().stream()
                        .filter(x -> x.getSecret() != null)
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("no Secret volume in the podTemplate"));
        assertThat(v.getSecret().getSecretName()).isEqualTo("edgestream-kafka-client");
        return spec.getPodTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(v.getName()))
                .findFirst()
                .orElseThrow()
                .getMountPath();
    }

    @Test
    void shouldKeepSecretsOutOfTheYaml() throws IOException {
        FlinkDeploymentSpec spec = deployment().getSpec();
        for (String arg : spec.getJob().getArgs()) {
            if (arg.startsWith("--")) {
                assertThat(Secrets.isSecret(arg.substring(2))).as(arg).isFalse();
            }
        }
        assertThat(spec.getFlinkConfiguration().keySet()).noneMatch(Secrets::isSecret);
        assertThat(read("docker/kubernetes/flink-deployment.yaml"))
                .doesNotContainIgnoringCase("password")
                .doesNotContainIgnoringCase("jaas");
    }

    @Test
    void shouldClaimStateStorageThatEveryPodCanMount() throws IOException {
        PersistentVolumeClaim pvc =
                YAML.readValue(
                        read("docker/kubernetes/flink-state-pvc.yaml"),
                        PersistentVolumeClaim.class);
        assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        FlinkDeploymentSpec spec = deployment().getSpec();
        assertThat(spec.getPodTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                .containsExactly(pvc.getMetadata().getName());
        assertThat(spec.getFlinkConfiguration().get("execution.checkpointing.dir"))
                .startsWith("file:///flink-state/");
    }
}
