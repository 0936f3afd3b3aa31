package io.edgestream.testing.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link LocalStack} per test class, as a JUnit 5 extension:
 *
 * <pre>
 * &#64;RegisterExtension static final LocalStackExtension STACK = new LocalStackExtension();
 * &#64;Test void t(LocalStack stack) { ... }
 * </pre>
 *
 * <ul>
 *   <li>before all tests: skips the class (with the reason) only if no stack can exist on this
 *       machine ({@link LocalStack#unavailableReason()}; with the environment variable {@code CI}
 *       set it fails instead); otherwise starts the stack (a failure to start fails the class) and
 *       uploads the job jar once;
 *   <li>before each test: waits until the stack is whole again (broker up, every TaskManager
 *       registered, every slot free), so tests that kill or stop parts of it can share it;
 *   <li>after each test: cancels jobs the test left running (their open transactions would hold
 *       back the next test's read_committed readers) and, if the test failed, prints the tails of
 *       the stack's logs;
 *   <li>after all tests: stops everything by recorded PID and fails if any process of the stack is
 *       left. Data is deleted only if every test (dynamic ones included) passed; logs always stay
 *       under target/stacks/ of the module whose tests run.
 * </ul>
 */
public final class LocalStackExtension
        implements BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                ParameterResolver,
                TestWatcher,
                InvocationInterceptor {
    private final LocalStack.Settings settings;
    private LocalStack stack;
    private String jarId;
    private boolean anyFailed;

    public LocalStackExtension() {
        this(LocalStack.Settings.defaults());
    }

    public LocalStackExtension(LocalStack.Settings settings) {
        this.settings = settings;
    }

    public LocalStack stack() {
        if (stack == null) {
            throw new IllegalStateException("the stack is not running (beforeAll did not run?)");
        }
        return stack;
    }

    /** The id of the job jar uploaded to this stack's cluster. */
    public String jarId() {
        return jarId;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<String> why = LocalStack.unavailableReason();
        if (why.isPresent() && System.getenv("CI") != null) {
            // CI installs what the stack needs (.ci/run): a skip there would hide a broken setup.
            throw new IllegalStateException(
                    "no local stack possible here although CI is set: " + why.get());
        }
        Assumptions.assumeTrue(why.isEmpty(), () -> "no local stack possible here: " + why.get());
        Path jar = LocalStack.jobJar();
        stack = LocalStack.start(context.getRequiredTestClass().getSimpleName(), settings);
        try {
            jarId = stack.rest().uploadJar(jar);
            stack.event("uploaded " + jar.getFileName() + " as " + jarId);
        } catch (Exception e) {
            System.err.println(stack.logTails(40));
            throw e;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LocalStack s = stack();
        int tms = settings.taskManagers();
        int slots = tms * settings.slotsPerTaskManager();
        Waits.until(
                "the stack to be whole before " + context.getDisplayName(),
                Duration.ofSeconds(120),
                () ->
                        s.brokerRunning()
                                && s.liveTaskManagers().size() == tms
                                && s.rest().taskManagers().size() == tms
                                && s.rest().freeSlots() == slots,
                () -> {
                    try {
                        return "broker running "
                                + s.brokerRunning()
                                + ", TaskManager processes "
                                + s.liveTaskManagers()
                                + ", registered "
                                + s.rest().taskManagers()
                                + ", free slots "
                                + s.rest().freeSlots()
                                + " of "
                                + slots;
                    } catch (Exception e) {
                        return e.toString();
                    }
                });
        s.event("=== " + context.getDisplayName());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (stack == null) {
            return;
        }
        for (Map.Entry<String, String> j : stack.rest().jobs().entrySet()) {
            if (!FlinkRestClient.TERMINAL.contains(j.getValue())) {
                stack.event(
                        "cancelling job " + j.getKey() + " left " + j.getValue() + " by the test");
                stack.rest().cancel(j.getKey(), Duration.ofSeconds(90));
            }
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        anyFailed = true;
        if (stack != null) {
            System.err.println(
                    "===== "
                            + context.getDisplayName()
                            + " failed; stack "
                            + stack.dir()
                            + " =====\n"
                            + stack.logTails(60));
        }
    }

    /** Dynamic tests do not reach {@link TestWatcher}: note their failures here. */
    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation,
            DynamicTestInvocationContext invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        try {
            invocation.proceed();
        } catch (Throwable t) {
            anyFailed = true;
            throw t;
        }
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        anyFailed = true;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack == null) {
            return;
        }
        boolean failed = anyFailed || context.getExecutionException().isPresent();
        try {
            stack.close();
            if (!failed) {
                stack.deleteData();
            }
        } finally {
            stack = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return stack();
    }
}
