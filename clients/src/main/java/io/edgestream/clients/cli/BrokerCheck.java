package io.edgestream.clients.cli;

import io.edgestream.schemas.kafka.RecordLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The fail-fast check every tool runs before its real work: can the brokers be reached within a
 * short timeout, and do the topics exist? Without it a producer blocks for {@code max.block.ms} and
 * a consumer waits forever, printing nothing useful; with it the user gets one clear message and a
 * non-zero exit code.
 */
public final class BrokerCheck {
    private BrokerCheck() {}

    /**
     * Checks the cluster and returns the partition count of each topic.
     *
     * @param clientProps bootstrap servers plus any security settings
     * @param timeout how long to wait for the cluster to answer
     * @throws ToolException ({@link ExitCodes#FAILED}) if the cluster does not answer or a topic is
     *     missing
     */
    public static Map<String, Integer> check(
            Properties clientProps, Duration timeout, Collection<String> topics) {
        Properties p = new Properties();
        p.putAll(clientProps);
        int ms = (int) Math.max(1000, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        // Do not keep reconnecting in the background after we gave up.
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        String bootstrap = String.valueOf(p.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = admin(p, bootstrap)) {
            try {
                admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new ToolException(
                        "cannot reach Kafka at "
                                + bootstrap
                                + " within "
                                + timeout.toMillis()
                                + " ms ("
                                + (e instanceof TimeoutException ? "no answer" : rootMessage(e))
                                + "); check --bootstrap, that the broker is running and"
                                + " reachable, and any --kafka security settings",
                        ExitCodes.FAILED,
                        e);
            }
            Map<String, TopicDescription> described;
            try {
                described =
                        admin.describeTopics(topics).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    List<String> missing = new ArrayList<>();
                    for (String t : topics) {
                        try {
                            admin.describeTopics(List.of(t))
                                    .allTopicNames()
                                    .get(ms, TimeUnit.MILLISECONDS);
                        } catch (ExecutionException | TimeoutException x) {
                            missing.add(t);
                        }
                    }
                    throw new ToolException(
                            "topic(s) "
                                    + missing
                                    + " do not exist on "
                                    + bootstrap
                                    + "; create them (scripts/create-topics.sh, or"
                                    + " kafka-topics.sh --create --topic NAME --config"
                                    + " max.message.bytes="
                                    + RecordLimits.TOPIC_MAX_MESSAGE_BYTES
                                    + ") or pass the right topic names",
                            ExitCodes.FAILED,
                            e);
                }
                throw new ToolException(
                        "cannot describe topics "
                                + topics
                                + " on "
                                + bootstrap
                                + ": "
                                + rootMessage(e),
                        ExitCodes.FAILED,
                        e);
            } catch (TimeoutException e) {
                throw new ToolException(
                        "Kafka at " + bootstrap + " did not describe topics " + topics + " in time",
                        ExitCodes.FAILED,
                        e);
            }
            Map<String, Integer> partitions = new java.util.LinkedHashMap<>();
            for (String t : topics) {
                partitions.put(t, described.get(t).partitions().size());
            }
            return partitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while checking Kafka", ExitCodes.FAILED, e);
        }
    }

    /** An admin client, or a clear failure if the settings do not even make one. */
    private static Admin admin(Properties p, String bootstrap) {
        try {
            return Admin.create(p);
        } catch (KafkaException e) {
            // e.g. a host name that does not resolve, or a malformed --kafka setting
            throw new ToolException(
                    "cannot connect to Kafka at "
                            + bootstrap
                            + " ("
                            + rootMessage(e)
                            + "); check --bootstrap and any --kafka settings",
                    ExitCodes.FAILED,
                    e);
        }
    }

    /** The innermost message of a failure, for one-line reports. */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
