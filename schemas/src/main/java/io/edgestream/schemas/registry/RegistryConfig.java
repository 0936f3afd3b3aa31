package io.edgestream.schemas.registry;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the schema registry is and how to authenticate: a base URL (for Apicurio its
 * Confluent-compatible API, {@code http://host:port/apis/ccompat/v7}), optional credentials (HTTP
 * basic {@code user:password}, or a bearer token) and connect/read timeouts. Immutable and {@link
 * Serializable}, so a Flink function can keep it and build its {@link SchemaRegistryClient} in
 * {@code open()}. {@link #toString()} never shows the credentials.
 *
 * <pre>{@code
 * RegistryConfig config = RegistryConfig.of("http://127.0.0.1:8081")
 *         .withBasicAuth("user:password")
 *         .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
 * }</pre>
 */
public final class RegistryConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default time to open a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Default time to wait for an answer. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

    private final String url;
    private final String basicAuth;
    private final String bearerToken;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    private RegistryConfig(
            String url,
            String basicAuth,
            String bearerToken,
            Duration connectTimeout,
            Duration readTimeout) {
        this.url = url;
        this.basicAuth = basicAuth;
        this.bearerToken = bearerToken;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /**
     * A registry at {@code url} (http or https, no credentials in it), no authentication, default
     * timeouts.
     *
     * @throws IllegalArgumentException if the URL is not http(s) or carries user info (the message
     *     does not repeat the URL, which may hold a password)
     */
    public static RegistryConfig of(String url) {
        Objects.requireNonNull(url, "registry url");
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the registry URL is not a valid URI; expected e.g. http://host:8081", e);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "the registry URL carries credentials (user info); give them as basic-auth"
                            + " credentials instead, so they are never printed");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "the registry URL " + url + " must start with http:// or https://");
        }
        String base = uri.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return new RegistryConfig(base, null, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * HTTP basic authentication with {@code userInfo} = {@code user:password} (replaces a bearer
     * token).
     */
    public RegistryConfig withBasicAuth(String userInfo) {
        if (userInfo == null || userInfo.indexOf(':') <= 0) {
            throw new IllegalArgumentException(
                    "basic-auth credentials must be user:password (the value is not shown)");
        }
        return new RegistryConfig(url, userInfo, null, connectTimeout, readTimeout);
    }

    /** Bearer-token authentication (replaces basic auth). */
    public RegistryConfig withBearerToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the registry bearer token is empty");
        }
        return new RegistryConfig(url, null, token.trim(), connectTimeout, readTimeout);
    }

    public RegistryConfig withTimeouts(Duration connect, Duration read) {
        if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
            throw new IllegalArgumentException(
                    "registry timeouts must be positive, got connect "
                            + connect
                            + ", read "
                            + read);
        }
        return new RegistryConfig(url, basicAuth, bearerToken, connect, read);
    }

    /** The base URL, without a trailing slash. */
    public String url() {
        return url;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** What kind of credentials are sent, for messages: never their value. */
    public String authDescription() {
        if (basicAuth != null) {
            return "basic-auth credentials (value not shown)";
        }
        if (bearerToken != null) {
            return "a bearer token (value not shown)";
        }
        return "no credentials";
    }

    /** The {@code Authorization} header value, or null without credentials. */
    String authorizationHeader() {
        if (basicAuth != null) {
            return "Basic "
                    + java.util.Base64.getEncoder()
                            .encodeToString(
                                    basicAuth.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bearerToken == null ? null : "Bearer " + bearerToken;
    }

    @Override
    public String toString() {
        return "RegistryConfig{url="
                + url
                + ", auth="
                + authDescription()
                + ", connectTimeout="
                + connectTimeout
                + ", readTimeout="
                + readTimeout
                + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryConfig c
                && url.equals(c.url)
                && Objects.equals(basicAuth, c.basicAuth)
                && Objects.equals(bearerToken, c.bearerToken)
                && connectTimeout.equals(c.connectTimeout)
                && readTimeout.equals(c.readTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, basicAuth, bearerToken, connectTimeout, readTimeout);
    }
}
