package io.edgestream.clients.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker inside the test JVM, started the way the job module's {@code
 * io.edgestream.job.local.EmbeddedKafka} does it (formatted storage, {@link KafkaRaftServer}). The
 * clients module cannot depend on the job module (the dependency runs the other way), so this is a
 * test-only stand-in until that class moves to a module both can use.
 */
public final class TestKafka implements AutoCloseable {
    /** Record size limit of the broker and of topics made by {@link #createTopics}: 32 MiB. */
    public static final int MAX_MESSAGE_BYTES = 32 << 20;

    private final Path dir;
    private final KafkaRaftServer server;
    private final String bootstrap;

    private TestKafka(Path dir, KafkaRaftServer server, String bootstrap) {
        this.dir = dir;
        this.server = server;
        this.bootstrap = bootstrap;
    }

    /** Starts a broker on free loopback ports and waits until it answers. */
    public static TestKafka start() throws Exception {
        Path dir = Files.createTempDirectory("clients-kafka-");
        int port = freePort();
        int controller = freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Image records are large: raise every limit on the path together (KAFKA-4169).
        p.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        p.put("socket.request.max.bytes", String.valueOf(4 * MAX_MESSAGE_BYTES));
        p.put("auto.create.topics.enable", "false");
        Path config = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "clients test broker");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            rc =
                    StorageTool$.MODULE$.execute(
                            new String[] {
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString()
                            },
                            ps);
        }
        if (rc != 0) {
            throw new IllegalStateException(
                    "storage format failed: " + log.toString(StandardCharsets.UTF_8));
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
        TestKafka k = new TestKafka(dir, server, "127.0.0.1:" + port);
        try (Admin admin = Admin.create(k.adminProps())) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            k.close();
            throw e;
        }
        return k;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    private Properties adminProps() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return p;
    }

    /** Creates topics with {@code partitions} partitions and the raised record size limit. */
    public void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(adminProps())) {
            List<NewTopic> topics =
                    Stream.of(names)
                            .map(
                                    n ->
                                            new NewTopic(n, partitions, (short) 1)
                                                    .configs(
                                                            Map.of(
                                                                    "max.message.bytes",
                                                                    String.valueOf(
                                                                            MAX_MESSAGE_BYTES))))
                            .toList();
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir, e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
