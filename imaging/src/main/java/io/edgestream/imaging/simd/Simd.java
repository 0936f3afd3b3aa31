package io.edgestream.imaging.simd;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Chooses between a Vector API engine and its scalar twin, once, for the classes that offer both
 * ({@code Convolution}, {@code FusedSobelU8}, {@code EdgeStatsPartial}). The vector engine is used
 * when {@code jdk.incubator.vector} is in the boot layer ({@code --add-modules
 * jdk.incubator.vector}), it constructs without error, and {@code -Dedgestream.simd=false} is not
 * set; otherwise the scalar engine is used, and {@link Selection#reason()} says why, for start-up
 * logs.
 */
public final class Simd {

    /** System property that forces the scalar path when set to {@code false}. */
    public static final String PROPERTY = "edgestream.simd";

    private static final String MODULE = "jdk.incubator.vector";

    private Simd() {}

    /**
     * The outcome of a {@link #select}: the engine to use, the vector engine even if it is not the
     * one in use (null when unavailable), and why {@code active} is what it is.
     */
    public record Selection<T>(T active, T vector, String reason) {}

    /**
     * Loads {@code vectorClass} (a class with a no-argument constructor implementing {@code type},
     * possibly package-private) if the Vector API module is present, and picks it over {@code
     * scalar} unless {@link #PROPERTY} is {@code false}.
     */
    public static <T> Selection<T> select(Class<T> type, String vectorClass, T scalar) {
        T vector = null;
        String why;
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            why =
                    "module "
                            + MODULE
                            + " is not in the boot layer (run with --add-modules "
                            + MODULE
                            + ")";
        } else {
            try {
                // Reflection keeps every Vector API reference out of classes loaded without it.
                Constructor<?> ctor = Class.forName(vectorClass).getDeclaredConstructor();
                // The engines are package-private; this class is in the same module as they are.
                ctor.setAccessible(true);
                vector = type.cast(ctor.newInstance());
                why = "Vector API available";
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // What the engine's constructor threw, not the reflective wrapper around it.
                Throwable cause =
                        e instanceof InvocationTargetException && e.getCause() != null
                                ? e.getCause()
                                : e;
                why = "Vector API failed to initialise: " + cause;
            }
        }
        boolean simd = !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
        if (!simd) {
            why = "disabled by -D" + PROPERTY + "=false";
        }
        return new Selection<>(simd && vector != null ? vector : scalar, vector, why);
    }
}
