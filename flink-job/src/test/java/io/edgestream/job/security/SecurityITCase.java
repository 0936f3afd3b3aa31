package io.edgestream.job.security;

import static io.edgestream.job.testing.PipelineHarness.assertExactlyOnce;
import static io.edgestream.job.testing.PipelineHarness.createTopics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.job.EdgeJob;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.job.KafkaConnections;
import io.edgestream.job.testing.PipelineHarness;
import io.edgestream.job.testing.PipelineHarness.Topics;
import io.edgestream.job.testing.TestImages;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.testing.kafka.EmbeddedKafka;
import io.edgestream.testing.kafka.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline on a broker with a SASL/PLAIN listener, KRaft's {@code StandardAuthorizer} and
 * {@code allow.everyone.if.no.acl.found=false}, with exactly the ACLs of the security guide: the
 * job's principal {@code edgejob} reads {@code images}, writes the three outputs and uses its
 * transactional ids; {@code camera} only writes {@code images}; {@code reader} only reads the
 * outputs. The job gets its credentials through the {@code kafka.*} pass-through options.
 *
 * <p>Every log event of the JVM (job, Flink, Kafka clients and broker) is captured at INFO while
 * the class runs; the last test asserts that no password appears in it, nor in the printed
 * configuration or any exception message met on the way.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    private static final String JOB = "edgejob";
    private static final String CAMERA = "camera";
    private static final String READER = "reader";
    private static final String JOB_WITHOUT_READ = "edgejob-noread";
    private static final String READER_GROUP = "reader-group";

    // Distinctive, random passwords: found by a plain substring search if they leak anywhere.
    private static final String ADMIN_PASSWORD = secret("admin");
    private static final String JOB_PASSWORD = secret("edgejob");
    private static final String CAMERA_PASSWORD = secret("camera");
    private static final String READER_PASSWORD = secret("reader");
    private static final String JOB_WITHOUT_READ_PASSWORD = secret("edgejob-noread");
    private static final String WRONG_PASSWORD = secret("wrong");

    private static final Topics TOPICS = Topics.fresh("secure");

    private static LogCapture logs;

    /**
     * The secured broker; the log capture starts first, so that the broker's own start-up logging
     * is audited too.
     */
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA =
            new EmbeddedKafkaExtension(
                    () -> {
                        logs = LogCapture.start();
                        Map<String, String> users = new LinkedHashMap<>();
                        users.put(JOB, JOB_PASSWORD);
                        users.put(CAMERA, CAMERA_PASSWORD);
                        users.put(READER, READER_PASSWORD);
                        users.put(JOB_WITHOUT_READ, JOB_WITHOUT_READ_PASSWORD);
                        return EmbeddedKafka.startWithSaslPlain(users, ADMIN_PASSWORD);
                    });

    /** Everything printed to stdout by the job's main() and every exception met, for the audit. */
    private static final ConcurrentLinkedQueue<String> printedAndThrown =
            new ConcurrentLinkedQueue<>();

    private static String secret(String user) {
        return user + "-pw-" + UUID.randomUUID().toString().replace("-", "");
    }

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        createTopics(KAFKA.broker().clientProperties(), TOPICS, 2);
        try (Admin admin = Admin.create(KAFKA.broker().clientProperties())) {
            List<AclBinding> wanted = acls();
            admin.createAcls(wanted).all().get(30, TimeUnit.SECONDS);
            // createAcls returns once the controller has committed them; the broker's authorizer
            // applies them when it replays the metadata log, a moment later. Wait until the
            // broker itself lists them all, so the first request of a test meets them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                Collection<AclBinding> applied =
                        admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
                if (applied.containsAll(wanted)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "the broker applied only "
                                    + applied.size()
                                    + " of the "
                                    + wanted.size()
                                    + " ACLs within 30 s");
                }
                Thread.onSpinWait();
            }
        }
    }

    @AfterAll
    static void stopSecuredBroker() {
        if (logs != null) {
            logs.close();
        }
    }

    /** What a job principal needs; {@code readOutputs}: Read (else only Describe) on outputs. */
    private static List<AclBinding> jobAcls(String principal, boolean readOutputs) {
        List<AclBinding> acls = new ArrayList<>();
        // The job: read the input and commit its group's offsets ...
        acls.add(
                allow(
                        principal,
                        ResourceType.TOPIC,
                        TOPICS.images(),
                        PatternType.LITERAL,
                        AclOperation.READ));
        acls.add(
                allow(
                        principal,
                        ResourceType.GROUP,
                        TOPICS.id(),
                        PatternType.LITERAL,
                        AclOperation.READ));
        // ... write the outputs in transactions named <transactional.id.prefix>-<sink>-...
        // (reading them lets a recovering sink list the producers it left open: POOLING names).
        for (String out : TOPICS.outputs()) {
            acls.add(
                    allow(
                            principal,
                            ResourceType.TOPIC,
                            out,
                            PatternType.LITERAL,
                            AclOperation.WRITE));
            acls.add(
                    allow(
                            principal,
                            ResourceType.TOPIC,
                            out,
                            PatternType.LITERAL,
                            readOutputs ? AclOperation.READ : AclOperation.DESCRIBE));
        }
        acls.add(
                allow(
                        principal,
                        ResourceType.TRANSACTIONAL_ID,
                        TOPICS.id(),
                        PatternType.PREFIXED,
                        AclOperation.WRITE));
        acls.add(
                allow(
                        principal,
                        ResourceType.TRANSACTIONAL_ID,
                        TOPICS.id(),
                        PatternType.PREFIXED,
                        AclOperation.DESCRIBE));
        // ... check in its start-up check that the maps and dead-letter topics take its largest
        // records ...
        for (String out : List.of(TOPICS.maps(), TOPICS.dlq())) {
            acls.add(
                    allow(
                            principal,
                            ResourceType.TOPIC,
                            out,
                            PatternType.LITERAL,
                            AclOperation.DESCRIBE_CONFIGS));
        }
        // ... and read the brokers' transaction.max.timeout.ms in its start-up check.
        acls.add(
                allow(
                        principal,
                        ResourceType.CLUSTER,
                        "kafka-cluster",
                        PatternType.LITERAL,
                        AclOperation.DESCRIBE_CONFIGS));
        return acls;
    }

    /** The ACLs of the security guide (README, "ACLs"), for this test's names. */
    static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>(jobAcls(JOB, true));
        // A job principal granted what older versions needed (Describe, not Read, on the outputs).
        acls.addAll(jobAcls(JOB_WITHOUT_READ, false));
        // The camera only writes images.
        acls.add(
                allow(
                        CAMERA,
                        ResourceType.TOPIC,
                        TOPICS.images(),
                        PatternType.LITERAL,
                        AclOperation.WRITE));
        // The reader only reads the outputs, in its own group.
        for (String out : TOPICS.outputs()) {
            acls.add(
                    allow(READER, ResourceType.TOPIC, out, PatternType.LITERAL, AclOperation.READ));
        }
        acls.add(
                allow(
                        READER,
                        ResourceType.GROUP,
                        READER_GROUP,
                        PatternType.LITERAL,
                        AclOperation.READ));
        return acls;
    }

    private static AclBinding allow(
            String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    private static Properties as(String user, String password) {
        return KAFKA.broker()
                .clientProperties(EmbeddedKafka.saslPlainClientProperties(user, password));
    }

    /** The job's command line, credentials passed through as KAFKA.broker().* options. */
    private static String[] jobArgs(String password, String... extra) {
        Map<String, String> sec = EmbeddedKafka.saslPlainClientProperties(JOB, password);
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> o :
                PipelineHarness.options(KAFKA.broker().bootstrapServers(), TOPICS, Map.of())
                        .entrySet()) {
            if (o.getKey().equals(EdgeJobOptions.STARTING_OFFSETS.key())) {
                continue; // the default (committed, else earliest) exercises the group ACL
            }
            args.add("--" + o.getKey());
            args.add(o.getValue());
        }
        for (Map.Entry<String, String> s : sec.entrySet()) {
            args.add("--" + EdgeJobOptions.KAFKA_PREFIX + s.getKey());
            args.add(s.getValue());
        }
        args.add("--" + EdgeJobOptions.BOUNDED.key());
        args.add("true");
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static List<ImageFrame> images() {
        List<ImageFrame> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            frames.add(
                    TestImages.frame(
                            "secure-" + i,
                            ImageEncoding.RAW,
                            PixelFormat.GRAY8,
                            40,
                            30,
                            1,
                            TestImages.rawGray8(40, 30, i)));
        }
        return frames;
    }

    private static String fullText(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    @Order(1)
    @Timeout(120)
    void pipelineWorksEndToEndWithExactlyTheGrantedRights() throws Exception {
        List<ImageFrame> frames = images();
        // The camera produces with its own principal, which may only write images.
        PipelineHarness.produceFrames(as(CAMERA, CAMERA_PASSWORD), TOPICS.images(), frames);

        // The job: options from the command line (as `flink run ...
        // --kafka.sasl.jaas.config`),
        // the start-up check against the broker, then a bounded run to the end.
        EdgeJobOptions o = EdgeJobOptions.fromArgs(jobArgs(JOB_PASSWORD));
        printedAndThrown.add(o.describe());
        assertThat(o.describe())
                .contains("kafka.sasl.jaas.config = ******")
                .contains("kafka.security.protocol = SASL_PLAINTEXT");
        KafkaConnections.checkBroker(o, Duration.ofSeconds(30));
        StreamExecutionEnvironment env = EdgeJob.environment(o);
        EdgeJob.withKafka(o).build(env);
        env.execute(o.jobName());

        // The reader consumes the stats with read_committed in its own group ...
        Properties reader = as(READER, READER_PASSWORD);
        reader.put(ConsumerConfig.GROUP_ID_CONFIG, READER_GROUP);
        reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reader.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        reader.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        int expected = frames.size() * o.processing().filterList().size();
        Map<String, EdgeStats> stats = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(
                        reader, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(TOPICS.stats()));
            PipelineHarness.await(
                    expected + " EdgeStats for the reader",
                    Duration.ofSeconds(60),
                    () -> {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                            EdgeStats s = AvroWire.edgeStats().decode(r.value());
                            stats.put(s.getImageId() + "/" + s.getFilter(), s);
                        }
                        return stats.size() >= expected;
                    });
            c.commitSync(Duration.ofSeconds(30));
        }
        assertThat(stats).hasSize(expected);
        // ... and, with its read rights on the outputs, can check the full accounting.
        assertExactlyOnce(as(READER, READER_PASSWORD), TOPICS, o.processing(), frames);
    }

    @Test
    @Order(2)
    @Timeout(60)
    void wrongPasswordFailsTheJobStartFastWithAClearErrorWithoutTheSecret() throws Exception {
        String[] args = jobArgs(WRONG_PASSWORD);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        long t0 = System.nanoTime();
        Throwable thrown;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            EdgeJob.main(args);
            throw new AssertionError("the job started with a wrong password");
        } catch (IllegalStateException e) {
            thrown = e;
        } finally {
            System.setOut(original);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        String printed = stdout.toString(StandardCharsets.UTF_8);
        printedAndThrown.add(printed);
        printedAndThrown.add(fullText(thrown));

        assertThat(took)
                .as("fails fast, not after the 30 s check timeout")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(thrown)
                .hasRootCauseInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining(KAFKA.broker().bootstrapServers())
                .hasMessageContaining("Authentication failed")
                .hasMessageContaining("kafka.* security settings");
        assertThat(fullText(thrown)).doesNotContain(WRONG_PASSWORD).doesNotContain(JOB_PASSWORD);
        assertThat(printed)
                .contains("kafka.sasl.jaas.config = ******")
                .doesNotContain(WRONG_PASSWORD);

        // A plain client (e.g. the camera's producer) fails fast the same way.
        Properties camera = as(CAMERA, WRONG_PASSWORD);
        camera.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(camera, new ByteArraySerializer(), new ByteArraySerializer())) {
            long t1 = System.nanoTime();
            assertThatThrownBy(
                            () ->
                                    p.send(new ProducerRecord<>(TOPICS.images(), new byte[] {1}))
                                            .get(30, TimeUnit.SECONDS))
                    .satisfies(e -> printedAndThrown.add(fullText(e)))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    @Order(3)
    @Timeout(60)
    void principalsWithoutRightsAreRefused() throws Exception {
        // The camera may not read the outputs: neither by assignment (topic ACL) ...
        Properties camera = as(CAMERA, CAMERA_PASSWORD);
        camera.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(
                        camera, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(new TopicPartition(TOPICS.stats(), 0)));
            assertThatThrownBy(() -> pollUntilFailure(c))
                    .satisfies(e -> printedAndThrown.add(fullText(e)))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(TOPICS.stats());
        }
        // ... nor even its own images topic in a consumer group: it may describe the topic
        // (write implies describe) but has no group ACL.
        Properties cameraGroup = as(CAMERA, CAMERA_PASSWORD);
        cameraGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "camera-snoop");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(
                        cameraGroup, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(TOPICS.images()));
            assertThatThrownBy(() -> pollUntilFailure(c))
                    .satisfies(e -> printedAndThrown.add(fullText(e)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
        // The reader may not write images.
        Properties reader = as(READER, READER_PASSWORD);
        reader.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(reader, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(
                            () ->
                                    p.send(new ProducerRecord<>(TOPICS.images(), new byte[] {1}))
                                            .get(30, TimeUnit.SECONDS))
                    .satisfies(e -> printedAndThrown.add(fullText(e)))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AuthorizationException.class);
        }
        // The camera's credentials cannot start the job: its start-up check is refused.
        EdgeJobOptions asCamera =
                EdgeJobOptions.fromArgs(
                        jobArgs(
                                CAMERA_PASSWORD,
                                "--kafka.sasl.jaas.config",
                                EmbeddedKafka.saslPlainClientProperties(CAMERA, CAMERA_PASSWORD)
                                        .get("sasl.jaas.config")));
        assertThatThrownBy(() -> KafkaConnections.checkBroker(asCamera, Duration.ofSeconds(20)))
                .satisfies(e -> printedAndThrown.add(fullText(e)))
                .isInstanceOf(IllegalStateException.class)
                .hasRootCauseInstanceOf(AuthorizationException.class);
    }

    @Test
    @Order(3)
    @Timeout(60)
    void aJobThatMayNotReadItsOutputsIsToldToGrantReadOrUseIncrementingNames() {
        String jaas =
                EmbeddedKafka.saslPlainClientProperties(JOB_WITHOUT_READ, JOB_WITHOUT_READ_PASSWORD)
                        .get("sasl.jaas.config");
        EdgeJobOptions pooling =
                EdgeJobOptions.fromArgs(
                        jobArgs(JOB_WITHOUT_READ_PASSWORD, "--kafka.sasl.jaas.config", jaas));
        assertThatThrownBy(() -> KafkaConnections.checkBroker(pooling, Duration.ofSeconds(20)))
                .satisfies(e -> printedAndThrown.add(fullText(e)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("may not list the producers of output topic")
                .hasMessageContaining("--operation Read --topic " + TOPICS.maps())
                .hasMessageContaining("--sink.transaction.naming INCREMENTING")
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        // What it was granted is enough for transactions named by checkpoint.
        EdgeJobOptions incrementing =
                EdgeJobOptions.fromArgs(
                        jobArgs(
                                JOB_WITHOUT_READ_PASSWORD,
                                "--kafka.sasl.jaas.config",
                                jaas,
                                "--" + EdgeJobOptions.SINK_TRANSACTION_NAMING.key(),
                                "INCREMENTING"));
        KafkaConnections.checkBroker(incrementing, Duration.ofSeconds(20));
    }

    private static void pollUntilFailure(KafkaConsumer<byte[], byte[]> c) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200));
        }
        throw new AssertionError("the consumer was never refused");
    }

    @Test
    @Order(4)
    void noSecretAppearsInLogsPrintedConfigurationOrExceptionMessages() {
        List<String> lines = logs.lines();
        // The capture did see the clients' configuration dumps, where a leak would show first.
        assertThat(logs.containing("sasl.jaas.config"))
                .as("captured client config dumps")
                .isNotEmpty();
        assertThat(lines.size()).as("captured log events").isGreaterThan(100);
        for (String secret :
                List.of(
                        ADMIN_PASSWORD,
                        JOB_PASSWORD,
                        CAMERA_PASSWORD,
                        READER_PASSWORD,
                        WRONG_PASSWORD)) {
            assertThat(logs.containing(secret)).as("log events containing a password").isEmpty();
            assertThat(printedAndThrown.stream().filter(s -> s.contains(secret)).toList())
                    .as("printed configuration and exception texts containing a password")
                    .isEmpty();
        }
    }
}
