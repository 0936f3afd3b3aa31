package io.edgestream.imaging.stats;

import io.edgestream.imaging.image.ImageF32;

/**
 * The statistics pass as it was before the {@link StatsEngine}s (one scalar loop, then a second
 * scalar loop for {@code m2}), kept as the definition the engines must reproduce bit for bit
 * ({@code StatsEngineTest}). One change since: each row's sum of squares is now defined as eight
 * interleaved partial sums (the order of eight double lanes, see {@code StatsEngine.rowSquares}),
 * written here in the plainest way, instead of one sequential sum.
 */
final class TwoPassReference {
    private TwoPassReference() {}

    /** {@code scan} and then {@code m2}, as {@code EdgeStatsPartial.of} and {@code whole} do. */
    static void statistics(
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
        scan(map, gx, gy, cfg, acc, cellW, cellH, cellCols, cellCounts, cellEdges);
        acc.m2 = sumSquaredDeviations(map, acc.mean());
    }

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

    static double sumSquaredDeviations(ImageF32 map, double mean) {
        double s = 0;
        double c = 0;
        int rowLen = map.width * map.channels;
        for (int y = 0; y < map.height; y++) {
            int i = map.index(0, y, 0);
            // Per row: term x into partial sum x % 8 (the order StatsEngine.rowSquares defines,
            // that of eight double lanes), the partial sums added in a fixed tree; rows are then
            // added with compensation (as in scan).
            double[] lane = new double[8];
            for (int x = 0; x < rowLen; x++) {
                float f = map.data[i + x];
                if (!Float.isFinite(f)) {
                    continue;
                }
                double dv = f - mean;
                lane[x % 8] += dv * dv;
            }
            double row =
                    ((lane[0] + lane[1]) + (lane[2] + lane[3]))
                            + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
            double t = s + row;
            c += s >= row ? (s - t) + row : (row - t) + s;
            s = t;
        }
        return s + c;
    }
}
