package io.edgestream.imaging.stats;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.simd.Simd;
import io.edgestream.imaging.tile.TileSpec;
import java.util.Arrays;

/**
 * Edge statistics of part of a feature map (one tile, or several merged), made to be merged in any
 * order into the statistics of the whole map ({@link #merge}, {@link #finish}).
 *
 * <p>It is a Flink POJO on purpose: a public no-arg constructor and public non-final fields of
 * primitives and primitive arrays only, so Flink serializes it with its POJO serializer, never with
 * Kryo. A fresh instance is the neutral element of {@link #merge} (usable as an aggregate's
 * accumulator).
 *
 * <p>Exact parts: counts, histogram, orientation histogram, min, max and the density grid merge
 * exactly, whatever the order. Floating parts: {@code sum} and {@code sumAbs} are Neumaier
 * (compensated) sums with their compensation kept in separate fields and carried through merges, so
 * their error is about {@code 2 eps |S| + O(n eps^2) sum|x|} instead of {@code n eps sum|x|}; the
 * variance is kept as {@code m2}, the sum of squared deviations from the mean, computed per tile in
 * two passes and merged with the pairwise formula of Chan, Golub and LeVeque ({@code m2 = m2a + m2b
 * + delta^2 na nb / n}), which avoids the cancellation of {@code sumSq/n - mean^2}. Merged results
 * agree with the whole-map computation to about 1e-13 relative.
 *
 * <p>How a tile is computed: one vectorised pass for everything but {@code m2} ({@link
 * StatsEngine}, on the Vector API when {@code jdk.incubator.vector} is in the boot layer, else
 * scalar), then a second vectorised sweep for {@code m2} around the tile's mean, whose per-row sums
 * have a fixed order of eight interleaved partial sums ({@link StatsEngine#rowSquares}). Every
 * field is bit for bit what the scalar engine gives, on either engine and any lane count: the
 * order-free parts trivially, the per-row sums because the vector engine proves them exact before
 * using lane sums (see {@code VectorStatsEngine}), the per-row sums of squares because their order
 * is defined as the one eight double lanes compute. A single pass cannot keep {@code m2} this
 * exact: its terms depend on the tile's mean, known only after every value is seen.
 *
 * <p>Non-finite values (NaN or infinity, possible with FLOAT32 input) are counted in {@code
 * nonFiniteCount} and excluded from every other field.
 */
public final class EdgeStatsPartial {
    private static final StatsEngine ENGINE;
    private static final StatsEngine VECTOR; // null when unavailable
    private static final String WHY;

    static {
        Simd.Selection<StatsEngine> selected =
                Simd.select(
                        StatsEngine.class,
                        "io.edgestream.imaging.stats.VectorStatsEngine",
                        ScalarStatsEngine.INSTANCE);
        ENGINE = selected.active();
        VECTOR = selected.vector();
        WHY = selected.reason();
    }

    /**
     * The active pass: {@code "vector-512"}, {@code "vector-256"}, ... or {@code "scalar"} (see
     * {@link Simd}).
     */
    public static String implementation() {
        return ENGINE.name();
    }

    /** Why {@link #implementation()} is what it is, for start-up logs. */
    public static String implementationReason() {
        return WHY;
    }

    static StatsEngine vectorEngine() {
        return VECTOR;
    }

    static StatsEngine scalarEngine() {
        return ScalarStatsEngine.INSTANCE;
    }

    /** Finite values. */
    public long count;

    /** NaN or infinite values, excluded from everything else. */
    public long nonFiniteCount;

    /** Neumaier sum of the finite values; the true sum is {@code sum + sumCompensation}. */
    public double sum;

    public double sumCompensation;

    /** Neumaier sum of the absolute finite values (plus {@code sumAbsCompensation}). */
    public double sumAbs;

    public double sumAbsCompensation;

    /** Sum of squared deviations from the mean of the finite values. */
    public double m2;

    /** Smallest finite value, +infinity when there is none. */
    public double min = Double.POSITIVE_INFINITY;

    /** Largest finite value, -infinity when there is none. */
    public double max = Double.NEGATIVE_INFINITY;

    /** Finite values with {@code |v| >= edgeThreshold}. */
    public long edgeCount;

    /** Histogram counts over the configured range (empty in a fresh instance). */
    public long[] histogram = new long[0];

    /** Orientation counts of edge pixels (empty for a linear filter or a fresh instance). */
    public long[] orientation = new long[0];

    /** Density-grid cells present, ascending, as {@code row * gridCols + col}. */
    public int[] gridCells = new int[0];

    /** Finite values per cell in {@link #gridCells}. */
    public long[] gridCounts = new long[0];

    /** Edge values per cell in {@link #gridCells}. */
    public long[] gridEdges = new long[0];

    /** An empty partial, the neutral element of {@link #merge}. */
    public EdgeStatsPartial() {}

    /**
     * The statistics of one output tile.
     *
     * @param tileMap the tile's feature map (any channel count)
     * @param gx the x-gradient of the same pixels for a gradient filter, else null
     * @param gy the y-gradient, else null
     * @param t the tile, whose grid cell ({@code col}, {@code row}) gets this tile's density
     */
    public static EdgeStatsPartial of(
            ImageF32 tileMap, ImageF32 gx, ImageF32 gy, StatsConfig cfg, TileSpec t) {
        return of(ENGINE, tileMap, gx, gy, cfg, t);
    }

    static EdgeStatsPartial of(
            StatsEngine engine,
            ImageF32 tileMap,
            ImageF32 gx,
            ImageF32 gy,
            StatsConfig cfg,
            TileSpec t) {
        checkGradients(tileMap, gx, gy);
        if (t.col() >= cfg.gridCols() || t.row() >= cfg.gridRows()) {
            throw new IllegalArgumentException(
                    "tile ("
                            + t.col()
                            + ","
                            + t.row()
                            + ") is outside the statistics grid "
                            + cfg.gridCols()
                            + "x"
                            + cfg.gridRows()
                            + "; make the StatsConfig from the same TilePlan");
        }
        EdgeStatsPartial p = new EdgeStatsPartial();
        long[] cellCounts = new long[1];
        long[] cellEdges = new long[1];
        scan(
                engine,
                tileMap,
                gx,
                gy,
                cfg,
                p,
                Math.max(1, tileMap.width),
                Math.max(1, tileMap.height),
                1,
                cellCounts,
                cellEdges);
        p.m2 = sumSquaredDeviations(engine, tileMap, p.mean(), p.nonFiniteCount == 0);
        p.gridCells = new int[] {t.row() * cfg.gridCols() + t.col()};
        p.gridCounts = cellCounts;
        p.gridEdges = cellEdges;
        return p;
    }

    static void checkGradients(ImageF32 map, ImageF32 gx, ImageF32 gy) {
        if ((gx == null) != (gy == null)) {
            throw new IllegalArgumentException("give both gradients or neither");
        }
        if (gx != null) {
            for (ImageF32 g : new ImageF32[] {gx, gy}) {
                if (g.width != map.width || g.height != map.height || g.channels != map.channels) {
                    throw new IllegalArgumentException(
                            "gradient " + g + " does not match the map " + map);
                }
            }
        }
    }

    /** The mean of the finite values so far (NaN if none). */
    double mean() {
        return count == 0 ? Double.NaN : (sum + sumCompensation) / count;
    }

    /**
     * One pass over {@code map}: everything except {@code m2}. Grid cells are {@code cellW x cellH}
     * blocks of the map, {@code cellCols} per row; their counts go to {@code cellCounts}/{@code
     * cellEdges}. Shared by tiles and the whole-map reference so both bin identically.
     *
     * <p>The values are taken in row segments (one cell wide) by the {@link StatsEngine}. Each
     * segment's plain sum (exact to ~1e-14 relative for that few float values) is added to the
     * running sums with Neumaier compensation: the same result as a compensated add per sample to
     * far below the 1e-9 contract, for a fraction of the cost. Min and max keep the first of equal
     * values in row-major order (which only matters for the sign of a zero).
     */
    static void scan(
            ImageF32 map,
            ImageF32 gx,
            ImageF32 gy,
            StatsConfig cfg,
            EdgeStatsPartial acc,
            int cellW,
            int cellH,
            int cellCols,
            long[] cellCounts,
            long[] cellEdges) {
        scan(ENGINE, map, gx, gy, cfg, acc, cellW, cellH, cellCols, cellCounts, cellEdges);
    }

    static void scan(
            StatsEngine engine,
            ImageF32 map,
            ImageF32 gx,
            ImageF32 gy,
            StatsConfig cfg,
            EdgeStatsPartial acc,
            int cellW,
            int cellH,
            int cellCols,
            long[] cellCounts,
            long[] cellEdges) {
        int obins = gx != null ? cfg.orientationBins() : 0;
        int ch = map.channels;
        Segment seg =
                new Segment(
                        cfg, engine.histogramCopies(), obins > 0, Math.min(cellW, map.width) * ch);
        long[] orient = new long[obins];
        long n = 0;
        long nonFinite = 0;
        long edges = 0;
        double s = 0;
        double sc = 0;
        double a = 0;
        double ac = 0;
        double mn = Double.POSITIVE_INFINITY;
        double mx = Double.NEGATIVE_INFINITY;
        float[] d = map.data;
        for (int y = 0; y < map.height; y++) {
            int cellRowBase = (y / cellH) * cellCols;
            for (int x0 = 0; x0 < map.width; x0 += cellW) {
                int cell = cellRowBase + x0 / cellW;
                int x1 = Math.min(map.width, x0 + cellW);
                int i = map.index(x0, y, 0);
                engine.segment(d, i, (x1 - x0) * ch, seg);
                if (obins > 0) {
                    int gi = gx.index(x0, y, 0);
                    int hi = gy.index(x0, y, 0);
                    for (int e = 0; e < seg.edges; e++) {
                        int k = seg.edgePos[e];
                        orient[OrientationBins.bin(gy.data[hi + k], gx.data[gi + k], obins)]++;
                    }
                }
                double rs = seg.sum;
                double ra = seg.sumAbs;
                double t = s + rs;
                sc += Math.abs(s) >= Math.abs(rs) ? (s - t) + rs : (rs - t) + s;
                s = t;
                t = a + ra;
                ac += a >= ra ? (a - t) + ra : (ra - t) + a;
                a = t;
                if (seg.min < mn) {
                    mn = seg.min;
                }
                if (seg.max > mx) {
                    mx = seg.max;
                }
                n += seg.count;
                nonFinite += seg.nonFinite;
                edges += seg.edges;
                cellCounts[cell] += seg.count;
                cellEdges[cell] += seg.edges;
            }
        }
        if (mn == 0 || mx == 0) {
            // Equal values are equal bits except zeros: the first zero decides, as in a plain
            // "if (v < min)" loop (an engine's lanes may have met a -0 and a +0 in another order).
            double zero = firstZero(map);
            mn = mn == 0 ? zero : mn;
            mx = mx == 0 ? zero : mx;
        }
        acc.count = n;
        acc.nonFiniteCount = nonFinite;
        acc.sum = s;
        acc.sumCompensation = sc;
        acc.sumAbs = a;
        acc.sumAbsCompensation = ac;
        acc.min = mn;
        acc.max = mx;
        acc.edgeCount = edges;
        acc.histogram = seg.fold().clone();
        acc.orientation = orient;
    }

    /**
     * The first value of {@code map} in row-major order that equals 0 ({@code +0} or {@code -0}).
     */
    private static double firstZero(ImageF32 map) {
        int rowLen = map.width * map.channels;
        for (int y = 0; y < map.height; y++) {
            int i = map.index(0, y, 0);
            for (int end = i + rowLen; i < end; i++) {
                if (map.data[i] == 0) {
                    return map.data[i];
                }
            }
        }
        throw new AssertionError("min or max is 0 but " + map + " holds no zero");
    }

    /**
     * Neumaier sum, across rows, of each row's sum of {@code (v - mean)^2} over its finite values
     * in the order {@link StatsEngine#rowSquares} defines (the second pass, several rows at a
     * time).
     *
     * @param allFinite whether the map holds no NaN or infinity (its {@code nonFiniteCount} is 0)
     */
    static double sumSquaredDeviations(ImageF32 map, double mean, boolean allFinite) {
        return sumSquaredDeviations(ENGINE, map, mean, allFinite);
    }

    static double sumSquaredDeviations(
            StatsEngine engine, ImageF32 map, double mean, boolean allFinite) {
        double s = 0;
        double c = 0;
        int rowLen = map.width * map.channels;
        double[] rows = new double[ROWS_AT_ONCE];
        for (int y = 0; y < map.height; y += ROWS_AT_ONCE) {
            int k = Math.min(ROWS_AT_ONCE, map.height - y);
            engine.rowSquares(
                    map.data, map.index(0, y, 0), map.stride, k, rowLen, mean, allFinite, rows);
            for (int j = 0; j < k; j++) {
                double row = rows[j];
                double t = s + row;
                c += s >= row ? (s - t) + row : (row - t) + s;
                s = t;
            }
        }
        return s + c;
    }

    /** Rows handed to {@link StatsEngine#rowSquares} at a time. */
    private static final int ROWS_AT_ONCE = 64;

    /**
     * Adds {@code o} into this partial. Order does not matter for the exact parts and only at the
     * rounding level for the floating ones.
     *
     * @throws IllegalArgumentException if the two were made with different configurations
     *     (histogram or orientation sizes differ)
     */
    public void merge(EdgeStatsPartial o) {
        histogram = mergeCounts(histogram, o.histogram, "histogram");
        orientation = mergeCounts(orientation, o.orientation, "orientation histogram");
        mergeGrid(o);
        nonFiniteCount += o.nonFiniteCount;
        edgeCount += o.edgeCount;
        if (o.count == 0) {
            return;
        }
        if (count == 0) {
            count = o.count;
            sum = o.sum;
            sumCompensation = o.sumCompensation;
            sumAbs = o.sumAbs;
            sumAbsCompensation = o.sumAbsCompensation;
            m2 = o.m2;
            min = o.min;
            max = o.max;
            return;
        }
        double meanA = mean();
        double meanB = o.mean();
        long n = count + o.count;
        double delta = meanB - meanA;
        m2 = m2 + o.m2 + delta * delta * ((double) count * (double) o.count / (double) n);
        count = n;
        double t = sum + o.sum;
        sumCompensation +=
                (Math.abs(sum) >= Math.abs(o.sum) ? (sum - t) + o.sum : (o.sum - t) + sum)
                        + o.sumCompensation;
        sum = t;
        t = sumAbs + o.sumAbs;
        sumAbsCompensation +=
                (sumAbs >= o.sumAbs ? (sumAbs - t) + o.sumAbs : (o.sumAbs - t) + sumAbs)
                        + o.sumAbsCompensation;
        sumAbs = t;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    private static long[] mergeCounts(long[] mine, long[] theirs, String what) {
        if (theirs.length == 0) {
            return mine;
        }
        if (mine.length == 0) {
            return theirs.clone();
        }
        if (mine.length != theirs.length) {
            throw new IllegalArgumentException(
                    "cannot merge statistics with "
                            + mine.length
                            + " and "
                            + theirs.length
                            + " "
                            + what
                            + " bins; all tiles of a map must use the same StatsConfig");
        }
        for (int i = 0; i < mine.length; i++) {
            mine[i] += theirs[i];
        }
        return mine;
    }

    private void mergeGrid(EdgeStatsPartial o) {
        int na = gridCells.length;
        int nb = o.gridCells.length;
        if (nb == 0) {
            return;
        }
        int[] cells = new int[na + nb];
        long[] counts = new long[na + nb];
        long[] edges = new long[na + nb];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < na || j < nb) {
            if (j >= nb || (i < na && gridCells[i] < o.gridCells[j])) {
                cells[k] = gridCells[i];
                counts[k] = gridCounts[i];
                edges[k++] = gridEdges[i++];
            } else if (i >= na || o.gridCells[j] < gridCells[i]) {
                cells[k] = o.gridCells[j];
                counts[k] = o.gridCounts[j];
                edges[k++] = o.gridEdges[j++];
            } else {
                // The same cell from two partials: a tile split further, or a replay; add up.
                cells[k] = gridCells[i];
                counts[k] = gridCounts[i] + o.gridCounts[j];
                edges[k++] = gridEdges[i++] + o.gridEdges[j++];
            }
        }
        gridCells = Arrays.copyOf(cells, k);
        gridCounts = Arrays.copyOf(counts, k);
        gridEdges = Arrays.copyOf(edges, k);
    }

    /** The final statistics; {@code cfg} must be the configuration the tiles were made with. */
    public EdgeSummary finish(StatsConfig cfg) {
        long[] hist = histogram.length == 0 ? new long[cfg.histogramBins()] : histogram.clone();
        if (hist.length != cfg.histogramBins()) {
            throw new IllegalArgumentException(
                    "partial has "
                            + hist.length
                            + " histogram bins but the configuration "
                            + cfg.histogramBins());
        }
        int cells = cfg.gridCols() * cfg.gridRows();
        float[] fraction = new float[cells];
        for (int i = 0; i < gridCells.length; i++) {
            int c = gridCells[i];
            if (c < 0 || c >= cells) {
                throw new IllegalArgumentException(
                        "grid cell "
                                + c
                                + " is outside the "
                                + cfg.gridCols()
                                + "x"
                                + cfg.gridRows()
                                + " grid of the configuration");
            }
            fraction[c] = gridCounts[i] == 0 ? 0f : (float) ((double) gridEdges[i] / gridCounts[i]);
        }
        boolean any = count > 0;
        return new EdgeSummary(
                count,
                nonFiniteCount,
                any ? min : Double.NaN,
                any ? max : Double.NaN,
                any ? mean() : Double.NaN,
                any ? Math.sqrt(Math.max(0, m2) / count) : Double.NaN,
                any ? (sumAbs + sumAbsCompensation) / count : Double.NaN,
                cfg.edgeThreshold(),
                edgeCount,
                any ? (double) edgeCount / count : 0,
                new EdgeSummary.Histogram(cfg.histogramMin(), cfg.histogramMax(), hist),
                orientation.length == 0 ? null : orientation.clone(),
                new EdgeSummary.DensityGrid(cfg.gridRows(), cfg.gridCols(), fraction));
    }

    @Override
    public String toString() {
        return "EdgeStatsPartial[count="
                + count
                + ", nonFinite="
                + nonFiniteCount
                + ", mean="
                + mean()
                + ", min="
                + min
                + ", max="
                + max
                + ", edges="
                + edgeCount
                + ", cells="
                + Arrays.toString(gridCells)
                + "]";
    }
}
