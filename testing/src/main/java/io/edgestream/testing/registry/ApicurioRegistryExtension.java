package io.edgestream.testing.registry;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Apicurio Registry process ({@link ApicurioRegistry}) per test class, started before the
 * first test and stopped after the last:
 *
 * <pre>
 * &#64;RegisterExtension static final ApicurioRegistryExtension REGISTRY = new ApicurioRegistryExtension();
 *
 * &#64;Test void t() { ... REGISTRY.ccompatUrl() ... }
 * </pre>
 *
 * Without a Java 21+ JDK ({@link ApicurioRegistry#unavailableReason()}) the class is skipped with
 * the reason, except when the environment variable {@code CI} is set: CI installs that JDK, so
 * there a missing one fails the class. Give each test its own subjects; the registry is shared by
 * the class's tests.
 */
public final class ApicurioRegistryExtension implements BeforeAllCallback, AfterAllCallback {
    private final ApicurioRegistry.Settings settings;
    private ApicurioRegistry registry;

    /** A registry with default settings (free ports, no authentication). */
    public ApicurioRegistryExtension() {
        this(ApicurioRegistry.settings());
    }

    /** A registry started with {@code settings} (e.g. with {@code basicAuthUser}). */
    public ApicurioRegistryExtension(ApicurioRegistry.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<String> why = ApicurioRegistry.unavailableReason();
        if (why.isPresent() && System.getenv("CI") != null) {
            // CI installs the JDK the registry needs (.ci/run): a skip there would hide it.
            throw new IllegalStateException(
                    "no Apicurio Registry possible here although CI is set: " + why.get());
        }
        Assumptions.assumeTrue(
                why.isEmpty(), () -> "no Apicurio Registry possible here: " + why.get());
        settings.name(context.getRequiredTestClass().getSimpleName());
        registry = ApicurioRegistry.start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    /** The running registry (its log, PID, ports). */
    public ApicurioRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException(
                    "the registry runs only between beforeAll and afterAll: register the"
                            + " extension as a static field with @RegisterExtension");
        }
        return registry;
    }

    /** The Confluent-compatible API: {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return registry().ccompatUrl();
    }
}
