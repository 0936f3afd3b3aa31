package io.edgestream.imaging.conv;

/**
 * What the pixels outside the image are, under {@link Padding#SAME}. Illustrated for a row {@code
 * abcd}.
 */
public enum BorderMode {
    /** {@code 000|abcd|000}: TensorFlow's SAME; edges look strong at the border. */
    ZERO,
    /** {@code kkk|abcd|kkk} with a configured constant {@code k}. */
    CONSTANT,
    /** {@code aaa|abcd|ddd}: no artificial edge at the border for smooth images. */
    REPLICATE,
    /** {@code cba|abcd|dcb}: mirror including the border pixel. */
    REFLECT,
    /** {@code dcb|abcd|cba}: mirror without repeating the border pixel (OpenCV's default). */
    REFLECT_101,
    /** {@code bcd|abcd|abc}: the image tiles the plane (periodic signals). */
    WRAP;

    /**
     * Maps a coordinate {@code i} (possibly outside {@code [0, n)}) to a coordinate inside it, or
     * returns -1 for ZERO/CONSTANT when {@code i} is outside.
     */
    public int map(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (this) {
            case ZERO:
            case CONSTANT:
                return -1;
            case REPLICATE:
                return i < 0 ? 0 : n - 1;
            case REFLECT:
                {
                    if (n == 1) {
                        return 0;
                    }
                    int period = 2 * n;
                    int m = Math.floorMod(i, period);
                    return m < n ? m : period - 1 - m;
                }
            case REFLECT_101:
                {
                    if (n == 1) {
                        return 0;
                    }
                    int period = 2 * n - 2;
                    int m = Math.floorMod(i, period);
                    return m < n ? m : period - m;
                }
            case WRAP:
                return Math.floorMod(i, n);
            default:
                throw new AssertionError(this);
        }
    }
}
