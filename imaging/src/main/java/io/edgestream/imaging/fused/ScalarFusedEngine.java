package io.edgestream.imaging.fused;

/**
 * The plain-Java fused Sobel pass: the fallback when the Vector API is absent or disabled, and the
 * row tails of the vector engine. Integer Sobel sums, so every output is exact up to the one
 * rounding of the square root, and identical to the vector engine's.
 */
final class ScalarFusedEngine implements FusedEngine {
    static final ScalarFusedEngine INSTANCE = new ScalarFusedEngine();

    private ScalarFusedEngine() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void bins(float[] m, int n, Accumulator acc, int[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = acc.binOf(m[i]);
        }
    }

    @Override
    public void run(
            byte[] in,
            int inOff,
            int inStride,
            int outW,
            int outH,
            float[] out,
            int outOff,
            int outStride,
            Accumulator acc) {
        for (int y = 0; y < outH; y++) {
            segment(in, inOff + y * inStride, inStride, 0, outW, out, outOff + y * outStride, acc);
        }
    }

    /**
     * Output pixels {@code [from, to)} of one row whose window starts at {@code p0} (row 0 of the
     * 3-row band), written from {@code out[o + from]} on; histogram counted directly.
     */
    static void segment(
            byte[] in, int p0, int stride, int from, int to, float[] out, int o, Accumulator acc) {
        int p1 = p0 + stride;
        int p2 = p1 + stride;
        int[] h = acc.histCopies;
        int edgeSq = acc.edgeSq;
        double sum = 0;
        long sumSq = 0;
        int mn = acc.minSq;
        int mx = acc.maxSq;
        long edges = 0;
        for (int x = from; x < to; x++) {
            int a0 = in[p0 + x] & 0xFF;
            int a1 = in[p0 + x + 1] & 0xFF;
            int a2 = in[p0 + x + 2] & 0xFF;
            int m0 = in[p1 + x] & 0xFF;
            int m2 = in[p1 + x + 2] & 0xFF;
            int c0 = in[p2 + x] & 0xFF;
            int c1 = in[p2 + x + 1] & 0xFF;
            int c2 = in[p2 + x + 2] & 0xFF;
            int gx = (a0 - a2) + 2 * (m0 - m2) + (c0 - c2);
            int gy = (a0 - c0) + 2 * (a1 - c1) + (a2 - c2);
            int s = gx * gx + gy * gy;
            float mag = FusedSobelU8.magnitudeOfSquare(s);
            out[o + x] = mag;
            sum += mag;
            sumSq += s;
            mn = Math.min(mn, s);
            mx = Math.max(mx, s);
            if (s >= edgeSq) {
                edges++;
            }
            h[(acc.binOf(mag) << 3) | (x & 7)]++;
        }
        acc.sum += sum;
        acc.sumSq += sumSq;
        acc.minSq = mn;
        acc.maxSq = mx;
        acc.edges += edges;
        acc.countPending(to - from);
    }
}
