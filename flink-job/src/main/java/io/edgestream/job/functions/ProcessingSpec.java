package io.edgestream.job.functions;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the operators need to decode, tile, convolve and summarise images, in a serializable
 * form that travels with the job graph: the filters as their text specification (parsed again in
 * each task, since filters and kernels are not serializable), the convolution parameters, the tile
 * size, the statistics settings, the input limits ({@link InputLimits}) and how each filter's maps
 * are encoded ({@link MapEncodings}).
 *
 * <p>Filters of different kernel sizes need different halos, so they are split into size groups
 * ({@link Filters#groupBySize}); every image is tiled once per group and each tile carries its
 * group index.
 */
public final class ProcessingSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String filters;
    public final Padding padding;
    public final BorderMode border;
    public final float borderConstant;
    public final int stride;
    public final ColorMode colorMode;
    public final float[] greyWeights;
    public final int tileWidth;
    public final int tileHeight;

    /** Edge threshold, or null for the filter-dependent default of {@code StatsConfig}. */
    public final Double edgeThreshold;

    public final int histogramBins;
    public final long maxPixels;
    public final int maxDimension;
    public final int maxKernelSize;
    public final int maxFilters;

    /**
     * Images with at least this many tile tasks (over all filter-size groups) are spread over all
     * convolution subtasks; smaller ones stay in the decoding task ({@code tiles.spread.min}).
     */
    public final int spreadMinTiles;

    /** What one input record may cost: size, key, ids, attributes, memory, dead letter. */
    public final InputLimits input;

    /** The encoding of each filter's maps on the maps topic. */
    public final MapEncodings mapEncodings;

    public ProcessingSpec(
            String filters,
            Padding padding,
            BorderMode border,
            float borderConstant,
            int stride,
            ColorMode colorMode,
            float[] greyWeights,
            int tileWidth,
            int tileHeight,
            Double edgeThreshold,
            int histogramBins,
            long maxPixels,
            int maxDimension,
            int maxKernelSize,
            int maxFilters,
            int spreadMinTiles,
            InputLimits input,
            MapEncodings mapEncodings) {
        this.filters = filters;
        this.padding = padding;
        this.border = border;
        this.borderConstant = borderConstant;
        this.stride = stride;
        this.colorMode = colorMode;
        this.greyWeights = greyWeights.clone();
        this.tileWidth = tileWidth;
        this.tileHeight = tileHeight;
        this.edgeThreshold = edgeThreshold;
        this.histogramBins = histogramBins;
        this.maxPixels = maxPixels;
        this.maxDimension = maxDimension;
        this.maxKernelSize = maxKernelSize;
        this.maxFilters = maxFilters;
        this.spreadMinTiles = spreadMinTiles;
        this.input = input;
        this.mapEncodings = mapEncodings;
    }

    /** Parses everything once so that a bad setting fails at start-up with a clear message. */
    public void validate() {
        List<Filter> fs;
        try {
            fs = filterList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option 'filters' is invalid: " + e.getMessage(), e);
        }
        if (fs.size() > maxFilters) {
            throw new IllegalArgumentException(
                    "option 'filters' lists "
                            + fs.size()
                            + " filters, more than 'max.filters' = "
                            + maxFilters
                            + "; remove some or raise max.filters");
        }
        for (Filter f : fs) {
            if (f.rows() > maxKernelSize || f.cols() > maxKernelSize) {
                throw new IllegalArgumentException(
                        "filter '"
                                + f.name()
                                + "' is "
                                + f.size()
                                + ", larger than 'max.kernel.size' = "
                                + maxKernelSize
                                + "; use a smaller kernel or raise max.kernel.size");
            }
        }
        try {
            convParams();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "convolution options are invalid: " + e.getMessage(), e);
        }
        if (colorMode == ColorMode.GREY && greyWeights.length < 1) {
            throw new IllegalArgumentException("option 'grey.weights' needs at least one weight");
        }
        mapEncodings.check(fs, convParams());
        decodeLimits();
    }

    /** The filters in configuration order. */
    public List<Filter> filterList() {
        return Filters.parseList(filters);
    }

    /** The filters grouped by kernel size, in first-appearance order; one tile plan per group. */
    public List<List<Filter>> filterGroups() {
        return new ArrayList<>(Filters.groupBySize(filterList()).values());
    }

    public ConvParams convParams() {
        return new ConvParams(padding, border, borderConstant, stride, colorMode, greyWeights);
    }

    /** The decoder's limits: pixels and sides from the options, no memory limit. */
    public DecodeLimits decodeLimits() {
        return new DecodeLimits(maxPixels, maxDimension, maxDimension);
    }

    /** The decoder's limits with at most {@code maxDecodeBytes} for decoding one image. */
    public DecodeLimits decodeLimits(long maxDecodeBytes) {
        return new DecodeLimits(maxPixels, maxDimension, maxDimension, maxDecodeBytes);
    }

    /** Whether an image of {@code tileTasks} tile tasks is convolved where it was decoded. */
    public boolean staysLocal(int tileTasks) {
        return tileTasks < spreadMinTiles;
    }

    /** Number of filters over all groups: the number of EdgeStats records per image. */
    public int filterCount() {
        return filterList().size();
    }
}
