package io.edgestream.job;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * The options {@link EdgeJobOptions} declares, read from its {@code public static final
 * ConfigOption<T>} fields: key, value type (the field's type argument), default, description and
 * {@link JobOption}. This is how the parser, the checks, the printed configuration and the options
 * table all work from the one declaration of each option.
 */
final class DeclaredOptions {

    /** One declared option. */
    record Declared(ConfigOption<?> option, Class<?> type, JobOption info) {

        String key() {
            return option.key();
        }

        /** True for a family of options such as {@code kafka.*}. */
        boolean isPrefix() {
            return key().endsWith(".*");
        }

        /**
         * The value of {@code raw} in the declared type, checked against {@link JobOption#min()}
         * and {@link JobOption#nonEmpty()}; numbers, booleans and enum names may be surrounded by
         * blanks, enum names are case-insensitive and may use {@code -} for {@code _}.
         *
         * @throws IllegalArgumentException naming the option, what it needs and what it got
         */
        Object parse(String raw) {
            Object value = convert(raw);
            if (info.nonEmpty() && raw.isBlank()) {
                throw new IllegalArgumentException("option '" + key() + "' must not be empty");
            }
            if (info.min() != Long.MIN_VALUE && ((Number) value).longValue() < info.min()) {
                throw new IllegalArgumentException(
                        "option '" + key() + "' must be at least " + info.min() + ", got " + raw);
            }
            return value;
        }

        private Object convert(String raw) {
            String v = raw.trim();
            if (type == String.class) {
                return raw;
            }
            if (type == Integer.class || type == Long.class) {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw invalid("an integer", raw, e);
                }
                if (type == Long.class) {
                    return n;
                }
                if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                    throw invalid("an integer of at most " + Integer.MAX_VALUE, raw, null);
                }
                return (int) n;
            }
            if (type == Float.class) {
                float f;
                try {
                    f = Float.parseFloat(v);
                } catch (NumberFormatException e) {
                    throw invalid("a number", raw, e);
                }
                if (!Float.isFinite(f)) {
                    throw invalid("a finite number", raw, null);
                }
                return f;
            }
            if (type == Boolean.class) {
                if (v.equalsIgnoreCase("true")) {
                    return true;
                }
                if (v.equalsIgnoreCase("false")) {
                    return false;
                }
                throw invalid("true or false", raw, null);
            }
            if (type.isEnum()) {
                String name = v.toUpperCase(Locale.ROOT).replace('-', '_');
                for (Object c : type.getEnumConstants()) {
                    if (((Enum<?>) c).name().equals(name)) {
                        return c;
                    }
                }
                throw invalid("one of " + Arrays.toString(type.getEnumConstants()), raw, null);
            }
            throw new IllegalStateException("no parser for option type " + type.getName());
        }

        private IllegalArgumentException invalid(String what, String raw, Exception cause) {
            return new IllegalArgumentException(
                    "option '" + key() + "' must be " + what + ", got '" + raw + "'", cause);
        }

        /** The value as {@link EdgeJobOptions#describe()} prints it. */
        String printable(Object value) {
            if (value instanceof Enum<?> e) {
                return e.name();
            }
            return String.valueOf(value);
        }

        /** The description, as plain text with Markdown code spans. */
        String description() {
            List<String> parts = new ArrayList<>();
            for (BlockElement b : option.description().getBlocks()) {
                if (!(b instanceof TextElement t) || !t.getElements().isEmpty()) {
                    throw new IllegalStateException(
                            "option '" + key() + "': only plain-text descriptions are supported");
                }
                parts.add(t.getFormat());
            }
            return String.join(" ", parts);
        }
    }

    private static final List<Declared> ALL;
    private static final Map<String, Declared> BY_KEY;

    static {
        List<Declared> all = new ArrayList<>();
        for (Field f : EdgeJobOptions.class.getDeclaredFields()) {
            if (f.getType() == ConfigOption.class) {
                all.add(declared(f));
            }
        }
        all.sort(
                Comparator.comparing((Declared d) -> d.info().group())
                        .thenComparing(Declared::key));
        Map<String, Declared> byKey = new LinkedHashMap<>();
        for (Declared d : all) {
            if (byKey.put(d.key(), d) != null) {
                throw new IllegalStateException("option '" + d.key() + "' is declared twice");
            }
        }
        ALL = Collections.unmodifiableList(all);
        BY_KEY = Collections.unmodifiableMap(byKey);
    }

    private DeclaredOptions() {}

    private static Declared declared(Field f) {
        int m = f.getModifiers();
        JobOption info = f.getAnnotation(JobOption.class);
        Type t = f.getGenericType();
        if (!Modifier.isPublic(m) || !Modifier.isStatic(m) || !Modifier.isFinal(m)) {
            throw new IllegalStateException(f.getName() + " must be public static final");
        }
        if (info == null) {
            throw new IllegalStateException(f.getName() + " has no @JobOption");
        }
        if (!(t instanceof ParameterizedType p)
                || !(p.getActualTypeArguments()[0] instanceof Class<?> type)) {
            throw new IllegalStateException(f.getName() + " must be a ConfigOption<SomeType>");
        }
        try {
            ConfigOption<?> option = (ConfigOption<?>) f.get(null);
            if (option.hasDefaultValue() && !type.isInstance(option.defaultValue())) {
                throw new IllegalStateException(f.getName() + ": default of the wrong type");
            }
            return new Declared(option, type, info);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every declared option, by table section and then by key. */
    static List<Declared> all() {
        return ALL;
    }

    /** The declared option named {@code key} (not a prefix family), or null. */
    static Declared get(String key) {
        Declared d = BY_KEY.get(key);
        return d == null || d.isPrefix() ? null : d;
    }

    /**
     * The names a user may give, for the unknown-option error: keys, and prefixes as {@code
     * kafka.<...>}.
     */
    static List<String> knownNames() {
        List<String> names = new ArrayList<>();
        for (Declared d : ALL) {
            names.add(d.isPrefix() ? d.key().replace("*", "<client property>") : d.key());
        }
        Collections.sort(names);
        return names;
    }
}
