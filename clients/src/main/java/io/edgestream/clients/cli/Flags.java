package io.edgestream.clients.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A small GNU-style command-line parser that also writes the tool's {@code --help}: every option is
 * declared once with its value name, default and description, so the help can never forget one.
 * Accepted forms: {@code --name value}, {@code --name=value}, boolean {@code --name}, {@code --}
 * ends the options, and a lone {@code -} is a positional argument (standard input). Repeatable
 * options collect every occurrence in order.
 */
public final class Flags {

    /** One declared option; {@code metavar == null} means a boolean switch. */
    public record Option(
            String name, String metavar, String defaultValue, boolean repeatable, String help) {}

    private final String usage;
    private final String description;
    private final Map<String, Option> options = new LinkedHashMap<>();
    private final List<String> footer = new ArrayList<>();

    /**
     * @param usage the synopsis line, e.g. {@code "produce-images [options] PATH..."}
     * @param description one paragraph shown under the synopsis
     */
    public Flags(String usage, String description) {
        this.usage = usage;
        this.description = description;
        flag("help", "print this help and exit");
    }

    /** Declares a boolean switch (false unless given). */
    public Flags flag(String name, String help) {
        return add(new Option(name, null, null, false, help));
    }

    /** Declares an option taking one value; {@code defaultValue} may be null (no default). */
    public Flags value(String name, String metavar, String defaultValue, String help) {
        return add(new Option(name, metavar, defaultValue, false, help));
    }

    /** Declares an option that may be given several times. */
    public Flags multi(String name, String metavar, String help) {
        return add(new Option(name, metavar, null, true, help));
    }

    /** Adds a paragraph (e.g. examples, exit codes) at the end of the help. */
    public Flags footer(String text) {
        footer.add(text);
        return this;
    }

    /**
     * Applies {@code group}, declarations shared by several tools (e.g. {@link
     * KafkaToolOptions#declare}), without breaking the declaration chain.
     */
    public Flags with(UnaryOperator<Flags> group) {
        return group.apply(this);
    }

    private Flags add(Option o) {
        if (options.put(o.name(), o) != null) {
            throw new IllegalArgumentException("option --" + o.name() + " declared twice");
        }
        return this;
    }

    /** The declared options, in declaration order. */
    public List<Option> options() {
        return List.copyOf(options.values());
    }

    /** Parses {@code args}; {@code --help} is reported through {@link Parsed#help()}. */
    public Parsed parse(String... args) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        boolean onlyPositional = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (onlyPositional || !a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyPositional = true;
                continue;
            }
            if (a.equals("-h")) {
                a = "--help";
            }
            if (!a.startsWith("--")) {
                throw new UsageException(
                        "unknown option '" + a + "': options are long, e.g. --help");
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option o = options.get(name);
            if (o == null) {
                throw new UsageException("unknown option --" + name + suggestion(name));
            }
            String v;
            if (o.metavar() == null) {
                if (inline != null) {
                    throw new UsageException("--" + name + " is a switch and takes no value");
                }
                v = "true";
            } else if (inline != null) {
                v = inline;
            } else if (i + 1 < args.length) {
                v = args[++i];
            } else {
                throw new UsageException("--" + name + " needs a value " + o.metavar());
            }
            List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!o.repeatable() && !list.isEmpty()) {
                throw new UsageException("--" + name + " given twice");
            }
            list.add(v);
        }
        return new Parsed(this, values, positional);
    }

    private String suggestion(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : options.keySet()) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= 3
                ? " (did you mean --" + best + "?); see --help"
                : "; see --help";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The help text: synopsis, description, every option with its default, footers. */
    public String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ")
                .append(usage)
                .append("\n\n")
                .append(description)
                .append("\n\nOptions:\n");
        for (Option o : options.values()) {
            String left = "  --" + o.name() + (o.metavar() == null ? "" : " " + o.metavar());
            sb.append(left);
            if (left.length() < 30) {
                sb.append(" ".repeat(30 - left.length()));
            } else {
                sb.append("\n").append(" ".repeat(30));
            }
            sb.append(o.help());
            if (o.defaultValue() != null) {
                sb.append(" (default: ").append(o.defaultValue()).append(')');
            } else if (o.repeatable()) {
                sb.append(" (repeatable)");
            }
            sb.append('\n');
        }
        for (String f : footer) {
            sb.append('\n').append(f).append('\n');
        }
        return sb.toString();
    }

    /** The result of {@link #parse}: values with defaults applied, and positional arguments. */
    public static final class Parsed {
        private final Flags flags;
        private final Map<String, List<String>> values;
        private final List<String> positional;

        private Parsed(Flags flags, Map<String, List<String>> values, List<String> positional) {
            this.flags = flags;
            this.values = values;
            this.positional = List.copyOf(positional);
        }

        /** True if {@code --help} (or {@code -h}) was given. */
        public boolean help() {
            return has("help");
        }

        /** True if the option was given on the command line (defaults do not count). */
        public boolean has(String name) {
            declared(name);
            return values.containsKey(name);
        }

        /** The option's value, or its default (may be null). */
        public String get(String name) {
            Option o = declared(name);
            List<String> v = values.get(name);
            return v == null ? o.defaultValue() : v.get(v.size() - 1);
        }

        /** Every value of a repeatable option, in order (empty if none). */
        public List<String> all(String name) {
            declared(name);
            return List.copyOf(values.getOrDefault(name, List.of()));
        }

        public List<String> positional() {
            return positional;
        }

        public int getInt(String name, int min) throws UsageException {
            String v = get(name);
            try {
                int i = Integer.parseInt(v.trim());
                if (i < min) {
                    throw new UsageException(
                            "--" + name + " must be at least " + min + ", got " + i);
                }
                return i;
            } catch (NumberFormatException | NullPointerException e) {
                throw new UsageException("--" + name + " needs a whole number, got '" + v + "'");
            }
        }

        public long getLong(String name, long min) throws UsageException {
            String v = get(name);
            try {
                long l = Long.parseLong(v.trim());
                if (l < min) {
                    throw new UsageException(
                            "--" + name + " must be at least " + min + ", got " + l);
                }
                return l;
            } catch (NumberFormatException | NullPointerException e) {
                throw new UsageException("--" + name + " needs a whole number, got '" + v + "'");
            }
        }

        public double getDouble(String name) throws UsageException {
            String v = get(name);
            try {
                double d = Double.parseDouble(v.trim());
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException | NullPointerException e) {
                throw new UsageException("--" + name + " needs a number, got '" + v + "'");
            }
        }

        /**
         * A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or {@code PT30S}.
         */
        public Duration getDuration(String name) throws UsageException {
            String v = get(name);
            try {
                return parseDuration(v);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + name + ": " + e.getMessage());
            }
        }

        /** A byte size such as {@code 32MiB}, {@code 512k}, {@code 1048576}. */
        public long getBytes(String name) throws UsageException {
            String v = get(name);
            try {
                return parseBytes(v);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + name + ": " + e.getMessage());
            }
        }

        /** The value as a constant of {@code type}, case-insensitive, '-' read as '_'. */
        public <E extends Enum<E>> E getEnum(String name, Class<E> type) throws UsageException {
            String v = get(name);
            try {
                return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException | NullPointerException e) {
                List<String> names = new ArrayList<>();
                for (E c : type.getEnumConstants()) {
                    names.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
                throw new UsageException(
                        "--"
                                + name
                                + " must be one of "
                                + String.join(", ", names)
                                + ", got '"
                                + v
                                + "'");
            }
        }

        private Option declared(String name) {
            Option o = flags.options.get(name);
            if (o == null) {
                throw new IllegalArgumentException("option --" + name + " was never declared");
            }
            return o;
        }
    }

    /**
     * Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, a bare number of seconds, or
     * ISO-8601.
     */
    public static Duration parseDuration(String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("empty duration; write e.g. 30s, 500ms, 5m or 1h");
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            char unit = s.charAt(s.length() - 1);
            String num = Character.isDigit(unit) ? s : s.substring(0, s.length() - 1).trim();
            double d = Double.parseDouble(num);
            if (d < 0 || !Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            double seconds;
            switch (unit) {
                case 'h':
                    seconds = d * 3600;
                    break;
                case 'm':
                    seconds = d * 60;
                    break;
                case 's':
                    seconds = d;
                    break;
                default:
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException();
                    }
                    seconds = d;
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "'" + v + "' is not a duration; write e.g. 30s, 500ms, 5m, 1h or PT30S");
        }
    }

    /**
     * Parses {@code 1048576}, {@code 512k}/{@code 512KiB}, {@code 32m}/{@code 32MiB}, {@code
     * 1g}/{@code 1GiB}.
     */
    public static long parseBytes(String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("empty size; write e.g. 32MiB, 512KiB or 1048576");
        }
        String s = v.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long mult = 1;
        if (!s.isEmpty()) {
            char u = s.charAt(s.length() - 1);
            if (u == 'k' || u == 'm' || u == 'g') {
                mult = u == 'k' ? 1L << 10 : u == 'm' ? 1L << 20 : 1L << 30;
                s = s.substring(0, s.length() - 1).trim();
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, mult);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "'" + v + "' is not a size; write e.g. 32MiB, 512KiB or 1048576 (bytes)");
        }
    }
}
