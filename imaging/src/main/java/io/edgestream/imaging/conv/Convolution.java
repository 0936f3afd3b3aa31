package io.edgestream.imaging.conv;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import io.edgestream.imaging.simd.Simd;
import java.util.List;
import java.util.Locale;

/**
 * The fast convolution (cross-correlation, see {@code docs/convolution.md}) used by the whole
 * product.
 *
 * <p>Everything is built on one primitive, {@link #validInto}: VALID cross-correlation of a window
 * with a kernel whose depth equals the window's channel count. {@link #convolve} is {@link #window}
 * of the padded rectangle followed by {@code validInto} (split into an interior view and border
 * strips so the image is never copied); a tiler does the same with a tile's rectangle plus halo.
 * Because every implementation computes each output pixel with the same sequence of float
 * operations ({@code acc = +0f}, then {@code acc = fma(x, w, acc)} over the taps in row-major
 * order, channel innermost, zero weights included), a tile is bit-identical to the same pixels of
 * the whole image, and the vector and scalar paths are bit-identical to each other. One shortcut
 * keeps those bits by exactness rather than by the same operations: a colour volume whose kernel
 * repeats integer weights over the channels, on integer samples, sums the channels first and runs
 * the 2-D kernel ({@link ChannelSum}, which states and checks the condition: every value formed
 * stays an integer below 2^24).
 *
 * <p>The vector path uses the incubating Vector API ({@code jdk.incubator.vector}) when the module
 * is in the boot layer ({@code --add-modules jdk.incubator.vector}); otherwise, or with {@code
 * -Dedgestream.simd=false}, a scalar path is used. {@link #implementation()} says which.
 */
public final class Convolution {

    /** System property that forces the scalar path when set to {@code false}. */
    public static final String SIMD_PROPERTY = Simd.PROPERTY;

    private static final ConvEngine ENGINE;
    private static final ConvEngine VECTOR; // null when unavailable
    private static final String WHY;

    static {
        Simd.Selection<ConvEngine> selected =
                Simd.select(
                        ConvEngine.class,
                        "io.edgestream.imaging.conv.VectorEngine",
                        ScalarEngine.INSTANCE);
        ENGINE = selected.active();
        VECTOR = selected.vector();
        WHY = selected.reason();
    }

    private Convolution() {}

    /**
     * The active path: {@code "vector-256"} (AVX2), {@code "vector-512"}, ... or {@code "scalar"}.
     */
    public static String implementation() {
        return ENGINE.name();
    }

    /** Why {@link #implementation()} is what it is, for start-up logs. */
    public static String implementationReason() {
        return WHY;
    }

    static ConvEngine engine() {
        return ENGINE;
    }

    /** The vector engine even if the scalar one is active, or null if the module is absent. */
    static ConvEngine vectorEngine() {
        return VECTOR;
    }

    static ConvEngine scalarEngine() {
        return ScalarEngine.INSTANCE;
    }

    /**
     * {@code out[o + i] = in[a + i] & 0xff} for {@code i} in {@code [0, n)}: 8-bit samples widened
     * to the float samples the kernels read, exactly, in vector lanes when the Vector API is in
     * use.
     *
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    public static void widenU8(byte[] in, int a, float[] out, int o, int n) {
        java.util.Objects.checkFromIndexSize(a, n, in.length);
        java.util.Objects.checkFromIndexSize(o, n, out.length);
        ENGINE.widenU8(in, a, out, o, n);
    }

    /**
     * Writes {@code in[a, a + n)} as little-endian int16 ({@code INT16_LE} map samples) to {@code
     * out} from {@code o} on, two bytes per sample, in vector lanes when the Vector API is in use,
     * while every sample is an integer in [-32768, 32767]. Returns -1 when all were written, else
     * the index (relative to {@code a}) of the first sample that is not such an integer (a
     * fraction, a value out of range, NaN or an infinity); the samples before it are written, the
     * rest of {@code out} is untouched. {@code -0.0} is written as 0.
     *
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    public static int narrowInt16LE(float[] in, int a, byte[] out, int o, int n) {
        java.util.Objects.checkFromIndexSize(a, n, in.length);
        if (o < 0 || o > out.length || 2L * n > out.length - o) {
            throw new IndexOutOfBoundsException(
                    n + " int16 samples from " + o + " do not fit " + out.length + " bytes");
        }
        return ENGINE.narrowInt16LE(in, a, out, o, n);
    }

    /**
     * Whether a colour volume of the 2-D kernels {@code kernels} (each repeated over {@code
     * channels} channels, as {@link ColorMode#VOLUME} makes it) on a window of 8-bit samples takes
     * the channel-sum way for every such window: then convolving the plane of per-pixel channel
     * sums ({@link #sumChannelsU8}) with the 2-D kernels themselves gives the bits {@link
     * #validBankInto} gives for the volume (see {@code ChannelSum}: integer weights and {@code Σ|w|
     * · channels · 255 < 2^24}).
     */
    public static boolean sumsChannelsOfU8Exactly(List<Kernel> kernels, int channels) {
        if (channels < 2 || kernels.isEmpty()) {
            return false;
        }
        for (Kernel k : kernels) {
            Kernel plane = k.depth() == 1 ? ChannelSum.plane(k.toVolume(channels), channels) : null;
            if (plane == null
                    || ChannelSum.absSum(plane) * channels * 255 >= ChannelSum.EXACT_LIMIT) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code out[o + i] = Σ_ch (in[a + i * channels + ch] & 0xff)} for the {@code n} pixels of an
     * interleaved 8-bit window: the plane of channel sums, exact (at most {@code 255 * channels}).
     *
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    public static void sumChannelsU8(byte[] in, int a, int channels, float[] out, int o, int n) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, got " + channels);
        }
        java.util.Objects.checkFromIndexSize(a, Math.multiplyExact(n, channels), in.length);
        java.util.Objects.checkFromIndexSize(o, n, out.length);
        if (channels == 3) {
            for (int i = 0, p = a; i < n; i++, p += 3) {
                out[o + i] = (in[p] & 0xff) + (in[p + 1] & 0xff) + (in[p + 2] & 0xff);
            }
            return;
        }
        for (int i = 0, p = a; i < n; i++) {
            int sum = 0;
            for (int ch = 0; ch < channels; ch++, p++) {
                sum += in[p] & 0xff;
            }
            out[o + i] = sum;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Windows

    /**
     * The rectangle {@code [x0, x0+w) x [y0, y0+h)} of {@code image}, in image coordinates; it may
     * extend beyond the image, where pixels come from {@code border} ({@link BorderMode#CONSTANT}
     * uses {@code constant}, {@link BorderMode#ZERO} uses 0). Returns a view sharing the image's
     * array when the rectangle lies inside the image, else a compact copy.
     */
    public static ImageF32 window(
            ImageF32 image, int x0, int y0, int w, int h, BorderMode border, float constant) {
        if (w < 0 || h < 0) {
            throw new IllegalArgumentException(
                    "window size must be non-negative, got " + w + "x" + h);
        }
        if (x0 >= 0 && y0 >= 0 && x0 + w <= image.width && y0 + h <= image.height) {
            return image.view(x0, y0, w, h);
        }
        int c = image.channels;
        ImageF32 out = ImageF32.allocate(w, h, c);
        if (w == 0 || h == 0) {
            return out;
        }
        boolean fill = border == BorderMode.ZERO || border == BorderMode.CONSTANT;
        float value = border == BorderMode.CONSTANT ? constant : 0f;
        if (!fill && (image.width == 0 || image.height == 0)) {
            throw new IllegalArgumentException(
                    "cannot extend an empty "
                            + image
                            + " with border mode "
                            + border
                            + "; use ZERO or CONSTANT");
        }
        int[] xs = new int[w];
        for (int i = 0; i < w; i++) {
            xs[i] = border.map(x0 + i, image.width);
        }
        // The run of columns that come straight from the image, copied with arraycopy.
        int inFrom = Math.max(0, -x0);
        int inTo = Math.min(w, image.width - x0);
        float[] dst = out.data;
        for (int j = 0; j < h; j++) {
            int sy = border.map(y0 + j, image.height);
            int d = j * w * c;
            if (sy < 0) {
                java.util.Arrays.fill(dst, d, d + w * c, value);
                continue;
            }
            int rowBase = image.offset + sy * image.stride;
            for (int i = 0; i < w; i++) {
                if (i == inFrom && inTo > inFrom) {
                    System.arraycopy(
                            image.data,
                            rowBase + (x0 + i) * c,
                            dst,
                            d + i * c,
                            (inTo - inFrom) * c);
                    i = inTo - 1;
                    continue;
                }
                int sx = xs[i];
                if (sx < 0) {
                    java.util.Arrays.fill(dst, d + i * c, d + (i + 1) * c, value);
                } else {
                    System.arraycopy(image.data, rowBase + sx * c, dst, d + i * c, c);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // The VALID primitives

    /**
     * VALID cross-correlation of {@code window} with {@code k} at {@code stride}, written to {@code
     * out}. {@code k.depth()} must equal {@code window.channels} (a colour volume sums over the
     * channels into one map); {@code out} must be single-channel of exactly {@code
     * ConvParams.outputSize} for VALID ({@code (n - f) / stride + 1}, or 0 when {@code n < f}).
     */
    public static void validInto(ImageF32 window, Kernel k, int stride, ImageF32 out) {
        validInto(ENGINE, window, k, stride, out);
    }

    static void validInto(ConvEngine e, ImageF32 window, Kernel k, int stride, ImageF32 out) {
        checkStride(stride);
        int c = window.channels;
        checkDepth(k, c, " for a colour volume or validPerChannelInto for per-channel maps");
        checkOut(window, k, stride, out, 1);
        ConvOutput o = ConvOutput.channel(out, 0);
        if (c == 1
                || !ChannelSum.tryConv(e, window, new Kernel[] {k}, stride, new ConvOutput[] {o})) {
            e.conv(ConvInput.volume(window, stride), k, o);
        }
    }

    /**
     * {@link #validInto} always the volume way (every channel a tap of its own), never through
     * {@link ChannelSum}: what the channel-sum path must equal, for tests.
     */
    static void validVolumeInto(ConvEngine e, ImageF32 window, Kernel k, int stride, ImageF32 out) {
        checkStride(stride);
        checkDepth(k, window.channels, "");
        checkOut(window, k, stride, out, 1);
        e.conv(ConvInput.volume(window, stride), k, ConvOutput.channel(out, 0));
    }

    /**
     * VALID cross-correlation of each channel of {@code window} on its own with the 2-D kernel
     * {@code k} (depth 1); {@code out} has the window's channel count (HWC). Channel {@code ch} of
     * the result is bit-identical to {@link #validInto} on that channel alone.
     */
    public static void validPerChannelInto(ImageF32 window, Kernel k, int stride, ImageF32 out) {
        validPerChannelInto(ENGINE, window, k, stride, out);
    }

    static void validPerChannelInto(
            ConvEngine e, ImageF32 window, Kernel k, int stride, ImageF32 out) {
        checkStride(stride);
        if (k.depth() != 1) {
            throw new IllegalArgumentException(
                    "per-channel convolution needs a 2-D kernel, but '"
                            + k.name()
                            + "' has depth "
                            + k.depth());
        }
        int c = window.channels;
        checkOut(window, k, stride, out, c);
        for (int ch = 0; ch < c; ch++) {
            e.conv(ConvInput.channel(window, ch, stride), k, ConvOutput.channel(out, ch));
        }
    }

    /**
     * {@link #validInto} for several kernels of the same rows x cols x depth in one pass over the
     * input; {@code outs.get(i)} receives kernel {@code i}'s map, bit-identical to {@code
     * validInto(window, kernels.get(i), stride, outs.get(i))}.
     */
    public static void validBankInto(
            ImageF32 window, List<Kernel> kernels, int stride, List<ImageF32> outs) {
        validBankInto(ENGINE, window, kernels, stride, outs);
    }

    static void validBankInto(
            ConvEngine e, ImageF32 window, List<Kernel> kernels, int stride, List<ImageF32> outs) {
        checkStride(stride);
        if (kernels.isEmpty()) {
            throw new IllegalArgumentException("a filter bank needs at least one kernel");
        }
        if (kernels.size() != outs.size()) {
            throw new IllegalArgumentException(
                    kernels.size() + " kernels but " + outs.size() + " output images");
        }
        Kernel k0 = kernels.get(0);
        int c = window.channels;
        int n = kernels.size();
        Kernel[] ks = new Kernel[n];
        ConvOutput[] os = new ConvOutput[n];
        for (int i = 0; i < n; i++) {
            Kernel k = kernels.get(i);
            if (k.rows() != k0.rows() || k.cols() != k0.cols() || k.depth() != k0.depth()) {
                throw new IllegalArgumentException(
                        "all kernels of a bank must have the same size: '"
                                + k.name()
                                + "' is "
                                + k.rows()
                                + "x"
                                + k.cols()
                                + "x"
                                + k.depth()
                                + " but '"
                                + k0.name()
                                + "' is "
                                + k0.rows()
                                + "x"
                                + k0.cols()
                                + "x"
                                + k0.depth()
                                + "; convolve them in separate banks");
            }
            checkDepth(k, c, "");
            ImageF32 out = outs.get(i);
            checkOut(window, k, stride, out, 1);
            ks[i] = k;
            os[i] = ConvOutput.channel(out, 0);
        }
        if (c == 1 || !ChannelSum.tryConv(e, window, ks, stride, os)) {
            e.convBank(ConvInput.volume(window, stride), ks, os);
        }
    }

    /** A kernel for a VALID window must have the window's channel count as its depth. */
    private static void checkDepth(Kernel k, int channels, String hint) {
        if (k.depth() != channels) {
            throw new IllegalArgumentException(
                    "kernel '"
                            + k.name()
                            + "' has depth "
                            + k.depth()
                            + " but the window has "
                            + channels
                            + " channels; use Kernel.toVolume("
                            + channels
                            + ")"
                            + hint);
        }
    }

    private static void checkStride(int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1, got " + stride);
        }
    }

    private static int validSize(int n, int f, int stride) {
        return n < f ? 0 : (n - f) / stride + 1;
    }

    private static void checkOut(
            ImageF32 window, Kernel k, int stride, ImageF32 out, int channels) {
        int ow = validSize(window.width, k.cols(), stride);
        int oh = validSize(window.height, k.rows(), stride);
        if (out.width != ow || out.height != oh || out.channels != channels) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "output is %dx%dx%d but VALID %s (%dx%d) over a %dx%d window at stride"
                                    + " %d gives %dx%dx%d; size it with ConvParams.outputSize",
                            out.width,
                            out.height,
                            out.channels,
                            k.name(),
                            k.rows(),
                            k.cols(),
                            window.width,
                            window.height,
                            stride,
                            ow,
                            oh,
                            channels));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Whole images

    /**
     * Convolves the whole image with {@code k} under {@code p}: padding, border mode, stride and
     * colour mode. {@link ColorMode#GREY} first converts with {@link #toGrey}; {@link
     * ColorMode#VOLUME} treats a depth-1 kernel as repeated over the channels and otherwise needs
     * {@code k.depth() == channels}; {@link ColorMode#PER_CHANNEL} applies a depth-1 kernel to each
     * channel and returns as many channels as the input. Output size per axis is {@code
     * p.outputSize(n, f)}.
     */
    public static ImageF32 convolve(ImageF32 image, Kernel k, ConvParams p) {
        return convolve(ENGINE, image, k, p);
    }

    static ImageF32 convolve(ConvEngine e, ImageF32 image, Kernel k, ConvParams p) {
        ImageF32 src = prepareSource(image, p);
        int outW = p.outputSize(src.width, k.cols());
        int outH = p.outputSize(src.height, k.rows());
        if (p.colorMode() == ColorMode.PER_CHANNEL) {
            requireDepth1(k, p.colorMode());
            ImageF32 out = ImageF32.allocate(outW, outH, src.channels);
            byRegions(
                    src,
                    k,
                    p,
                    outW,
                    outH,
                    (win, x, y, w, h) ->
                            validPerChannelInto(e, win, k, p.stride(), out.view(x, y, w, h)));
            return out;
        }
        Kernel kk = volumeKernel(k, src.channels, p.colorMode());
        ImageF32 out = ImageF32.allocate(outW, outH, 1);
        byRegions(
                src,
                kk,
                p,
                outW,
                outH,
                (win, x, y, w, h) -> validInto(e, win, kk, p.stride(), out.view(x, y, w, h)));
        return out;
    }

    /**
     * {@link #convolve} for several kernels of the same size, in one pass over the input (VOLUME
     * and GREY) or kernel by kernel (PER_CHANNEL, or kernels of different sizes). Each result is
     * bit-identical to {@code convolve(image, ks.get(i), p)}.
     */
    public static List<ImageF32> convolveBank(ImageF32 image, List<Kernel> ks, ConvParams p) {
        return convolveBank(ENGINE, image, ks, p);
    }

    static List<ImageF32> convolveBank(
            ConvEngine e, ImageF32 image, List<Kernel> ks, ConvParams p) {
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("a filter bank needs at least one kernel");
        }
        Kernel k0 = ks.get(0);
        boolean sameSize = true;
        for (Kernel k : ks) {
            sameSize &= k.rows() == k0.rows() && k.cols() == k0.cols() && k.depth() == k0.depth();
        }
        if (!sameSize || p.colorMode() == ColorMode.PER_CHANNEL) {
            // Different sizes need different windows; per-channel maps go kernel by kernel.
            return ks.stream().map(k -> convolve(e, image, k, p)).toList();
        }
        ImageF32 src = prepareSource(image, p);
        List<Kernel> vk =
                ks.stream().map(k -> volumeKernel(k, src.channels, p.colorMode())).toList();
        int outW = p.outputSize(src.width, k0.cols());
        int outH = p.outputSize(src.height, k0.rows());
        List<ImageF32> outs = ks.stream().map(k -> ImageF32.allocate(outW, outH, 1)).toList();
        byRegions(
                src,
                vk.get(0),
                p,
                outW,
                outH,
                (win, x, y, w, h) ->
                        validBankInto(
                                e,
                                win,
                                vk,
                                p.stride(),
                                outs.stream().map(m -> m.view(x, y, w, h)).toList()));
        return outs;
    }

    private static ImageF32 prepareSource(ImageF32 image, ConvParams p) {
        return p.colorMode() == ColorMode.GREY ? toGrey(image, p.greyWeights()) : image;
    }

    private static void requireDepth1(Kernel k, ColorMode mode) {
        if (k.depth() != 1) {
            throw new IllegalArgumentException(
                    "colour mode "
                            + mode
                            + " needs a 2-D kernel (depth 1), but '"
                            + k.name()
                            + "' has depth "
                            + k.depth()
                            + "; use VOLUME for volume kernels");
        }
    }

    private static Kernel volumeKernel(Kernel k, int channels, ColorMode mode) {
        if (k.depth() == channels) {
            return k;
        }
        if (k.depth() == 1) {
            return k.toVolume(channels);
        }
        throw new IllegalArgumentException(
                "kernel '"
                        + k.name()
                        + "' has depth "
                        + k.depth()
                        + " but the "
                        + (mode == ColorMode.GREY ? "grey-converted " : "")
                        + "image has "
                        + channels
                        + " channel(s); give a depth-1 kernel or one of depth "
                        + channels);
    }

    /** Computes the output rectangle {@code [x, x+w) x [y, y+h)} from its input window. */
    private interface RegionOp {
        void apply(ImageF32 window, int x, int y, int w, int h);
    }

    /**
     * Runs {@code op} over an {@code outW x outH} output split into an interior rectangle, whose
     * input lies inside the image and is passed as a view (no copy of the image), and up to four
     * border strips, whose small windows are extended by the border mode. This is what a tiler
     * does, so by the arithmetic contract the result equals one window of the whole padded image.
     */
    private static void byRegions(
            ImageF32 src, Kernel k, ConvParams p, int outW, int outH, RegionOp op) {
        if (outW == 0 || outH == 0) {
            return;
        }
        int s = p.stride();
        int left = Padding.padBefore(p.padding(), k.cols());
        int top = Padding.padBefore(p.padding(), k.rows());
        // Output columns [x0, x1) and rows [y0, y1) read only pixels inside the image.
        int x0 = Math.min(outW, (left + s - 1) / s);
        int x1 = Math.max(x0, Math.min(outW, Math.floorDiv(src.width - k.cols() + left, s) + 1));
        int y0 = Math.min(outH, (top + s - 1) / s);
        int y1 = Math.max(y0, Math.min(outH, Math.floorDiv(src.height - k.rows() + top, s) + 1));
        region(src, k, p, 0, 0, outW, y0, op); // top strip
        region(src, k, p, 0, y1, outW, outH - y1, op); // bottom strip
        region(src, k, p, 0, y0, x0, y1 - y0, op); // left strip
        region(src, k, p, x1, y0, outW - x1, y1 - y0, op); // right strip
        region(src, k, p, x0, y0, x1 - x0, y1 - y0, op); // interior
    }

    private static void region(
            ImageF32 src, Kernel k, ConvParams p, int x, int y, int w, int h, RegionOp op) {
        if (w <= 0 || h <= 0) {
            return;
        }
        int s = p.stride();
        ImageF32 win =
                window(
                        src,
                        x * s - Padding.padBefore(p.padding(), k.cols()),
                        y * s - Padding.padBefore(p.padding(), k.rows()),
                        (w - 1) * s + k.cols(),
                        (h - 1) * s + k.rows(),
                        p.border(),
                        p.borderConstant());
        op.apply(win, x, y, w, h);
    }

    /**
     * How many channels of a {@code channels}-channel image {@link #toGrey} weighs with {@code
     * weights} weights: all of them when there are as many weights, R, G and B of an RGBA image
     * given 3 weights.
     *
     * @throws IllegalArgumentException for any other count
     */
    public static int greyChannels(int channels, int weights) {
        if (weights == channels) {
            return channels;
        }
        if (channels == 4 && weights == 3) {
            return 3; // RGBA: alpha is coverage, not brightness
        }
        throw new IllegalArgumentException(
                "grey conversion of a "
                        + channels
                        + "-channel image needs "
                        + channels
                        + " weights"
                        + (channels == 4 ? " (or 3 for RGB, ignoring alpha)" : "")
                        + ", got "
                        + weights);
    }

    /**
     * Converts to one channel: {@code sum_c weights[c] * pixel[c]} computed as {@code acc = +0f;
     * acc = fma(pixel[c], weights[c], acc)} in channel order. A 1-channel image is returned as it
     * is. {@code weights.length} must equal the channel count, except that a 4-channel (RGBA) image
     * with 3 weights uses them for R, G, B and ignores alpha.
     */
    public static ImageF32 toGrey(ImageF32 image, float[] weights) {
        int c = image.channels;
        if (c == 1) {
            return image;
        }
        int used = greyChannels(c, weights.length);
        ImageF32 out = ImageF32.allocate(image.width, image.height, 1);
        float[] d = out.data;
        int i = 0;
        for (int y = 0; y < image.height; y++) {
            int p = image.offset + y * image.stride;
            for (int x = 0; x < image.width; x++, p += c) {
                float acc = 0f;
                for (int ch = 0; ch < used; ch++) {
                    acc = Math.fma(image.data[p + ch], weights[ch], acc);
                }
                d[i++] = acc;
            }
        }
        return out;
    }
}
