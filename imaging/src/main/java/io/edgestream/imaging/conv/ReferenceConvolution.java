package io.edgestream.imaging.conv;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;

/**
 * A deliberately naive convolution straight from the formula in {@code docs/convolution.md}, used
 * only to check {@link Convolution}: one loop per output pixel, tap and channel, {@link
 * BorderMode#map} for every pixel outside the image, {@code double} accumulation. It shares no code
 * with the fast path beyond the enums, and is slow on purpose.
 */
public final class ReferenceConvolution {
    private ReferenceConvolution() {}

    /** Same contract as {@link Convolution#convolve}, results rounded to float at the end. */
    public static ImageF32 convolve(ImageF32 image, Kernel k, ConvParams p) {
        int h = image.height;
        int w = image.width;
        int c = image.channels;
        int s = p.stride();
        int fr = k.rows();
        int fc = k.cols();
        int top = p.padding() == Padding.SAME ? (fr - 1) / 2 : 0;
        int left = p.padding() == Padding.SAME ? (fc - 1) / 2 : 0;
        int outH;
        int outW;
        if (p.padding() == Padding.SAME) {
            outH = (h + s - 1) / s;
            outW = (w + s - 1) / s;
        } else {
            outH = h < fr ? 0 : (h - fr) / s + 1;
            outW = w < fc ? 0 : (w - fc) / s + 1;
        }
        double[][] planes; // the image the kernel is applied to, one double plane per channel
        int planeCount;
        switch (p.colorMode()) {
            case GREY:
                {
                    planes = new double[1][h * w];
                    planeCount = 1;
                    float[] gw = p.greyWeights();
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            double g = 0;
                            if (c == 1) {
                                g = image.get(x, y, 0);
                            } else {
                                int used = (c == 4 && gw.length == 3) ? 3 : c;
                                if (gw.length != used) {
                                    throw new IllegalArgumentException(
                                            "grey weights do not fit " + c + " channels");
                                }
                                for (int ch = 0; ch < used; ch++) {
                                    g += (double) gw[ch] * image.get(x, y, ch);
                                }
                            }
                            planes[0][y * w + x] = g;
                        }
                    }
                    break;
                }
            default:
                planes = new double[c][h * w];
                planeCount = c;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        for (int ch = 0; ch < c; ch++) {
                            planes[ch][y * w + x] = image.get(x, y, ch);
                        }
                    }
                }
        }
        boolean perChannel = p.colorMode() == ColorMode.PER_CHANNEL;
        if ((perChannel || p.colorMode() == ColorMode.GREY) && k.depth() != 1) {
            throw new IllegalArgumentException("this colour mode needs a depth-1 kernel");
        }
        if (p.colorMode() == ColorMode.VOLUME && k.depth() != 1 && k.depth() != planeCount) {
            throw new IllegalArgumentException("kernel depth does not match the channels");
        }
        int outC = perChannel ? c : 1;
        ImageF32 out = ImageF32.allocate(outW, outH, outC);
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                for (int oc = 0; oc < outC; oc++) {
                    double sum = 0;
                    for (int r = 0; r < fr; r++) {
                        for (int cc = 0; cc < fc; cc++) {
                            int iy = oy * s + r - top;
                            int ix = ox * s + cc - left;
                            int firstCh = perChannel ? oc : 0;
                            int lastCh = perChannel ? oc : planeCount - 1;
                            for (int ch = firstCh; ch <= lastCh; ch++) {
                                double weight = k.weight(r, cc, k.depth() == 1 ? 0 : ch);
                                sum += weight * pixel(planes[ch], w, h, ix, iy, p);
                            }
                        }
                    }
                    out.set(ox, oy, oc, (float) sum);
                }
            }
        }
        return out;
    }

    private static double pixel(double[] plane, int w, int h, int x, int y, ConvParams p) {
        int mx = p.border().map(x, w);
        int my = p.border().map(y, h);
        if (mx < 0 || my < 0) {
            return p.border() == BorderMode.CONSTANT ? p.borderConstant() : 0;
        }
        return plane[my * w + mx];
    }
}
