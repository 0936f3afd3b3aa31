package io.edgestream.imaging.stats;

import io.edgestream.imaging.image.ImageF32;
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
 * <p>Non-finite values (NaN or infinity, possible with FLOAT32 input) are counted in {@code
 * nonFiniteCount} and excluded from every other field.
 */
public final class EdgeStatsPartial {
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
        scan(tileMap, gx, gy, cfg, p, tileMap.width, tileMap.height, 1, cellCounts, cellEdges);
        p.m2 = sumSquaredDeviations(tileMap, p.mean());
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
        int bins = cfg.histogramBins();
        double hmin = cfg.histogramMin();
        double scale = bins / (cfg.histogramMax() - cfg.histogramMin());
        double thr = cfg.edgeThreshold();
        int obins = gx != null ? cfg.orientationBins() : 0;
        long[] hist = new long[bins];
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
        int ch = map.channels;
        float[] d = map.data;
        for (int y = 0; y < map.height; y++) {
            int cellRowBase = (y / cellH) * cellCols;
            for (int x0 = 0; x0 < map.width; x0 += cellW) {
                int cell = cellRowBase + x0 / cellW;
                int x1 = Math.min(map.width, x0 + cellW);
                long cn = 0;
                long ce = 0;
                // A row segment (at most one tile wide) is summed plainly in double, which is
                // exact to ~1e-14 relative for that few float values; segments are then added
                // with Neumaier compensation. Same result to far below the 1e-9 contract, without
                // a compensated add per sample.
                double rs = 0;
                double ra = 0;
                int i = map.index(x0, y, 0);
                int end = i + (x1 - x0) * ch;
                int gi = gx != null ? gx.index(x0, y, 0) - i : 0;
                int hi = gy != null ? gy.index(x0, y, 0) - i : 0;
                for (; i < end; i++) {
                    float f = d[i];
                    if (!Float.isFinite(f)) {
                        nonFinite++;
                        continue;
                    }
                    double v = f;
                    cn++;
                    rs += v;
                    double av = Math.abs(v);
                    ra += av;
                    if (v < mn) {
                        mn = v;
                    }
                    if (v > mx) {
                        mx = v;
                    }
                    // StatsConfig.bin without Math.floor: for x >= 0 truncation is the floor.
                    double x = (v - hmin) * scale;
                    hist[x < 0 ? 0 : x >= bins ? bins - 1 : (int) x]++;
                    if (av >= thr) {
                        ce++;
                        if (obins > 0) {
                            orient[OrientationBins.bin(gy.data[i + hi], gx.data[i + gi], obins)]++;
                        }
                    }
                }
                double t = s + rs;
                sc += Math.abs(s) >= Math.abs(rs) ? (s - t) + rs : (rs - t) + s;
                s = t;
                t = a + ra;
                ac += a >= ra ? (a - t) + ra : (ra - t) + a;
                a = t;
                n += cn;
                edges += ce;
                cellCounts[cell] += cn;
                cellEdges[cell] += ce;
            }
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
        acc.histogram = hist;
        acc.orientation = orient;
    }

    /** Neumaier sum of {@code (v - mean)^2} over the finite values (the second pass). */
    static double sumSquaredDeviations(ImageF32 map, double mean) {
        double s = 0;
        double c = 0;
        int rowLen = map.width * map.channels;
        for (int y = 0; y < map.height; y++) {
            int i = map.index(0, y, 0);
            int end = i + rowLen;
            // Plain sum per row, compensated across rows (as in scan).
            double row = 0;
            for (; i < end; i++) {
                float f = map.data[i];
                if (!Float.isFinite(f)) {
                    continue;
                }
                double dv = f - mean;
                row += dv * dv;
            }
            double t = s + row;
            c += s >= row ? (s - t) + row : (row - t) + s;
            s = t;
        }
        return s + c;
    }

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
