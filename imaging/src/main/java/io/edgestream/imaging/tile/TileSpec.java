package io.edgestream.imaging.tile;

/**
 * One tile of a {@link TilePlan}: the rectangle of the output map it produces and the input window
 * (in image coordinates, halo included) it needs to produce it. Under SAME padding the window may
 * extend outside the image; the plan's border mode then fills the missing pixels. A tile is a plain
 * value so it can travel with the window through a stream job.
 *
 * @param index position in the plan's row-major tile order
 * @param col tile column in the plan's grid
 * @param row tile row in the plan's grid
 * @param outX first output column
 * @param outY first output row
 * @param outW output columns (the last tile column may be narrower than the others)
 * @param outH output rows
 * @param inX first input column of the window (negative if it starts left of the image)
 * @param inY first input row of the window
 * @param inW input window width, {@code (outW - 1) * stride + filterCols}
 * @param inH input window height, {@code (outH - 1) * stride + filterRows}
 */
public record TileSpec(
        int index,
        int col,
        int row,
        int outX,
        int outY,
        int outW,
        int outH,
        int inX,
        int inY,
        int inW,
        int inH) {

    public TileSpec {
        if (outW < 1 || outH < 1 || inW < 1 || inH < 1) {
            throw new IllegalArgumentException(
                    "tile "
                            + index
                            + " must have a positive output and input size, got out "
                            + outW
                            + "x"
                            + outH
                            + " in "
                            + inW
                            + "x"
                            + inH);
        }
        if (index < 0 || col < 0 || row < 0 || outX < 0 || outY < 0) {
            throw new IllegalArgumentException(
                    "tile index, grid position and output origin must be non-negative, got index "
                            + index
                            + " col "
                            + col
                            + " row "
                            + row
                            + " out "
                            + outX
                            + ","
                            + outY);
        }
    }

    /** Output values of this tile for a map with {@code channels} channels. */
    public int outputValues(int channels) {
        return outW * outH * channels;
    }

    /** True if the input window lies completely inside a {@code width x height} image. */
    public boolean windowInside(int width, int height) {
        return inX >= 0 && inY >= 0 && inX + inW <= width && inY + inH <= height;
    }
}
