package io.edgestream.imaging.stats;

/**
 * The orientation bin of a gradient, {@code floor((atan2(gy, gx) + pi) * bins / (2 pi))} as in
 * {@link StatsConfig#orientationBin}, without paying for {@link Math#atan2} on every edge pixel
 * (about 40% of a gradient tile's statistics time on the JDK's software atan2).
 *
 * <p>The angle is first computed with a table-based arctangent accurate to about 1e-15 radians;
 * when the bin position it gives lies further than {@link #MARGIN} (1e-9 bins, a million times the
 * approximation's worst error) from a bin edge, the bin is certain and equals the one from the
 * exact {@code Math.atan2}. Otherwise (an angle on or next to a bin edge, zero or non-finite
 * gradients) the exact path decides. So the result is always exactly {@code
 * StatsConfig.orientationBin(Math.atan2(gy, gx), bins)}; {@code OrientationBinsTest} checks it
 * against that on millions of gradients, edges included.
 */
final class OrientationBins {
    private OrientationBins() {}

    /** Table steps over [0, 1]: the Taylor remainder is then below (1/(2 STEPS))^7 / 7. */
    private static final int STEPS = 64;

    private static final double[] ATAN = new double[STEPS + 1];

    static {
        for (int i = 0; i <= STEPS; i++) {
            ATAN[i] = StrictMath.atan((double) i / STEPS);
        }
    }

    /** Distance (in bins) from a bin edge below which the exact path decides. */
    static final double MARGIN = 1e-9;

    private static final double HALF_PI = Math.PI / 2;

    /** The orientation bin of gradient {@code (gx, gy)} among {@code bins} over [-pi, pi). */
    static int bin(double gy, double gx, int bins) {
        double ax = Math.abs(gx);
        double ay = Math.abs(gy);
        // Zero, tiny or non-finite components (signed zeros matter to atan2) go the exact way.
        if (!(ax > 1e-150 && ay > 1e-150 && ax < 1e150 && ay < 1e150)) {
            return exact(gy, gx, bins);
        }
        double a;
        if (ay <= ax) {
            a = atanUnit(ay / ax);
        } else {
            a = HALF_PI - atanUnit(ax / ay);
        }
        if (gx < 0) {
            a = Math.PI - a;
        }
        if (gy < 0) {
            a = -a;
        }
        double u = (a + Math.PI) * (bins / (2 * Math.PI));
        double f = Math.floor(u);
        if (u - f > MARGIN && f + 1 - u > MARGIN && f >= 0 && f < bins) {
            return (int) f;
        }
        return exact(gy, gx, bins);
    }

    static int exact(double gy, double gx, int bins) {
        return StatsConfig.orientationBin(Math.atan2(gy, gx), bins);
    }

    /** atan(t) for t in [0, 1]: atan(c) from the table plus atan((t - c) / (1 + t c)) by Taylor. */
    private static double atanUnit(double t) {
        int k = (int) (t * STEPS + 0.5);
        double c = (double) k / STEPS;
        double r = (t - c) / (1 + t * c); // |r| <= 1 / (2 STEPS)
        double r2 = r * r;
        return ATAN[k] + r * (1 - r2 * (1.0 / 3 - r2 * (1.0 / 5 - r2 * (1.0 / 7))));
    }
}
