package io.edgestream.imaging.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which engine ({@link Simd#select}) the surefire execution running this JVM is meant to end up
 * with, as declared in {@code imaging/pom.xml} by the system property {@value #PROPERTY}: {@code
 * vector} in the default execution (with {@code --add-modules jdk.incubator.vector}), {@code
 * scalar} in {@code scalar-fallback} (without it).
 *
 * <p>The expectation comes from the build, not from the JVM under test: asking the JVM ("is the
 * module there? did the vector engine load?") would let a lost {@code --add-modules} flag or a
 * swallowed {@code LinkageError} turn the vector run into a second scalar run that passes. Here
 * either one fails the run.
 */
public final class ExpectedEngine {

    /** {@code vector} or {@code scalar}; set per surefire execution in {@code imaging/pom.xml}. */
    public static final String PROPERTY = "edgestream.test.engine";

    private static final String MODULE = "jdk.incubator.vector";

    /** The two outcomes a surefire execution can expect. */
    public enum Kind {
        VECTOR,
        SCALAR
    }

    private ExpectedEngine() {}

    /** The engine this surefire execution expects; fails when the build did not say. */
    public static Kind expected() {
        String v = System.getProperty(PROPERTY);
        if (v == null) {
            throw new AssertionError(
                    "-D"
                            + PROPERTY
                            + " is not set. imaging/pom.xml sets it per surefire execution; when"
                            + " running a test elsewhere pass -D"
                            + PROPERTY
                            + "=vector (with --add-modules "
                            + MODULE
                            + ") or -D"
                            + PROPERTY
                            + "=scalar (without)");
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "vector":
                return Kind.VECTOR;
            case "scalar":
                return Kind.SCALAR;
            default:
                throw new AssertionError(
                        "-D" + PROPERTY + "=" + v + ": expected 'vector' or 'scalar'");
        }
    }

    /** Whether {@code -Dedgestream.simd=false} asks for the scalar path although vector works. */
    private static boolean simdDisabled() {
        return "false".equalsIgnoreCase(System.getProperty(Simd.PROPERTY, "true").trim());
    }

    private static boolean moduleInBootLayer() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /**
     * Asserts that the class {@code what} selected the engine this execution expects: in the vector
     * run the module is in the boot layer, the vector engine constructed and is the active one
     * (unless {@code -Dedgestream.simd=false}); in the scalar run the module is absent and the
     * scalar engine is active for that reason.
     *
     * @param implementation the class's {@code implementation()}
     * @param vectorEngine its vector engine, null when it did not load
     * @param reason its {@code implementationReason()}
     */
    public static void assertSelected(
            String what, String implementation, Object vectorEngine, String reason) {
        switch (expected()) {
            case VECTOR:
                if (!moduleInBootLayer()) {
                    fail(
                            "%s: this surefire execution expects the Vector API, but %s is not in"
                                    + " the boot layer: --add-modules %s did not reach the test"
                                    + " JVM (check argLine / vector.opts). Selection: %s",
                            what, MODULE, MODULE, reason);
                }
                if (vectorEngine == null) {
                    fail(
                            "%s: %s is present but the vector engine did not load, so everything"
                                    + " silently ran on the scalar engine: %s",
                            what, MODULE, reason);
                }
                if (simdDisabled()) {
                    assertThat(implementation)
                            .as("%s with -D%s=false", what, Simd.PROPERTY)
                            .isEqualTo("scalar");
                    assertThat(reason).contains("disabled");
                } else {
                    assertThat(implementation)
                            .as("%s: active engine (%s)", what, reason)
                            .startsWith("vector-");
                    assertThat(reason).isEqualTo("Vector API available");
                }
                break;
            case SCALAR:
                if (moduleInBootLayer()) {
                    fail(
                            "%s: this is the scalar-fallback execution, but %s is in the boot"
                                    + " layer, so the fallback is not being tested",
                            what, MODULE);
                }
                assertThat(vectorEngine).as("%s: vector engine without the module", what).isNull();
                assertThat(implementation).as(what).isEqualTo("scalar");
                if (simdDisabled()) {
                    // -Dedgestream.simd=false takes precedence in the reason, module or not.
                    assertThat(reason).contains("disabled");
                } else {
                    assertThat(reason).contains("not in the boot layer").contains(MODULE);
                }
                break;
        }
    }

    /**
     * The engines the comparison tests must cover in this execution: {@code scalar} always, and
     * {@code vector} in the vector run, where its absence fails instead of quietly shrinking the
     * list to the scalar engine alone.
     */
    public static <T> List<T> engines(String what, T scalar, T vector, String reason) {
        List<T> list = new ArrayList<>();
        list.add(scalar);
        if (expected() == Kind.VECTOR) {
            if (vector == null) {
                fail(
                        "%s: the vector engine is not available in the vector run, so the"
                                + " engine comparisons would test the scalar engine only: %s",
                        what, reason);
            }
            list.add(vector);
        } else {
            assertThat(vector).as("%s: vector engine in the scalar run", what).isNull();
        }
        return list;
    }
}
