package io.edgestream.imaging.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named edge filters, exactly as the product applies them (cross-correlation: the matrix is
 * laid over the image as printed, never flipped), plus a parser for user-supplied matrices.
 *
 * <p>Sign convention: every x-derivative here is positive where the image is <em>bright on the left
 * and dark on the right</em>, and every y-derivative is positive where it is <em>bright on top and
 * dark below</em>. OpenCV's {@code Sobel(dx=1)} and {@code Scharr(dx=1)} use the opposite sign
 * (their x kernel is the negative of ours); scikit-image additionally normalises Sobel by 1/4. None
 * of the kernels here are normalised.
 */
public final class Kernels {

    /**
     * Vertical-edge filter (the course's), positive for bright-left/dark-right:
     *
     * <pre>
     *  1  0 -1
     *  1  0 -1
     *  1  0 -1
     * </pre>
     */
    public static final Kernel VERTICAL =
            Kernel.of("vertical", new float[][] {{1, 0, -1}, {1, 0, -1}, {1, 0, -1}});

    /**
     * Horizontal-edge filter, positive for bright-top/dark-bottom:
     *
     * <pre>
     *  1  1  1
     *  0  0  0
     * -1 -1 -1
     * </pre>
     */
    public static final Kernel HORIZONTAL =
            Kernel.of("horizontal", new float[][] {{1, 1, 1}, {0, 0, 0}, {-1, -1, -1}});

    /**
     * Sobel x-derivative, positive for bright-left/dark-right (OpenCV's is the negative):
     *
     * <pre>
     *  1  0 -1
     *  2  0 -2
     *  1  0 -1
     * </pre>
     */
    public static final Kernel SOBEL_X =
            Kernel.of("sobel_x", new float[][] {{1, 0, -1}, {2, 0, -2}, {1, 0, -1}});

    /**
     * Sobel y-derivative (the transpose of {@link #SOBEL_X}), positive for bright-top/dark-bottom:
     *
     * <pre>
     *  1  2  1
     *  0  0  0
     * -1 -2 -1
     * </pre>
     */
    public static final Kernel SOBEL_Y =
            Kernel.of("sobel_y", new float[][] {{1, 2, 1}, {0, 0, 0}, {-1, -2, -1}});

    /**
     * Scharr x-derivative, positive for bright-left/dark-right (OpenCV's is the negative):
     *
     * <pre>
     *   3  0  -3
     *  10  0 -10
     *   3  0  -3
     * </pre>
     */
    public static final Kernel SCHARR_X =
            Kernel.of("scharr_x", new float[][] {{3, 0, -3}, {10, 0, -10}, {3, 0, -3}});

    /**
     * Scharr y-derivative (the transpose of {@link #SCHARR_X}), positive for bright-top:
     *
     * <pre>
     *  3  10  3
     *  0   0  0
     * -3 -10 -3
     * </pre>
     */
    public static final Kernel SCHARR_Y =
            Kernel.of("scharr_y", new float[][] {{3, 10, 3}, {0, 0, 0}, {-3, -10, -3}});

    /** Prewitt x-derivative: the same weights as {@link #VERTICAL} ({@code [1 0 -1; ...]}). */
    public static final Kernel PREWITT_X = VERTICAL.renamed("prewitt_x");

    /**
     * Prewitt y-derivative: the same weights as {@link #HORIZONTAL} ({@code [1 1 1; 0 0 0; ...]}).
     */
    public static final Kernel PREWITT_Y = HORIZONTAL.renamed("prewitt_y");

    /**
     * 4-neighbour Laplacian (sign-symmetric; negative on a bright peak):
     *
     * <pre>
     *  0  1  0
     *  1 -4  1
     *  0  1  0
     * </pre>
     */
    public static final Kernel LAPLACIAN =
            Kernel.of("laplacian", new float[][] {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}});

    private static final Map<String, Kernel> BY_NAME = new LinkedHashMap<>();

    static {
        for (Kernel k :
                List.of(
                        VERTICAL,
                        HORIZONTAL,
                        SOBEL_X,
                        SOBEL_Y,
                        SCHARR_X,
                        SCHARR_Y,
                        PREWITT_X,
                        PREWITT_Y,
                        LAPLACIAN)) {
            BY_NAME.put(k.name(), k);
        }
    }

    private Kernels() {}

    /** The lower-case names accepted by {@link #byName}, in a stable order. */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(BY_NAME.keySet()));
    }

    /**
     * The named kernel ("vertical", "horizontal", "sobel_x", "sobel_y", "scharr_x", "scharr_y",
     * "prewitt_x", "prewitt_y", "laplacian"); case-insensitive, '-' accepted for '_'.
     *
     * @throws IllegalArgumentException naming the valid names if {@code name} is unknown
     */
    public static Kernel byName(String name) {
        Kernel k =
                name == null
                        ? null
                        : BY_NAME.get(
                                name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
        if (k == null) {
            throw new IllegalArgumentException(
                    "unknown kernel name '"
                            + name
                            + "'; valid names are "
                            + String.join(", ", BY_NAME.keySet())
                            + " (or give a matrix such as \"1,0,-1;2,0,-2;1,0,-1\")");
        }
        return k;
    }

    /**
     * A 2-D kernel (depth 1) from a matrix written as rows separated by ';' and values separated by
     * ',' and/or whitespace, e.g. {@code "1,0,-1;2,0,-2;1,0,-1"} or {@code "1 2; 3 4"}. Any size is
     * accepted, including non-square and even ones; every row must have the same number of values.
     * One trailing ';' is tolerated.
     *
     * @throws IllegalArgumentException saying which row/value (1-based) and character offset is
     *     wrong
     */
    public static Kernel parse(String name, String matrix) {
        if (matrix == null || matrix.isBlank()) {
            throw new IllegalArgumentException(
                    "kernel '" + name + "': empty matrix; expected e.g. \"1,0,-1;2,0,-2;1,0,-1\"");
        }
        List<String> rowTexts = new ArrayList<>();
        List<Integer> rowStarts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= matrix.length(); i++) {
            if (i == matrix.length() || matrix.charAt(i) == ';') {
                rowTexts.add(matrix.substring(start, i));
                rowStarts.add(start);
                start = i + 1;
            }
        }
        if (rowTexts.size() > 1 && rowTexts.get(rowTexts.size() - 1).isBlank()) {
            rowTexts.remove(rowTexts.size() - 1);
            rowStarts.remove(rowStarts.size() - 1);
        }
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < rowTexts.size(); r++) {
            rows.add(parseRow(name, matrix, rowTexts.get(r), rowStarts.get(r), r));
        }
        int cols = rows.get(0).length;
        for (int r = 1; r < rows.size(); r++) {
            if (rows.get(r).length != cols) {
                throw new IllegalArgumentException(
                        "kernel '"
                                + name
                                + "': row "
                                + (r + 1)
                                + " (at character "
                                + rowStarts.get(r)
                                + ") has "
                                + rows.get(r).length
                                + " values but row 1 has "
                                + cols
                                + "; every row needs the same number of values in \""
                                + matrix
                                + "\"");
            }
        }
        return Kernel.of(name, rows.toArray(new float[0][]));
    }

    private static float[] parseRow(String name, String matrix, String row, int rowStart, int r) {
        List<Float> values = new ArrayList<>();
        int i = 0;
        int n = row.length();
        boolean needValue = true; // after a ',' a value must follow
        while (true) {
            while (i < n && Character.isWhitespace(row.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            if (row.charAt(i) == ',') {
                if (needValue) {
                    throw new IllegalArgumentException(
                            error(name, matrix, r, values.size(), rowStart + i, "empty value"));
                }
                needValue = true;
                i++;
                continue;
            }
            int s = i;
            while (i < n && row.charAt(i) != ',' && !Character.isWhitespace(row.charAt(i))) {
                i++;
            }
            String token = row.substring(s, i);
            float v = Float.NaN;
            NumberFormatException notANumber = null;
            try {
                v = Float.parseFloat(token);
            } catch (NumberFormatException e) {
                notANumber = e;
            }
            if (!Float.isFinite(v)) {
                String problem = notANumber != null ? "not a number" : "not finite";
                throw new IllegalArgumentException(
                        error(
                                name,
                                matrix,
                                r,
                                values.size(),
                                rowStart + s,
                                "'" + token + "' is " + problem),
                        notANumber);
            }
            values.add(v);
            needValue = false;
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(
                    error(name, matrix, r, 0, rowStart, "the row is empty"));
        }
        if (needValue) {
            throw new IllegalArgumentException(
                    error(
                            name,
                            matrix,
                            r,
                            values.size(),
                            rowStart + n,
                            "a ',' is not followed by a value"));
        }
        float[] out = new float[values.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = values.get(k);
        }
        return out;
    }

    private static String error(
            String name, String matrix, int row, int value, int at, String what) {
        return "kernel '"
                + name
                + "': row "
                + (row + 1)
                + ", value "
                + (value + 1)
                + " (character "
                + at
                + "): "
                + what
                + " in \""
                + matrix
                + "\"; expected rows separated by ';' and numbers by ',' or spaces, e.g."
                + " \"1,0,-1;2,0,-2;1,0,-1\"";
    }
}
