package io.edgestream.clients.cli;

import io.edgestream.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The schema-registry options the Kafka tools ({@code produce-images}, {@code consume-edges})
 * share, mixed into both commands: {@code --registry URL}, its credentials and {@code
 * --wire-format}. Credentials are secrets: they come from {@code --registry-config FILE} (keys
 * {@code basic.auth.user.info} or {@code bearer.auth.token}, as in Confluent's client
 * configuration; out of the process list) or {@code --registry-user-info}, and are never printed
 * ({@link RegistryConfig#toString()} names only their kind).
 */
public final class RegistryOptions {

    /** The keys of {@code --registry-config}, named as Confluent's serializers name them. */
    static final String USER_INFO = "basic.auth.user.info";

    static final String BEARER_TOKEN = "bearer.auth.token";

    @Option(
            names = "--registry",
            paramLabel = "URL",
            description =
                    "schema registry, Confluent-compatible API (Apicurio:"
                            + " http://HOST:PORT/apis/ccompat/v7); implies --wire-format registry"
                            + " for the producer (default: none)")
    String url;

    @Option(
            names = "--registry-config",
            paramLabel = "FILE",
            description =
                    "registry credentials from a properties file: basic.auth.user.info="
                            + "USER:PASSWORD or bearer.auth.token=TOKEN, never printed (default: none)")
    String configFile;

    @Option(
            names = "--registry-user-info",
            paramLabel = "USER:PASSWORD",
            description =
                    "registry basic-auth credentials, never printed; prefer --registry-config,"
                            + " which keeps them out of the process list (default: none)")
    String userInfo;

    @Option(
            names = "--wire-format",
            paramLabel = "single-object|registry",
            converter = Converters.WireFormatConverter.class,
            description =
                    "framing of Avro values: single-object (C3 01 + fingerprint) or registry (00"
                            + " + schema id) (default: registry with --registry, else"
                            + " single-object; the consumer reads both unless given)")
    WireFormatName wireFormat;

    /**
     * Sets {@code o}'s registry and wire format from these options.
     *
     * @throws UsageException if credentials or {@code --wire-format registry} come without {@code
     *     --registry}, the URL is not http(s), or the config file is unreadable or has no usable
     *     key
     */
    public void applyTo(KafkaClientOptions<?> o) throws UsageException {
        if (url == null) {
            if (configFile != null || userInfo != null) {
                throw new UsageException(
                        "registry credentials given without --registry URL: add the registry's"
                                + " URL, e.g. --registry http://127.0.0.1:8085/apis/ccompat/v7");
            }
            if (wireFormat == WireFormatName.REGISTRY) {
                throw new UsageException(
                        "--wire-format registry needs --registry URL: the schema ids in the"
                                + " framing refer to that registry");
            }
            o.wireFormat(wireFormat);
            return;
        }
        RegistryConfig config;
        try {
            config = RegistryConfig.of(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--registry: " + e.getMessage(), e);
        }
        if (userInfo != null && configFile != null) {
            throw new UsageException(
                    "give the registry credentials once: --registry-config or"
                            + " --registry-user-info, not both");
        }
        try {
            if (userInfo != null) {
                config = config.withBasicAuth(userInfo);
            } else if (configFile != null) {
                config = withFileCredentials(config, Path.of(configFile));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("registry credentials: " + e.getMessage(), e);
        }
        o.registry(config);
        o.wireFormat(wireFormat);
    }

    private static RegistryConfig withFileCredentials(RegistryConfig config, Path file)
            throws UsageException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UsageException(
                    "--registry-config: cannot read " + file.toAbsolutePath() + ": " + e, e);
        }
        Set<String> keys = p.stringPropertyNames();
        if (keys.contains(USER_INFO) && keys.contains(BEARER_TOKEN)) {
            throw new UsageException(
                    "--registry-config "
                            + file
                            + " has both "
                            + USER_INFO
                            + " and "
                            + BEARER_TOKEN
                            + ": keep one");
        }
        if (keys.contains(USER_INFO)) {
            return config.withBasicAuth(p.getProperty(USER_INFO).trim());
        }
        if (keys.contains(BEARER_TOKEN)) {
            return config.withBearerToken(p.getProperty(BEARER_TOKEN));
        }
        throw new UsageException(
                "--registry-config "
                        + file
                        + " has neither "
                        + USER_INFO
                        + "=USER:PASSWORD nor "
                        + BEARER_TOKEN
                        + "=TOKEN");
    }
}
