package io.edgestream.clients.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli type converters for the forms of {@link Units}, and for enum options written in lower
 * case with '-' for '_' ({@code reflect-101}, {@code per-channel}).
 */
public final class Converters {
    private Converters() {}

    /** {@code 10s}, {@code 500ms}, {@code 5m}, {@code 1h}, {@code PT30S}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Units.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 32MiB}, {@code 512k}, {@code 1048576}. */
    public static final class ByteSizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Units.parseBytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * An enum constant from its name in any case, '-' read as '_'; subclass it with a no-argument
     * constructor for an option's {@code converter}.
     */
    public abstract static class EnumConverter<E extends Enum<E>> implements ITypeConverter<E> {
        private final Class<E> type;

        protected EnumConverter(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String value) {
            try {
                return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not one of " + String.join(", ", names(type)));
            }
        }
    }

    /** {@code auto}, {@code bar}, {@code lines}, {@code none}. */
    public static final class ProgressModeConverter extends EnumConverter<Progress.Mode> {
        public ProgressModeConverter() {
            super(Progress.Mode.class);
        }
    }

    /** How the constants of {@code type} are written on the command line. */
    public static <E extends Enum<E>> List<String> names(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            names.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return names;
    }
}
