package io.edgestream.clients.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli type converters for the forms of {@link Units}, and for enum options written in lower
 * case with '-' for '_' ({@code reflect-101}, {@code per-channel}).
 */
public final class Converters {
    private Converters() {}

    /**
     * A value read by one of the {@link Units} parsers, whose message becomes picocli's conversion
     * error; subclass it with a no-argument constructor for an option's {@code converter}.
     */
    public abstract static class UnitConverter<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        protected UnitConverter(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 10s}, {@code 500ms}, {@code 5m}, {@code 1h}, {@code PT30S}. */
    public static final class DurationConverter extends UnitConverter<Duration> {
        public DurationConverter() {
            super(Units::parseDuration);
        }
    }

    /** {@code 32MiB}, {@code 512k}, {@code 1048576}. */
    public static final class ByteSizeConverter extends UnitConverter<Long> {
        public ByteSizeConverter() {
            super(Units::parseBytes);
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

    /** {@code single-object}, {@code registry}. */
    public static final class WireFormatConverter extends EnumConverter<WireFormatName> {
        public WireFormatConverter() {
            super(WireFormatName.class);
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
