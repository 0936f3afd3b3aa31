package io.edgestream.imaging.tile;

import io.edgestream.imaging.image.ImageF32;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Reassembles output tiles, arriving in any order, into the full feature map. Every output pixel
 * must be delivered exactly once: a tile that overlaps an earlier one (a duplicate delivery, or a
 * tile from another plan) is rejected with an error naming both rectangles, so a replayed or
 * misrouted tile can never silently overwrite data. Not thread-safe; one assembler per map.
 */
public final class MapAssembler {
    private final int width;
    private final int height;
    private final int channels;
    private final float[] data;
    private final BitSet filled;
    private final List<int[]> added = new ArrayList<>();
    private long filledPixels;

    /** An assembler for a {@code width x height x channels} map. */
    public MapAssembler(int width, int height, int channels) {
        if (width < 1 || height < 1 || channels < 1) {
            throw new IllegalArgumentException(
                    "map must be at least 1x1x1, got " + width + "x" + height + "x" + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = new float[Math.multiplyExact(Math.multiplyExact(width, height), channels)];
        this.filled = new BitSet(width * height);
    }

    /** An assembler for the output map of {@code plan} with {@code channels} channels. */
    public static MapAssembler forPlan(TilePlan plan, int channels) {
        if (plan.isEmpty()) {
            throw new IllegalArgumentException("the plan's output map is empty: " + plan);
        }
        return new MapAssembler(plan.outputWidth(), plan.outputHeight(), channels);
    }

    /** Adds a tile's output values (compact, HWC) at the tile's output rectangle. */
    public void add(TileSpec t, float[] tileData) {
        add(t.outX(), t.outY(), t.outW(), t.outH(), tileData);
    }

    /** Adds a tile given as an image (any stride) at the tile's output rectangle. */
    public void add(TileSpec t, ImageF32 tile) {
        if (tile.width != t.outW() || tile.height != t.outH() || tile.channels != channels) {
            throw new IllegalArgumentException(
                    "tile "
                            + t.index()
                            + " should be "
                            + t.outW()
                            + "x"
                            + t.outH()
                            + "x"
                            + channels
                            + " but the image is "
                            + tile);
        }
        add(t.outX(), t.outY(), t.outW(), t.outH(), tile.isCompact() ? tile.data : tile.toArray());
    }

    /**
     * Adds {@code w x h} output pixels (compact, HWC, {@code w*h*channels} values) at ({@code x},
     * {@code y}).
     *
     * @throws IllegalArgumentException if the rectangle is outside the map, the data has the wrong
     *     length, or the rectangle overlaps a tile added before
     */
    public void add(int x, int y, int w, int h, float[] tileData) {
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > width || y + h > height) {
            throw new IllegalArgumentException(
                    "tile "
                            + rect(x, y, w, h)
                            + " is outside the "
                            + width
                            + "x"
                            + height
                            + " map");
        }
        long expected = (long) w * h * channels;
        if (tileData == null || tileData.length != expected) {
            throw new IllegalArgumentException(
                    "tile "
                            + rect(x, y, w, h)
                            + " needs "
                            + expected
                            + " values ("
                            + channels
                            + " channels) but got "
                            + (tileData == null ? "null" : tileData.length));
        }
        for (int r = y; r < y + h; r++) {
            int first = filled.nextSetBit(r * width + x);
            if (first >= 0 && first < r * width + x + w) {
                throw new IllegalArgumentException(
                        "tile "
                                + rect(x, y, w, h)
                                + " overlaps the earlier tile "
                                + earlierTileAt(first % width, first / width)
                                + " at pixel ("
                                + first % width
                                + ","
                                + first / width
                                + "): a tile was delivered twice or comes from another tile plan");
            }
        }
        int row = w * channels;
        for (int r = 0; r < h; r++) {
            System.arraycopy(tileData, r * row, data, ((y + r) * width + x) * channels, row);
            filled.set((y + r) * width + x, (y + r) * width + x + w);
        }
        added.add(new int[] {x, y, w, h});
        filledPixels += (long) w * h;
    }

    private String earlierTileAt(int px, int py) {
        for (int[] a : added) {
            if (px >= a[0] && px < a[0] + a[2] && py >= a[1] && py < a[1] + a[3]) {
                return rect(a[0], a[1], a[2], a[3]);
            }
        }
        return "(unknown)";
    }

    private static String rect(int x, int y, int w, int h) {
        return "[" + x + "," + y + " " + w + "x" + h + "]";
    }

    /** True once every output pixel has been delivered. */
    public boolean isComplete() {
        return filledPixels == (long) width * height;
    }

    /** Output pixels still missing. */
    public long missingPixels() {
        return (long) width * height - filledPixels;
    }

    /** Tiles added so far. */
    public int tileCount() {
        return added.size();
    }

    /**
     * The assembled map (shares this assembler's array).
     *
     * @throws IllegalStateException if some pixels have not been delivered yet
     */
    public ImageF32 result() {
        if (!isComplete()) {
            int first = filled.nextClearBit(0);
            throw new IllegalStateException(
                    "map "
                            + width
                            + "x"
                            + height
                            + " is incomplete: "
                            + missingPixels()
                            + " pixels missing, the first at ("
                            + first % width
                            + ","
                            + first / width
                            + "); wait for all tiles before calling result()");
        }
        return ImageF32.wrap(data, width, height, channels);
    }
}
