package io.edgestream.testing.kafka;

import io.edgestream.schemas.kafka.RecordLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (KRaft, combined broker and controller, one node) running inside this JVM,
 * for integration tests, the IDE and the one-command demo. It is the same server code as {@code
 * kafka.Kafka server.properties}: storage is formatted with {@code kafka.tools.StorageTool format}
 * and the node is a {@link KafkaRaftServer}; only the process boundary is missing.
 *
 * <p>Ports are picked free on loopback; data lives in a fresh temporary directory that {@link
 * #close()} deletes. Message size limits are raised consistently for image records (see {@link
 * #DEFAULT_MAX_MESSAGE_BYTES}); {@code transaction.max.timeout.ms} keeps Kafka's default of 15
 * minutes so that the job's start-up check meets the same limit as on a real cluster.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopic("images", 2, Map.of());
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Largest record the embedded broker accepts (and replicates): 32 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = RecordLimits.TOPIC_MAX_MESSAGE_BYTES;

    /**
     * Topic configs that let a topic take records up to {@link #DEFAULT_MAX_MESSAGE_BYTES} (map
     * tiles), for {@link #createTopics} and {@link #createTopic}.
     */
    public static final Map<String, String> LARGE_RECORD_TOPIC_CONFIGS =
            Map.of("max.message.bytes", String.valueOf(DEFAULT_MAX_MESSAGE_BYTES));

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /** The listener name (and security protocol) of {@link #startWithSaslPlain}'s clients. */
    public static final String SASL_LISTENER = "SASL_PLAINTEXT";

    /** The super user of {@link #startWithSaslPlain}: the broker itself and the test helpers. */
    public static final String SUPER_USER = "admin";

    private final Path dataDir;
    private final Properties serverConfig;
    private final String bootstrapServers;
    private final Map<String, String> clientSecurity;
    // Replaced by start() after stop(); guarded by this.
    private KafkaRaftServer server;

    private EmbeddedKafka(
            Path dataDir,
            Properties serverConfig,
            KafkaRaftServer server,
            String bootstrapServers,
            Map<String, String> clientSecurity) {
        this.dataDir = dataDir;
        this.serverConfig = serverConfig;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.clientSecurity = clientSecurity;
    }

    /** Starts a broker with the default settings. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker; {@code overrides} are server properties applied last (e.g. {@code
     * transaction.max.timeout.ms}).
     */
    public static EmbeddedKafka start(Map<String, String> overrides) {
        return start(overrides, Map.of());
    }

    /**
     * Starts a broker whose client listener may use a security protocol other than PLAINTEXT.
     *
     * @param overrides server properties applied last; the placeholders {@code {BROKER_PORT}} and
     *     {@code {CONTROLLER_PORT}} in values are replaced with the ports picked
     * @param clientSecurity client properties that {@link #clientProperties()} adds, so that
     *     helpers (topic creation, readiness) can talk to a secured listener
     */
    public static EmbeddedKafka start(
            Map<String, String> overrides, Map<String, String> clientSecurity) {
        Path dir;
        try {
            dir = Files.createTempDirectory("edgestream-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for Kafka", e);
        }
        int brokerPort = freePort();
        int controllerPort = freePort();
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + brokerPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dir.resolve("data").toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "2");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "2");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Images are large records: raise every limit on the path together (KAFKA-4169).
        props.put("message.max.bytes", String.valueOf(DEFAULT_MAX_MESSAGE_BYTES));
        props.put("replica.fetch.max.bytes", String.valueOf(DEFAULT_MAX_MESSAGE_BYTES));
        props.put("socket.request.max.bytes", String.valueOf(4 * DEFAULT_MAX_MESSAGE_BYTES));
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        props.put("auto.create.topics.enable", "false");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            props.put(
                    e.getKey(),
                    e.getValue()
                            .replace("{BROKER_PORT}", String.valueOf(brokerPort))
                            .replace("{CONTROLLER_PORT}", String.valueOf(controllerPort)));
        }
        Path config = dir.resolve("server.properties");
        Properties properties = new Properties();
        properties.putAll(props);
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            properties.store(w, "edgestream embedded broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        format(config);
        KafkaRaftServer server =
                new KafkaRaftServer(KafkaConfig.fromProps(properties), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka =
                new EmbeddedKafka(
                        dir,
                        properties,
                        server,
                        "127.0.0.1:" + brokerPort,
                        Map.copyOf(clientSecurity));
        try {
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /**
     * Starts a broker whose client listener is {@code SASL_PLAINTEXT} with the PLAIN mechanism and
     * whose authorizer is KRaft's {@code StandardAuthorizer} with {@code
     * allow.everyone.if.no.acl.found=false}: a client needs an ACL for everything it does. The
     * controller listener stays PLAINTEXT on loopback (it is not advertised to clients); its
     * principal {@code User:ANONYMOUS} is a super user because the broker half of this node talks
     * to the controller half through it.
     *
     * @param users PLAIN users (name to password) the broker accepts, besides {@link #SUPER_USER}
     * @param superUserPassword the password of {@link #SUPER_USER}, which {@link
     *     #clientProperties()} uses (topic creation, ACLs, readiness)
     */
    public static EmbeddedKafka startWithSaslPlain(
            Map<String, String> users, String superUserPassword) {
        StringBuilder jaas =
                new StringBuilder(
                        "org.apache.kafka.common.security.plain.PlainLoginModule required");
        jaas.append(" username=").append(quoted(SUPER_USER));
        jaas.append(" password=").append(quoted(superUserPassword));
        jaas.append(" user_").append(SUPER_USER).append('=').append(quoted(superUserPassword));
        for (Map.Entry<String, String> u : users.entrySet()) {
            if (u.getKey().equals(SUPER_USER) || !u.getKey().matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException(
                        "user name '"
                                + u.getKey()
                                + "' is reserved or not [A-Za-z0-9_.-]+; pick another name");
            }
            jaas.append(" user_").append(u.getKey()).append('=').append(quoted(u.getValue()));
        }
        jaas.append(';');
        Map<String, String> o = new HashMap<>();
        o.put(
                "listeners",
                SASL_LISTENER
                        + "://127.0.0.1:{BROKER_PORT},CONTROLLER://127.0.0.1:{CONTROLLER_PORT}");
        o.put("advertised.listeners", SASL_LISTENER + "://127.0.0.1:{BROKER_PORT}");
        o.put(
                "listener.security.protocol.map",
                SASL_LISTENER + ":SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        o.put("inter.broker.listener.name", SASL_LISTENER);
        o.put("sasl.enabled.mechanisms", "PLAIN");
        o.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        o.put(
                "listener.name."
                        + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT)
                        + ".plain.sasl.jaas.config",
                jaas.toString());
        o.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        o.put("allow.everyone.if.no.acl.found", "false");
        o.put("super.users", "User:" + SUPER_USER + ";User:ANONYMOUS");
        return start(o, saslPlainClientProperties(SUPER_USER, superUserPassword));
    }

    /**
     * Client properties that authenticate as {@code user} with SASL/PLAIN over {@code
     * SASL_PLAINTEXT}: {@code security.protocol}, {@code sasl.mechanism} and {@code
     * sasl.jaas.config}.
     */
    public static Map<String, String> saslPlainClientProperties(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username="
                        + quoted(user)
                        + " password="
                        + quoted(password)
                        + ";");
    }

    private static String quoted(String s) {
        if (s.indexOf('"') >= 0 || s.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(
                    "JAAS values must not contain quotes or backslashes");
        }
        return '"' + s + '"';
    }

    private static void format(Path config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String clusterId = Uuid.randomUuid().toString();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc =
                    StorageTool$.MODULE$.execute(
                            new String[] {"format", "-t", clusterId, "-c", config.toString()}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException(
                    "kafka.tools.StorageTool format failed with exit code "
                            + rc
                            + ": "
                            + out.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(adminProperties())) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                }
            }
        }
        throw new IllegalStateException(
                "the embedded Kafka broker at "
                        + bootstrapServers
                        + " did not become ready within "
                        + STARTUP_TIMEOUT,
                last);
    }

    /** {@code host:port} of the client listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties for any Kafka client of this broker: bootstrap servers plus security. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(clientSecurity);
        return p;
    }

    /**
     * Properties for a client of this broker with its own security settings instead of the ones
     * given at start (e.g. another SASL user): bootstrap servers plus {@code security}.
     */
    public Properties clientProperties(Map<String, String> security) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(security);
        return p;
    }

    private Properties adminProperties() {
        Properties p = clientProperties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return p;
    }

    /** Creates a topic (replication factor 1) and waits for it; an existing topic is kept. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(adminProperties())) {
            NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("creating topic " + name + " timed out", e);
        }
    }

    /** Creates several topics with the same partition count and configs. */
    public void createTopics(int partitions, Map<String, String> configs, String... names) {
        for (String name : names) {
            createTopic(name, partitions, configs);
        }
    }

    /**
     * Stops the broker as a clean shutdown would (data and ports are kept): clients see the broker
     * disappear until {@link #restart()} or {@link #startAgain()}.
     */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /**
     * Starts a stopped broker again on the same ports with the same data (a broker restart as
     * clients see it) and waits until it serves requests.
     */
    public synchronized void startAgain() {
        if (server != null) {
            throw new IllegalStateException("the broker at " + bootstrapServers + " is running");
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(serverConfig), Time.SYSTEM);
        s.startup();
        server = s;
        awaitReady();
    }

    /** {@link #stop()} then {@link #startAgain()}. */
    public void restart() {
        stop();
        startAgain();
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + " for deletion", e);
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + p, e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /**
     * Runs a broker until the process is stopped, printing its bootstrap address: {@code java ...
     * io.edgestream.testing.kafka.EmbeddedKafka [topic ...]} creates the given topics with 2
     * partitions.
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka = start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-shutdown"));
        for (String topic : args) {
            kafka.createTopic(topic, 2, LARGE_RECORD_TOPIC_CONFIGS);
        }
        System.out.println("Kafka (embedded KRaft) ready at " + kafka.bootstrapServers());
        Thread.currentThread().join();
    }
}
