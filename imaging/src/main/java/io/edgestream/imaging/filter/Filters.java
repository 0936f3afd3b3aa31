package io.edgestream.imaging.filter;

import io.edgestream.imaging.kernel.Kernels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses filter specifications as users type them (command line, job options).
 *
 * <p>A single filter is either a built-in name or a custom matrix:
 *
 * <ul>
 *   <li>{@code vertical}, {@code horizontal}, {@code sobel_x}, {@code sobel_y}, {@code scharr_x},
 *       {@code scharr_y}, {@code prewitt_x}, {@code prewitt_y}, {@code laplacian}: the signed
 *       response of that kernel ({@link Kernels});
 *   <li>{@code sobel}, {@code scharr}, {@code prewitt}: the gradient magnitude of the {@code
 *       _x}/{@code _y} pair;
 *   <li>{@code name=1,0,-1;2,0,-2;1,0,-1}: a custom kernel, rows separated by {@code ;}, values by
 *       {@code ,}; the name matches {@code [a-z0-9_-]+} and must not be a built-in name.
 * </ul>
 *
 * <p>A list ({@link #parseList}) separates filters with {@code |}, e.g. {@code
 * sobel|laplacian|ridge=0,-1,0;-1,4,-1;0,-1,0}. Because a matrix contains commas, commas separate
 * filters only in a list without any custom matrix (no {@code =}), so {@code sobel,laplacian} also
 * works. Whitespace around entries is ignored. Names must be unique within a list.
 */
public final class Filters {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");

    /** Every named kernel is a linear filter of the same name. */
    private static final List<String> LINEAR = Kernels.names();

    private static final List<String> GRADIENT = List.of("sobel", "scharr", "prewitt");

    private Filters() {}

    /** All built-in filter names: the linear kernels, then the gradient magnitudes. */
    public static List<String> names() {
        List<String> all = new ArrayList<>(LINEAR);
        all.addAll(GRADIENT);
        return Collections.unmodifiableList(all);
    }

    /**
     * Parses one filter: a built-in name or {@code name=matrix}.
     *
     * @throws IllegalArgumentException naming the problem and the valid names
     */
    public static Filter parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "empty filter specification; use one of "
                            + names()
                            + " or name=1,0,-1;2,0,-2;1,0,-1");
        }
        String s = spec.strip();
        int eq = s.indexOf('=');
        if (eq < 0) {
            s = s.toLowerCase(Locale.ROOT);
            if (LINEAR.contains(s)) {
                return new LinearFilter(s, Kernels.byName(s));
            }
            if (GRADIENT.contains(s)) {
                return new GradientFilter(s, Kernels.byName(s + "_x"), Kernels.byName(s + "_y"));
            }
            throw new IllegalArgumentException(
                    "unknown filter '"
                            + s
                            + "'; valid names are "
                            + names()
                            + ", or a custom kernel as name=1,0,-1;2,0,-2;1,0,-1");
        }
        String name = s.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String matrix = s.substring(eq + 1).strip();
        checkName(name);
        if (names().contains(name)) {
            throw new IllegalArgumentException(
                    "custom filter '"
                            + name
                            + "' would hide the built-in filter of that name; choose another name");
        }
        if (matrix.isEmpty()) {
            throw new IllegalArgumentException(
                    "custom filter '"
                            + name
                            + "' has no matrix; write e.g. "
                            + name
                            + "=1,0,-1;2,0,-2;1,0,-1 (rows separated by ';')");
        }
        return new LinearFilter(name, Kernels.parse(name, matrix));
    }

    /**
     * Parses a list of filters separated by {@code |} (or by commas if no entry is a custom
     * matrix); see the class documentation.
     *
     * @throws IllegalArgumentException for an empty list, a bad entry or a repeated name
     */
    public static List<Filter> parseList(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException(
                    "empty filter list; use e.g. 'sobel|laplacian' with names from " + names());
        }
        String sep = list.indexOf('|') < 0 && list.indexOf('=') < 0 ? "," : "\\|";
        List<String> entries = new ArrayList<>();
        for (String e : list.split(sep, -1)) {
            if (e.isBlank()) {
                throw new IllegalArgumentException(
                        "filter list '" + list + "' has an empty entry; separate filters with '|'");
            }
            entries.add(e);
        }
        return parseList(entries);
    }

    /**
     * Parses filters given one per element (e.g. a repeated command-line option).
     *
     * @throws IllegalArgumentException for an empty list, a bad entry or a repeated name
     */
    public static List<Filter> parseList(List<String> specs) {
        if (specs == null || specs.isEmpty()) {
            throw new IllegalArgumentException("empty filter list; use names from " + names());
        }
        List<Filter> out = new ArrayList<>(specs.size());
        Set<String> seen = new HashSet<>();
        for (String spec : specs) {
            Filter f = parse(spec);
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException(
                        "filter '"
                                + f.name()
                                + "' appears twice in the list; names must be unique");
            }
            out.add(f);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Groups filters by kernel size ({@code "rowsxcols"}, e.g. {@code "3x3"}) in first-appearance
     * order; a job makes one {@code TilePlan} per group.
     */
    public static Map<String, List<Filter>> groupBySize(List<? extends Filter> filters) {
        Map<String, List<Filter>> groups = new LinkedHashMap<>();
        for (Filter f : filters) {
            groups.computeIfAbsent(f.size(), k -> new ArrayList<>()).add(f);
        }
        return groups;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "filter name '"
                            + name
                            + "' is not allowed; use lower-case letters, digits, '_' and '-'");
        }
    }
}
