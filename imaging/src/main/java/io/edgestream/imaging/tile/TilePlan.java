package io.edgestream.imaging.tile;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.image.ImageBuffer;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU16;
import io.edgestream.imaging.image.ImageU8;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How one image is cut into tiles for one filter size: the output map ({@link
 * ConvParams#outputSize}) is divided into a grid of {@code tileWidth x tileHeight} output pixels
 * (the last column and row of tiles smaller), and each tile gets the input window with the halo its
 * output pixels need. Convolving every window with VALID padding and the plan's stride gives
 * exactly the output tile, so reassembling the tiles reproduces the whole-image convolution bit for
 * bit; only outside the image (SAME padding) does the border mode invent pixels.
 *
 * <p>Output column {@code j} reads input columns {@code j*stride - padBefore} to {@code j*stride -
 * padBefore + filterCols - 1}, so a tile with output columns {@code [outX, outX+outW)} needs the
 * window starting at {@code outX*stride - padBefore} of width {@code (outW-1)*stride + filterCols};
 * rows likewise.
 *
 * <p>A plan is for ONE kernel size: filters of different sizes need different halos and, under
 * VALID, produce maps of different sizes. {@link #forFilters} therefore requires all filters to
 * share a size; a job groups its filters with {@code Filters.groupBySize} and makes one plan per
 * group.
 *
 * <p>Windows are cut straight from the decoded samples with {@link #extract(DecodedImage,
 * TileSpec)}, converting to float (and to grey under {@code GREY}) one window at a time, so no
 * float copy of the whole image is ever made; {@link #maxWindowBytes} says what one window costs.
 */
public final class TilePlan {
    /** Upper bound on tiles per plan: a guard against absurd tile sizes, not a tuning knob. */
    public static final int MAX_TILES = 1 << 20;

    private final int imageWidth;
    private final int imageHeight;
    private final int filterRows;
    private final int filterCols;
    private final ConvParams params;
    private final int tileWidth;
    private final int tileHeight;
    private final int outputWidth;
    private final int outputHeight;
    private final int tilesX;
    private final int tilesY;
    private final List<TileSpec> tiles;

    private TilePlan(
            int imageWidth,
            int imageHeight,
            int filterRows,
            int filterCols,
            ConvParams params,
            int tileWidth,
            int tileHeight) {
        this.imageWidth = imageWidth;
        this.imageHeight = imageHeight;
        this.filterRows = filterRows;
        this.filterCols = filterCols;
        this.params = params;
        this.tileWidth = tileWidth;
        this.tileHeight = tileHeight;
        this.outputWidth = params.outputSize(imageWidth, filterCols);
        this.outputHeight = params.outputSize(imageHeight, filterRows);
        this.tilesX = outputWidth == 0 || outputHeight == 0 ? 0 : ceilDiv(outputWidth, tileWidth);
        this.tilesY = outputWidth == 0 || outputHeight == 0 ? 0 : ceilDiv(outputHeight, tileHeight);
        int s = params.stride();
        int padLeft = Padding.padBefore(params.padding(), filterCols);
        int padTop = Padding.padBefore(params.padding(), filterRows);
        List<TileSpec> list = new ArrayList<>(tilesX * tilesY);
        for (int row = 0; row < tilesY; row++) {
            int outY = row * tileHeight;
            int outH = Math.min(tileHeight, outputHeight - outY);
            for (int col = 0; col < tilesX; col++) {
                int outX = col * tileWidth;
                int outW = Math.min(tileWidth, outputWidth - outX);
                list.add(
                        new TileSpec(
                                list.size(),
                                col,
                                row,
                                outX,
                                outY,
                                outW,
                                outH,
                                outX * s - padLeft,
                                outY * s - padTop,
                                (outW - 1) * s + filterCols,
                                (outH - 1) * s + filterRows));
            }
        }
        this.tiles = Collections.unmodifiableList(list);
    }

    /**
     * Plans the tiles of an {@code imageWidth x imageHeight} image for a {@code filterRows x
     * filterCols} filter.
     *
     * @param tileWidth tile width in OUTPUT pixels, at least 1
     * @param tileHeight tile height in OUTPUT pixels, at least 1
     */
    public static TilePlan plan(
            int imageWidth,
            int imageHeight,
            int filterRows,
            int filterCols,
            ConvParams p,
            int tileWidth,
            int tileHeight) {
        if (imageWidth < 1 || imageHeight < 1) {
            throw new IllegalArgumentException(
                    "cannot tile an empty image (" + imageWidth + "x" + imageHeight + ")");
        }
        if (filterRows < 1 || filterCols < 1) {
            throw new IllegalArgumentException(
                    "filter must be at least 1x1, got " + filterRows + "x" + filterCols);
        }
        if (tileWidth < 1 || tileHeight < 1) {
            throw new IllegalArgumentException(
                    "tile size must be at least 1x1 output pixels, got "
                            + tileWidth
                            + "x"
                            + tileHeight);
        }
        if (p == null) {
            throw new IllegalArgumentException("convolution parameters must not be null");
        }
        long tiles =
                (long) ceilDiv(p.outputSize(imageWidth, filterCols), tileWidth)
                        * ceilDiv(p.outputSize(imageHeight, filterRows), tileHeight);
        if (tiles > MAX_TILES) {
            throw new IllegalArgumentException(
                    "tiles of "
                            + tileWidth
                            + "x"
                            + tileHeight
                            + " cut the "
                            + imageWidth
                            + "x"
                            + imageHeight
                            + " image into "
                            + tiles
                            + " tiles, more than "
                            + MAX_TILES
                            + "; use larger tiles");
        }
        return new TilePlan(
                imageWidth, imageHeight, filterRows, filterCols, p, tileWidth, tileHeight);
    }

    /**
     * A plan for a group of filters that all have the same kernel size.
     *
     * @throws IllegalArgumentException if the list is empty or the filters differ in size (group
     *     them with {@code Filters.groupBySize} and plan each group)
     */
    public static TilePlan forFilters(
            int imageWidth,
            int imageHeight,
            List<? extends Filter> filters,
            ConvParams p,
            int tileWidth,
            int tileHeight) {
        if (filters == null || filters.isEmpty()) {
            throw new IllegalArgumentException("a tile plan needs at least one filter");
        }
        Set<String> sizes = new LinkedHashSet<>();
        for (Filter f : filters) {
            sizes.add(f.size());
        }
        if (sizes.size() > 1) {
            throw new IllegalArgumentException(
                    "filters of different sizes "
                            + sizes
                            + " need different halos; group them with Filters.groupBySize and"
                            + " make one TilePlan per group");
        }
        Filter f = filters.get(0);
        return plan(imageWidth, imageHeight, f.rows(), f.cols(), p, tileWidth, tileHeight);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    public int imageWidth() {
        return imageWidth;
    }

    public int imageHeight() {
        return imageHeight;
    }

    public int filterRows() {
        return filterRows;
    }

    public int filterCols() {
        return filterCols;
    }

    public ConvParams params() {
        return params;
    }

    /** Nominal tile width in output pixels (the last tile column may be narrower). */
    public int tileWidth() {
        return tileWidth;
    }

    /** Nominal tile height in output pixels (the last tile row may be shorter). */
    public int tileHeight() {
        return tileHeight;
    }

    public int outputWidth() {
        return outputWidth;
    }

    public int outputHeight() {
        return outputHeight;
    }

    public int tilesX() {
        return tilesX;
    }

    public int tilesY() {
        return tilesY;
    }

    public int tileCount() {
        return tiles.size();
    }

    /**
     * True if the output map is empty: under VALID padding the image is smaller than the filter in
     * at least one direction. Such an image has nothing to convolve (a job dead-letters it).
     */
    public boolean isEmpty() {
        return tiles.isEmpty();
    }

    /** All tiles in row-major order ({@code tiles().get(i).index() == i}). */
    public List<TileSpec> tiles() {
        return tiles;
    }

    public TileSpec tile(int index) {
        if (index < 0 || index >= tiles.size()) {
            throw new IndexOutOfBoundsException(
                    "tile index " + index + " is outside this plan's " + tiles.size() + " tiles");
        }
        return tiles.get(index);
    }

    /** The tile at grid position ({@code col}, {@code row}). */
    public TileSpec tile(int col, int row) {
        if (col < 0 || col >= tilesX || row < 0 || row >= tilesY) {
            throw new IndexOutOfBoundsException(
                    "tile ("
                            + col
                            + ","
                            + row
                            + ") is outside this plan's "
                            + tilesX
                            + "x"
                            + tilesY
                            + " grid");
        }
        return tiles.get(row * tilesX + col);
    }

    /**
     * The tile's input window as a compact image, halo included and, where it extends outside the
     * image, filled by the plan's border mode: ready to be shipped to another task. {@code image}
     * is the image the filters run on, i.e. already converted to grey under {@code GREY} colour
     * mode (see {@code FilterBank.prepare}).
     */
    public ImageF32 extract(ImageF32 image, TileSpec t) {
        checkSize(image.width, image.height);
        ImageF32 w =
                Convolution.window(
                        image,
                        t.inX(),
                        t.inY(),
                        t.inW(),
                        t.inH(),
                        params.border(),
                        params.borderConstant());
        return w.isCompact() ? w : w.compact();
    }

    /**
     * The tile's input window cut straight from the decoded samples, whatever their depth (8-bit,
     * 16-bit or float), converted to grey under {@code GREY} colour mode: bit for bit what {@link
     * #extract(ImageF32, TileSpec)} gives for {@code FilterBank.prepare(image.toF32())}, while
     * holding one window instead of a float copy of the whole image (4 bytes per sample, plus the
     * grey image). Outside the image the border mode fills in as in {@link Convolution#window}; a
     * CONSTANT border is a value of the image the filters see, so under GREY it is the grey value
     * itself, not converted.
     *
     * @throws IllegalArgumentException if the image is not the plan's size, or under GREY the grey
     *     weights do not fit its channels (as {@link Convolution#toGrey} would)
     */
    public ImageF32 extract(DecodedImage image, TileSpec t) {
        checkSize(image.width(), image.height());
        int c = image.channels();
        float[] weights = null;
        int used = c;
        if (params.colorMode() == ColorMode.GREY && c > 1) {
            weights = params.greyWeights();
            used = Convolution.greyChannels(c, weights.length);
        }
        int outC = weights != null ? 1 : c;
        int w = t.inW();
        int h = t.inH();
        ImageF32 out = ImageF32.allocate(w, h, outC);
        BorderMode border = params.border();
        float value = border == BorderMode.CONSTANT ? params.borderConstant() : 0f;
        int[] xs = new int[w];
        for (int i = 0; i < w; i++) {
            xs[i] = border.map(t.inX() + i, imageWidth);
        }
        Source src = Source.of(image);
        float[] dst = out.data;
        for (int j = 0; j < h; j++) {
            int sy = border.map(t.inY() + j, imageHeight);
            int d = j * w * outC;
            if (sy < 0) {
                Arrays.fill(dst, d, d + w * outC, value);
                continue;
            }
            int i = 0;
            while (i < w) {
                int sx = xs[i];
                if (sx < 0) {
                    Arrays.fill(dst, d + i * outC, d + (i + 1) * outC, value);
                    i++;
                    continue;
                }
                // A run of consecutive source columns converts in one call.
                int run = 1;
                while (i + run < w && xs[i + run] == sx + run) {
                    run++;
                }
                if (weights == null) {
                    src.copy(sy, sx, run, dst, d + i * c);
                } else {
                    src.grey(sy, sx, run, weights, used, dst, d + i);
                }
                i += run;
            }
        }
        return out;
    }

    /**
     * Float bytes of the largest window {@link #extract} returns for an image of {@code
     * decodedChannels} channels (one channel under {@code GREY}): what one tile in flight costs
     * before it is filtered. The first tile is the largest; 0 for an empty plan.
     */
    public long maxWindowBytes(int decodedChannels) {
        if (tiles.isEmpty()) {
            return 0;
        }
        int c = params.colorMode() == ColorMode.GREY ? 1 : decodedChannels;
        TileSpec first = tiles.get(0);
        return (long) first.inW() * first.inH() * c * Float.BYTES;
    }

    private void checkSize(int width, int height) {
        if (width != imageWidth || height != imageHeight) {
            throw new IllegalArgumentException(
                    "image is "
                            + width
                            + "x"
                            + height
                            + " but the tile plan was made for "
                            + imageWidth
                            + "x"
                            + imageHeight);
        }
    }

    /**
     * The decoded samples of one depth, read as floats exactly as {@code DecodedImage.toF32}
     * converts them ({@code (float) (sample & 0xFF)}, {@code & 0xFFFF}, floats as they are).
     */
    private abstract static class Source {
        final ImageBuffer layout;

        Source(ImageBuffer layout) {
            this.layout = layout;
        }

        static Source of(DecodedImage image) {
            return switch (image.bitDepth()) {
                case 8 -> new U8(image.u8());
                case 16 -> new U16(image.u16());
                default -> new F32(image.f32());
            };
        }

        /**
         * Samples of {@code n} pixels from ({@code x}, {@code y}) into {@code dst} at {@code d}.
         */
        abstract void copy(int y, int x, int n, float[] dst, int d);

        abstract float sample(int i);

        /**
         * Grey values of {@code n} pixels as {@link Convolution#toGrey} computes them: {@code acc =
         * +0f; acc = fma(sample, weight, acc)} in channel order.
         */
        final void grey(int y, int x, int n, float[] w, int used, float[] dst, int d) {
            int c = layout.channels;
            int p = layout.index(x, y, 0);
            for (int k = 0; k < n; k++, p += c) {
                float acc = 0f;
                for (int ch = 0; ch < used; ch++) {
                    acc = Math.fma(sample(p + ch), w[ch], acc);
                }
                dst[d + k] = acc;
            }
        }

        private static final class U8 extends Source {
            private final byte[] data;

            U8(ImageU8 img) {
                super(img);
                this.data = img.data;
            }

            @Override
            void copy(int y, int x, int n, float[] dst, int d) {
                int p = layout.index(x, y, 0);
                for (int k = 0, m = n * layout.channels; k < m; k++) {
                    dst[d + k] = data[p + k] & 0xFF;
                }
            }

            @Override
            float sample(int i) {
                return data[i] & 0xFF;
            }
        }

        private static final class U16 extends Source {
            private final short[] data;

            U16(ImageU16 img) {
                super(img);
                this.data = img.data;
            }

            @Override
            void copy(int y, int x, int n, float[] dst, int d) {
                int p = layout.index(x, y, 0);
                for (int k = 0, m = n * layout.channels; k < m; k++) {
                    dst[d + k] = data[p + k] & 0xFFFF;
                }
            }

            @Override
            float sample(int i) {
                return data[i] & 0xFFFF;
            }
        }

        private static final class F32 extends Source {
            private final float[] data;

            F32(ImageF32 img) {
                super(img);
                this.data = img.data;
            }

            @Override
            void copy(int y, int x, int n, float[] dst, int d) {
                // arraycopy, as Convolution.window does: float bits (NaN payloads) unchanged.
                System.arraycopy(data, layout.index(x, y, 0), dst, d, n * layout.channels);
            }

            @Override
            float sample(int i) {
                return data[i];
            }
        }
    }

    @Override
    public String toString() {
        return "TilePlan[image "
                + imageWidth
                + "x"
                + imageHeight
                + ", filter "
                + filterRows
                + "x"
                + filterCols
                + ", "
                + params
                + ", output "
                + outputWidth
                + "x"
                + outputHeight
                + ", tiles "
                + tilesX
                + "x"
                + tilesY
                + " of "
                + tileWidth
                + "x"
                + tileHeight
                + "]";
    }
}
