package io.edgestream.imaging.stats;

/**
 * The orientation bin of a gradient, {@code floor((atan2(gy, gx) + pi) * bins / (2 pi))} as in
 * {@link StatsConfig#orientationBin}, without paying for {@link Math#atan2} on every edge pixel
 * (about 40% of a gradient tile's statistics time on the JDK's software atan2).
 *
 * <p>The angle is first computed with a table-based arctangent accurate to about 1e-12 radians;
 * when the angle lies further than {@link #MARGIN_RADIANS} (1e-9 radians, thousands of times the
 * approximation's worst error) from a bin edge, the bin is certain and equals the one from the
 * exact {@code Math.atan2}. Otherwise (an angle on or next to a bin edge, zero or non-finite
 * gradients) the exact path decides. So the result is always exactly {@code
 * StatsConfig.orientationBin(Math.atan2(gy, gx), bins)}; {@code OrientationBinsTest} checks it
 * against that on millions of gradients, edges included.
 */
final class OrientationBins {
    private OrientationBins() {}

    /** Table steps over [0, 1]: |t - c| <= 1 / (2 STEPS), the Taylor remainder below 1e-12. */
    private static final int STEPS = 512;

    /** atan(c), 1 / (1 + c^2) and c / (1 + c^2)^2 at c = i / STEPS. */
    private static final double[] ATAN = new double[STEPS + 1];

    private static final double[] D1 = new double[STEPS + 1];
    private static final double[] D2 = new double[STEPS + 1];
    private static final double[] D3 = new double[STEPS + 1];

    static {
        for (int i = 0; i <= STEPS; i++) {
            double c = (double) i / STEPS;
            double q = 1 / (1 + c * c);
            ATAN[i] = StrictMath.atan(c);
            D1[i] = q;
            D2[i] = -c * q * q;
            D3[i] = (3 * c * c - 1) * q * q * q / 3;
        }
    }

    /**
     * Distance from a bin edge, in radians, below which the exact path decides: ten thousand times
     * the fast angle's worst error (below 1e-12 from the series, a few ulps from rounding).
     */
    static final double MARGIN_RADIANS = 1e-9;

    private static final double HALF_PI = Math.PI / 2;

    /** The orientation bin of gradient {@code (gx, gy)} among {@code bins} over [-pi, pi). */
    static int bin(double gy, double gx, int bins) {
        double ax = Math.abs(gx);
        double ay = Math.abs(gy);
        if (!(ax > 1e-150 && ay > 1e-150 && ax < 1e150 && ay < 1e150)) {
            // An axis-aligned gradient (common: integer gradients of 8-bit images) has the angle
            // atan2 specifies exactly (signed zeros included); tiny or non-finite components go
            // the exact way.
            if ((gx == 0 && Double.isFinite(gy)) || (gy == 0 && Double.isFinite(gx))) {
                return StatsConfig.orientationBin(axisAngle(gy, gx), bins);
            }
            return exact(gy, gx, bins);
        }
        double a = angle(gy, gx, ax, ay);
        double perRadian = bins * (0.5 / Math.PI);
        double u = (a + Math.PI) * perRadian;
        double f = Math.floor(u);
        double margin = MARGIN_RADIANS * perRadian;
        if (u - f > margin && f + 1 - u > margin && f >= 0 && f < bins) {
            return (int) f;
        }
        return exact(gy, gx, bins);
    }

    /** The fast atan2(gy, gx) for finite, non-zero components ({@code ax = |gx|, ay = |gy|}). */
    static double angle(double gy, double gx, double ax, double ay) {
        double a = ay <= ax ? atanUnit(ay / ax) : HALF_PI - atanUnit(ax / ay);
        if (gx < 0) {
            a = Math.PI - a;
        }
        return gy < 0 ? -a : a;
    }

    /**
     * atan2(gy, gx) when one component is zero, as {@link Math#atan2} specifies it: +-0 or +-pi on
     * the x axis (by the signs), +-pi/2 on the y axis.
     */
    static double axisAngle(double gy, double gx) {
        if (gy == 0) {
            return Math.copySign(1.0, gx) > 0 ? gy : Math.copySign(Math.PI, gy);
        }
        return gy > 0 ? Math.PI / 2 : -Math.PI / 2;
    }

    static int exact(double gy, double gx, int bins) {
        return StatsConfig.orientationBin(Math.atan2(gy, gx), bins);
    }

    /** atan(t) for t in [0, 1]: the Taylor series around the nearest table point, to d^3. */
    private static double atanUnit(double t) {
        int k = (int) (t * STEPS + 0.5);
        double d = t - (double) k / STEPS;
        return ATAN[k] + d * (D1[k] + d * (D2[k] + d * D3[k]));
    }
}
