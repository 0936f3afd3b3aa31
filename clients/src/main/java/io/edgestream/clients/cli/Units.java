package io.edgestream.clients.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * The forms the tools accept for durations and byte sizes, as people write them: {@code 10s},
 * {@code 500ms}, {@code 32MiB}, {@code 512k}.
 */
public final class Units {
    private Units() {}

    /**
     * Parses {@code 500ms}, {@code 30s}, {@code 1.5m}, {@code 1h}, a bare number of seconds, or
     * ISO-8601 ({@code PT30S}).
     *
     * @throws IllegalArgumentException with a message that shows the accepted forms
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
     * 1g}/{@code 1GiB} (powers of 1024; a trailing {@code B} is optional).
     *
     * @throws IllegalArgumentException with a message that shows the accepted forms
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
