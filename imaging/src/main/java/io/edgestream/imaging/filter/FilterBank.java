package io.edgestream.imaging.filter;

import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Gradient;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import io.edgestream.imaging.stats.EdgeStatsPartial;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.TileSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a task runs on one tile: every filter of a same-size group convolved over the tile's window
 * (halo included, see {@code TilePlan}) with VALID padding and the plan's stride, producing each
 * filter's output tile and its partial edge statistics.
 *
 * <p>All kernels of the bank (both kernels of a gradient filter included) go through {@link
 * Convolution#validBankInto} in one pass over the window under VOLUME and GREY; under PER_CHANNEL
 * each kernel is applied per channel. The per-pixel arithmetic is the one of {@link
 * Convolution#convolve}, and gradient magnitudes use {@link Gradient#magnitude(float, float)}, so
 * reassembled tiles equal the whole-image result bit for bit.
 *
 * <p>Colour: under GREY the decoded image is converted once with {@link #prepare} before tiling, so
 * windows have one channel; under VOLUME a 2-D kernel is repeated over the window's channels (one
 * output channel); under PER_CHANNEL each channel is filtered on its own (C output channels).
 *
 * <p>An instance keeps scratch buffers (gradient components, volume kernels) between calls and is
 * meant for one thread; the maps {@code apply} returns are fresh arrays owned by the caller, those
 * of {@link #applyReusingMaps} the bank's until its next call.
 */
public final class FilterBank {
    private final List<Filter> filters;
    private final ConvParams params;
    private final List<StatsConfig> defaultStats;
    private final int rows;
    private final int cols;
    private final List<Kernel> kernels;

    private int volumeChannels = -1;
    private List<Kernel> volumeKernels;
    private float[] scratch = new float[0];
    private float[] mapScratch = new float[0];

    /** An 8-bit window widened, or its plane of channel sums ({@link #applyReusingMapsU8}). */
    private float[] u8Scratch = new float[0];

    private int u8SumChannels = -1;
    private boolean u8Sums;

    /** A bank without statistics configured: {@link #apply(ImageF32, TileSpec)} gives maps only. */
    public FilterBank(List<? extends Filter> filters, ConvParams params) {
        this(filters, params, null);
    }

    /**
     * A bank whose {@link #apply(ImageF32, TileSpec)} also computes statistics with {@code stats}
     * (one configuration per filter, in order; null for maps only).
     *
     * @throws IllegalArgumentException if the list is empty, the filters differ in size (group them
     *     with {@link Filters#groupBySize}) or repeat a name
     */
    public FilterBank(List<? extends Filter> filters, ConvParams params, List<StatsConfig> stats) {
        if (filters == null || filters.isEmpty()) {
            throw new IllegalArgumentException("a filter bank needs at least one filter");
        }
        if (params == null) {
            throw new IllegalArgumentException("convolution parameters must not be null");
        }
        Filter f0 = filters.get(0);
        Set<String> names = new HashSet<>();
        List<Kernel> ks = new ArrayList<>();
        for (Filter f : filters) {
            if (f.rows() != f0.rows() || f.cols() != f0.cols()) {
                throw new IllegalArgumentException(
                        "filter '"
                                + f.name()
                                + "' is "
                                + f.size()
                                + " but '"
                                + f0.name()
                                + "' is "
                                + f0.size()
                                + "; make one FilterBank per size (Filters.groupBySize)");
            }
            if (!names.add(f.name())) {
                throw new IllegalArgumentException(
                        "filter '" + f.name() + "' appears twice; names must be unique");
            }
            ks.addAll(f.kernels());
        }
        this.filters = List.copyOf(filters);
        this.params = params;
        this.rows = f0.rows();
        this.cols = f0.cols();
        this.kernels = List.copyOf(ks);
        this.defaultStats = stats == null ? null : checkStats(stats);
    }

    private List<StatsConfig> checkStats(List<StatsConfig> stats) {
        if (stats.size() != filters.size()) {
            throw new IllegalArgumentException(
                    stats.size()
                            + " statistics configurations for "
                            + filters.size()
                            + " filters; give one per filter, in order");
        }
        return List.copyOf(stats);
    }

    public List<Filter> filters() {
        return filters;
    }

    public ConvParams params() {
        return params;
    }

    /** Kernel rows shared by all filters. */
    public int rows() {
        return rows;
    }

    /** Kernel columns shared by all filters. */
    public int cols() {
        return cols;
    }

    /** Channels of a tile window for a decoded image of {@code decodedChannels} (GREY: 1). */
    public int windowChannels(int decodedChannels) {
        return params.colorMode() == ColorMode.GREY ? 1 : decodedChannels;
    }

    /** Channels of each output map for a decoded image of {@code decodedChannels}. */
    public int outputChannels(int decodedChannels) {
        return outputChannels(params, decodedChannels);
    }

    /** Channels of each output map: the input's under PER_CHANNEL, else 1. */
    public static int outputChannels(ConvParams p, int decodedChannels) {
        return p.colorMode() == ColorMode.PER_CHANNEL ? decodedChannels : 1;
    }

    /**
     * The image the tiles are cut from: the grey conversion under GREY (with the parameters' grey
     * weights), the decoded image itself otherwise.
     */
    public ImageF32 prepare(ImageF32 decoded) {
        return params.colorMode() == ColorMode.GREY
                ? Convolution.toGrey(decoded, params.greyWeights())
                : decoded;
    }

    /**
     * Maps of every filter on {@code window}, with statistics if the bank was built with a
     * configuration (else {@link FilterOutput#stats()} is null).
     */
    public List<FilterOutput> apply(ImageF32 window, TileSpec tile) {
        return apply(window, tile, defaultStats);
    }

    /**
     * Maps and statistics of every filter on {@code window}.
     *
     * @param window the tile's input window, {@code tile.inW() x tile.inH()}, cut from {@link
     *     #prepare}d image (e.g. by {@code TilePlan.extract})
     * @param tile the tile the window belongs to
     * @param stats one configuration per filter, in order, or null for maps only
     */
    public List<FilterOutput> apply(ImageF32 window, TileSpec tile, List<StatsConfig> stats) {
        return apply(window, tile, stats, false);
    }

    /**
     * As {@link #apply(ImageF32, TileSpec, List)}, but the maps are views of one array the bank
     * keeps and overwrites at its next call: for a caller that is done with the maps before then
     * (e.g. encodes them at once), so that no map array is allocated per tile. The statistics are
     * the caller's, as in {@code apply}.
     */
    public List<FilterOutput> applyReusingMaps(
            ImageF32 window, TileSpec tile, List<StatsConfig> stats) {
        return apply(window, tile, stats, true);
    }

    /**
     * As {@link #applyReusingMaps} on a window of 8-bit samples ({@code tile.inW() x tile.inH()}
     * pixels of {@code channels} interleaved unsigned bytes): the same maps and statistics, bit for
     * bit, as on the window widened to float. A colour volume whose kernels allow it ({@link
     * Convolution#sumsChannelsOfU8Exactly}) is convolved on the plane of channel sums made straight
     * from the bytes, without the float window, its integer check or its channel sum; other windows
     * are widened into a buffer the bank reuses.
     *
     * @throws IllegalArgumentException if {@code window} does not hold exactly that many bytes
     */
    public List<FilterOutput> applyReusingMapsU8(
            byte[] window, int channels, TileSpec tile, List<StatsConfig> stats) {
        int pixels = tile.inW() * tile.inH();
        if (channels < 1 || (long) pixels * channels != window.length) {
            throw new IllegalArgumentException(
                    "an 8-bit window of "
                            + window.length
                            + " bytes is not "
                            + tile.inW()
                            + "x"
                            + tile.inH()
                            + " pixels of "
                            + channels
                            + " channels (tile "
                            + tile.index()
                            + ")");
        }
        if (channels != u8SumChannels) {
            u8Sums =
                    params.colorMode() == ColorMode.VOLUME
                            && Convolution.sumsChannelsOfU8Exactly(kernels, channels);
            u8SumChannels = channels;
        }
        int c = u8Sums ? 1 : channels;
        if (u8Scratch.length < pixels * c) {
            u8Scratch = new float[pixels * c];
        }
        if (u8Sums) {
            Convolution.sumChannelsU8(window, 0, channels, u8Scratch, 0, pixels);
        } else {
            Convolution.widenU8(window, 0, u8Scratch, 0, pixels * channels);
        }
        ImageF32 w = new ImageF32(u8Scratch, tile.inW(), tile.inH(), c, tile.inW() * c, 0);
        return apply(w, tile, stats, true);
    }

    private List<FilterOutput> apply(
            ImageF32 window, TileSpec tile, List<StatsConfig> stats, boolean reuseMaps) {
        if (stats != null) {
            checkStats(stats);
        }
        if (window.width != tile.inW() || window.height != tile.inH()) {
            throw new IllegalArgumentException(
                    "window is "
                            + window.width
                            + "x"
                            + window.height
                            + " but tile "
                            + tile.index()
                            + " needs "
                            + tile.inW()
                            + "x"
                            + tile.inH());
        }
        int s = params.stride();
        if ((window.width - cols) / s + 1 != tile.outW()
                || (window.height - rows) / s + 1 != tile.outH()) {
            throw new IllegalArgumentException(
                    "tile "
                            + tile
                            + " does not fit a "
                            + rows
                            + "x"
                            + cols
                            + " filter at stride "
                            + s
                            + "; was it planned for these filters and parameters?");
        }
        if (params.colorMode() == ColorMode.GREY && window.channels != 1) {
            throw new IllegalArgumentException(
                    "GREY colour mode needs a grey window but it has "
                            + window.channels
                            + " channels; cut windows from FilterBank.prepare(image)");
        }
        int c = window.channels;
        int outC = params.colorMode() == ColorMode.PER_CHANNEL ? c : 1;
        int ow = tile.outW();
        int oh = tile.outH();
        int plane = ow * oh * outC;
        // Linear maps are returned, gradient components are scratch: one slice per kernel.
        int scratchSlices = 0;
        for (Filter f : filters) {
            if (f instanceof GradientFilter) {
                scratchSlices += 2;
            }
        }
        if (scratch.length < scratchSlices * plane) {
            scratch = new float[scratchSlices * plane];
        }
        if (reuseMaps && mapScratch.length < filters.size() * plane) {
            mapScratch = new float[filters.size() * plane];
        }
        List<ImageF32> outs = new ArrayList<>(kernels.size());
        List<ImageF32> maps = new ArrayList<>(filters.size());
        int slice = 0;
        for (Filter f : filters) {
            ImageF32 m =
                    reuseMaps
                            ? new ImageF32(mapScratch, ow, oh, outC, ow * outC, maps.size() * plane)
                            : ImageF32.allocate(ow, oh, outC);
            maps.add(m);
            if (f instanceof GradientFilter) {
                outs.add(new ImageF32(scratch, ow, oh, outC, ow * outC, slice++ * plane));
                outs.add(new ImageF32(scratch, ow, oh, outC, ow * outC, slice++ * plane));
            } else {
                outs.add(m);
            }
        }
        if (params.colorMode() == ColorMode.PER_CHANNEL) {
            for (int i = 0; i < kernels.size(); i++) {
                Convolution.validPerChannelInto(window, kernels.get(i), s, outs.get(i));
            }
        } else {
            Convolution.validBankInto(window, volumeKernels(c), s, outs);
        }
        List<FilterOutput> result = new ArrayList<>(filters.size());
        int k = 0;
        for (int i = 0; i < filters.size(); i++) {
            Filter f = filters.get(i);
            ImageF32 map = maps.get(i);
            ImageF32 gx = null;
            ImageF32 gy = null;
            if (f instanceof GradientFilter) {
                gx = outs.get(k++);
                gy = outs.get(k++);
                magnitude(gx, gy, map);
            } else {
                k++;
            }
            EdgeStatsPartial p =
                    stats == null ? null : EdgeStatsPartial.of(map, gx, gy, stats.get(i), tile);
            result.add(new FilterOutput(f, map, p));
        }
        return result;
    }

    /** Element-wise magnitude of compact same-shaped images (any channel count). */
    private static void magnitude(ImageF32 gx, ImageF32 gy, ImageF32 out) {
        int n = out.width * out.height * out.channels;
        Gradient.magnitudeInto(gx.data, gx.offset, gy.data, gy.offset, out.data, out.offset, n);
    }

    private List<Kernel> volumeKernels(int channels) {
        if (channels != volumeChannels) {
            List<Kernel> vk = new ArrayList<>(kernels.size());
            for (Kernel k : kernels) {
                vk.add(channels == 1 ? k : k.toVolume(channels));
            }
            volumeKernels = vk;
            volumeChannels = channels;
        }
        return volumeKernels;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Filter f : filters) {
            names.add(f.name());
        }
        return "FilterBank" + names + " " + rows + "x" + cols + " " + params;
    }
}
