package io.edgestream.testing.registry;

import io.edgestream.testing.stack.OsProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry server ({@code io.apicurio:apicurio-registry-app:3.3.3}, the prebuilt
 * Quarkus distribution that this module's build unpacks into {@code testing/target/}) running as a
 * child process on free loopback ports, with in-memory storage and the global compatibility rule
 * BACKWARD. Tests reach its Confluent-compatible API at {@link #ccompatUrl()}.
 *
 * <p>The server needs Java 21 or newer, which need not be the JDK running the tests: {@link
 * #findJavaHome()} takes {@value #JAVA_HOME_ENV}, else the running JVM if it is new enough, else
 * the newest JDK 21+ under {@code /usr/lib/jvm}. Readiness is its management health endpoint
 * ({@code /health/ready}) answering 200, polled with a deadline; {@link #close()} stops the process
 * and its descendants by PID. Its log goes to {@link #logFile()}.
 *
 * <pre>{@code
 * try (ApicurioRegistry registry = ApicurioRegistry.start(ApicurioRegistry.settings())) {
 *     String url = registry.ccompatUrl(); // http://127.0.0.1:PORT/apis/ccompat/v7
 * }
 * }</pre>
 *
 * The command line carries {@code -D}{@value #MARKER_PROPERTY}{@code =<name>} so a script can find
 * the process again ({@link OsProcesses#livePid}) and {@link #stop(long, String)} can check the PID
 * before signalling it. Credentials of {@link Settings#basicAuthUser} are written to the run
 * directory's {@code config/application.properties}, never to the command line.
 */
public final class ApicurioRegistry implements AutoCloseable {
    /** Environment variable naming the Java 21+ home to run the registry with. */
    public static final String JAVA_HOME_ENV = "EDGESTREAM_REGISTRY_JAVA_HOME";

    /** Environment variable naming the unpacked distribution (the folder with quarkus-run.jar). */
    public static final String HOME_ENV = "EDGESTREAM_REGISTRY_HOME";

    /** System property on the server's command line that names the instance. */
    public static final String MARKER_PROPERTY = "edgestream.registry";

    /** Oldest Java feature release the registry runs on. */
    public static final int MIN_JAVA = 21;

    /** Path of the Confluent-compatible API below the server's base URL. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    private final String name;
    private final Process process;
    private final int httpPort;
    private final int managementPort;
    private final Path runDir;
    private final Path logFile;

    private ApicurioRegistry(
            String name,
            Process process,
            int httpPort,
            int managementPort,
            Path runDir,
            Path logFile) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.runDir = runDir;
        this.logFile = logFile;
    }

    /** How to start a registry; every setter returns this. */
    public static final class Settings {
        private String name = "registry";
        private Path runDir;
        private int httpPort;
        private int managementPort;
        private String heap = "256m";
        private Duration startTimeout = Duration.ofSeconds(90);
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Settings() {}

        /** Names the instance (the marker on its command line and its run directory's name). */
        public Settings name(String name) {
            this.name = name;
            return this;
        }

        /** Where the log and the config file go; default a fresh folder under target/. */
        public Settings runDir(Path dir) {
            this.runDir = dir;
            return this;
        }

        /** Fixed HTTP port (0, the default, picks a free one). */
        public Settings httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** Fixed management (health) port (0, the default, picks a free one). */
        public Settings managementPort(int port) {
            this.managementPort = port;
            return this;
        }

        /** Maximum heap of the server, as for {@code -Xmx} (default 256m). */
        public Settings heap(String heap) {
            this.heap = heap;
            return this;
        }

        public Settings startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Requires HTTP basic authentication on {@code /apis/*} and adds this user (Quarkus'
         * embedded users); may be called for several users.
         */
        public Settings basicAuthUser(String user, String password) {
            users.put(user, password);
            return this;
        }

        /** Any further server setting, passed as {@code -Dkey=value}. */
        public Settings property(String key, String value) {
            properties.put(key, value);
            return this;
        }
    }

    /** Default settings: free ports, 256 MB heap, no authentication. */
    public static Settings settings() {
        return new Settings();
    }

    /** Why no registry can be started here (no Java 21+ found), or empty if one can. */
    public static Optional<String> unavailableReason() {
        return findJavaHome().isPresent()
                ? Optional.empty()
                : Optional.of(
                        "Apicurio Registry needs Java "
                                + MIN_JAVA
                                + "+ and none was found: set "
                                + JAVA_HOME_ENV
                                + " to a JDK "
                                + MIN_JAVA
                                + "+ home, or install one under "
                                + JVM_DIR
                                + " (e.g. temurin-25-jdk)");
    }

    /**
     * The Java home to run the registry with: {@value #JAVA_HOME_ENV} if set (it must be 21+), else
     * the running JVM if it is 21+, else the newest 21+ JDK under {@code /usr/lib/jvm}.
     *
     * @throws IllegalStateException if {@value #JAVA_HOME_ENV} is set but is no Java 21+ home
     */
    public static Optional<Path> findJavaHome() {
        String env = System.getenv(JAVA_HOME_ENV);
        if (env != null && !env.isBlank()) {
            Path home = Path.of(env);
            int major = javaMajor(home);
            if (major < MIN_JAVA) {
                throw new IllegalStateException(
                        JAVA_HOME_ENV
                                + "="
                                + env
                                + " is not a Java "
                                + MIN_JAVA
                                + "+ home (found "
                                + (major < 0 ? "no bin/java and release file" : "Java " + major)
                                + "); point it at a JDK "
                                + MIN_JAVA
                                + "+ or unset it");
            }
            return Optional.of(home);
        }
        if (Runtime.version().feature() >= MIN_JAVA) {
            return Optional.of(Path.of(System.getProperty("java.home")));
        }
        if (!Files.isDirectory(JVM_DIR)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(JVM_DIR)) {
            return homes.filter(h -> javaMajor(h) >= MIN_JAVA)
                    .max(Comparator.comparingInt(ApicurioRegistry::javaMajor))
                    .map(Path::toAbsolutePath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + JVM_DIR, e);
        }
    }

    /** The feature release of the JDK at {@code home} from its release file, or -1. */
    static int javaMajor(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
            return -1;
        }
        try {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(release)) {
                p.load(in);
            }
            String v = p.getProperty("JAVA_VERSION", "").replace("\"", "");
            String first = v.split("[.+-]")[0];
            return first.matches("[0-9]+") ? Integer.parseInt(first) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The unpacked distribution (the folder holding {@code quarkus-run.jar}): {@value #HOME_ENV} if
     * set, else where this module's build unpacked it.
     *
     * @throws IllegalStateException if there is no {@code quarkus-run.jar} there
     */
    public static Path distribution() {
        String env = System.getenv(HOME_ENV);
        Path home;
        if (env != null && !env.isBlank()) {
            home = Path.of(env);
        } else {
            Properties p = new Properties();
            try (InputStream in =
                    ApicurioRegistry.class.getResourceAsStream("apicurio.properties")) {
                if (in == null) {
                    throw new IllegalStateException(
                            "apicurio.properties is missing from the testing module's classes;"
                                    + " rebuild it: mvn -o -pl testing -am package -DskipTests");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read apicurio.properties", e);
            }
            home = Path.of(p.getProperty("home"));
        }
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(
                    "no Apicurio Registry distribution (quarkus-run.jar) in "
                            + home
                            + ": build the testing module (mvn -o -pl testing -am package"
                            + " -DskipTests unpacks it) or set "
                            + HOME_ENV);
        }
        return home;
    }

    /** The server's command line for these settings (ports must be resolved, not 0). */
    public static List<String> command(
            Path javaHome, String name, int httpPort, int managementPort, String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-D" + MARKER_PROPERTY + "=" + name);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + httpPort);
        cmd.add("-Dquarkus.management.host=127.0.0.1");
        cmd.add("-Dquarkus.management.port=" + managementPort);
        // Storage is the distribution's default: in-memory H2, gone when the process exits.
        cmd.add("-Dapicurio.rules.global.compatibility=BACKWARD");
        cmd.add("-Dquarkus.otel.sdk.disabled=true");
        return cmd;
    }

    /**
     * Starts a registry and waits until it is ready.
     *
     * @throws IllegalStateException if no Java 21+ is found ({@link #unavailableReason()}), the
     *     distribution is missing, or the server exits or is not ready in time (the message has the
     *     log's tail)
     */
    public static ApicurioRegistry start(Settings s) {
        Path javaHome =
                findJavaHome()
                        .orElseThrow(() -> new IllegalStateException(unavailableReason().get()));
        Path home = distribution();
        int http = s.httpPort != 0 ? s.httpPort : freePort();
        int management = s.managementPort != 0 ? s.managementPort : freePort();
        try {
            Path runDir =
                    s.runDir != null
                            ? s.runDir
                            : Files.createTempDirectory(
                                    targetDir(home), "registry-" + s.name + "-");
            Files.createDirectories(runDir.resolve("config"));
            Path log = runDir.resolve("registry.log");
            Files.writeString(
                    runDir.resolve("config/application.properties"), configFile(s, runDir));
            List<String> cmd = command(javaHome, s.name, http, management, s.heap);
            s.properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(home.resolve("quarkus-run.jar").toString());
            Process p =
                    new ProcessBuilder(cmd)
                            .directory(runDir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            ApicurioRegistry registry =
                    new ApicurioRegistry(s.name, p, http, management, runDir, log);
            try {
                registry.awaitReady(s.startTimeout);
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Apicurio Registry from " + home, e);
        }
    }

    /** Quarkus reads {@code config/application.properties} from the working directory. */
    private static String configFile(Settings s, Path runDir) {
        StringBuilder sb = new StringBuilder("# written by ApicurioRegistry\n");
        if (!s.users.isEmpty()) {
            sb.append("quarkus.http.auth.basic=true\n")
                    .append("quarkus.security.users.embedded.enabled=true\n")
                    .append("quarkus.security.users.embedded.plain-text=true\n")
                    .append("quarkus.http.auth.permission.apis.paths=/apis/*\n")
                    .append("quarkus.http.auth.permission.apis.policy=authenticated\n");
            s.users.forEach(
                    (u, pw) ->
                            sb.append("quarkus.security.users.embedded.users.")
                                    .append(u)
                                    .append('=')
                                    .append(pw)
                                    .append('\n')
                                    .append("quarkus.security.users.embedded.roles.")
                                    .append(u)
                                    .append("=sr-admin\n"));
        }
        return sb.toString();
    }

    /** The folder run directories go into: the distribution's parent (testing/target). */
    private static Path targetDir(Path home) throws IOException {
        Path dir = home.toAbsolutePath().getParent().resolve("registry-runs");
        Files.createDirectories(dir);
        return dir;
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready =
                HttpRequest.newBuilder(healthUrl()).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Apicurio Registry '"
                                + name
                                + "' exited with code "
                                + process.exitValue()
                                + " before it was ready; log "
                                + logFile
                                + ":\n"
                                + logTail(40));
            }
            try {
                HttpResponse<Void> r = http.send(ready, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the registry", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Apicurio Registry '"
                                + name
                                + "' not ready after "
                                + timeout.toSeconds()
                                + " s ("
                                + healthUrl()
                                + ": "
                                + last
                                + "); log "
                                + logFile
                                + ":\n"
                                + logTail(40));
            }
            try {
                // The polling interval of the readiness check, not synchronisation.
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the registry", e);
            }
        }
    }

    /** The last {@code lines} lines of the server's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Base URL of the server, e.g. {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The Confluent-compatible API: {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return baseUrl() + CCOMPAT_PATH;
    }

    /** The readiness endpoint on the management port. */
    public URI healthUrl() {
        return URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public Path runDir() {
        return runDir;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server and its descendants (SIGTERM, then SIGKILL after 20 s); idempotent. */
    @Override
    public void close() {
        stop(process.toHandle());
    }

    /**
     * Stops a registry started elsewhere (e.g. by a script that recorded its PID), after checking
     * that {@code pid} still runs the registry named {@code name}.
     *
     * @throws IllegalStateException if {@code pid} runs but is not that registry
     */
    public static void stop(long pid, String name) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || OsProcesses.gone(pid)) {
            return;
        }
        if (!OsProcesses.matches(pid, "-D" + MARKER_PROPERTY + "=" + name, "quarkus-run.jar")) {
            throw new IllegalStateException(
                    "PID "
                            + pid
                            + " is not the Apicurio Registry '"
                            + name
                            + "'; refusing to signal it");
        }
        stop(h.get());
    }

    private static void stop(ProcessHandle h) {
        List<ProcessHandle> descendants = h.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        h.destroy();
        try {
            h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            h.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            h.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for PID " + h.pid() + " failed", e);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Runs a registry until this JVM is stopped: prints its Confluent-compatible URL and PID.
     * Arguments: {@code [httpPort [managementPort]]}.
     */
    public static void main(String[] args) throws InterruptedException {
        Settings s = settings();
        if (args.length > 0) {
            s.httpPort(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            s.managementPort(Integer.parseInt(args[1]));
        }
        ApicurioRegistry registry = start(s);
        Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "registry-stop"));
        System.out.println(
                "Apicurio Registry ready: "
                        + registry.ccompatUrl()
                        + " (PID "
                        + registry.pid()
                        + ", log "
                        + registry.logFile()
                        + ")");
        registry.process.waitFor();
    }
}
