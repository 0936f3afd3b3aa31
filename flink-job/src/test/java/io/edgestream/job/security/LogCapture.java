package io.edgestream.job.security;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log event of this JVM (the job's operators, Flink, the Kafka clients and the
 * in-process broker) at INFO and above in memory, with the full text of attached exceptions, so a
 * test can search it for secrets. While it is open the console appender is detached (INFO from
 * Kafka and Flink would flood the build log) and every configured logger is raised to INFO; {@link
 * #close()} restores the configuration from the file.
 */
final class LogCapture implements AutoCloseable {
    private static final String NAME = "edgestream-secret-capture";

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final LoggerContext context;
    private final Map<String, Level> levels = new HashMap<>();
    private final Map<String, Appender> detached = new HashMap<>();
    private final Appender appender;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        appender =
                new AbstractAppender(NAME, null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        StringBuilder sb = new StringBuilder();
                        sb.append(event.getLevel())
                                .append(' ')
                                .append(event.getLoggerName())
                                .append(" - ")
                                .append(event.getMessage().getFormattedMessage());
                        Throwable t = event.getThrown();
                        if (t != null) {
                            StringWriter w = new StringWriter();
                            t.printStackTrace(new PrintWriter(w));
                            sb.append('\n').append(w);
                        }
                        lines.add(sb.toString());
                    }
                };
        appender.start();
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        for (Map.Entry<String, Appender> e : root.getAppenders().entrySet()) {
            detached.put(e.getKey(), e.getValue());
            root.removeAppender(e.getKey());
        }
        root.addAppender(appender, Level.INFO, null);
        for (LoggerConfig lc : config.getLoggers().values()) {
            levels.put(lc.getName(), lc.getLevel());
            lc.setLevel(Level.INFO);
        }
        context.updateLoggers();
    }

    /** Starts capturing. */
    static LogCapture start() {
        return new LogCapture();
    }

    /** Everything captured so far, one entry per event (message plus stack trace). */
    List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** The captured events that contain {@code s}. */
    List<String> containing(String s) {
        return lines.stream().filter(l -> l.contains(s)).toList();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(NAME);
        for (Map.Entry<String, Appender> e : detached.entrySet()) {
            root.addAppender(e.getValue(), null, null);
        }
        for (LoggerConfig lc : config.getLoggers().values()) {
            Level l = levels.get(lc.getName());
            if (l != null) {
                lc.setLevel(l);
            }
        }
        context.updateLoggers();
        appender.stop();
    }
}
