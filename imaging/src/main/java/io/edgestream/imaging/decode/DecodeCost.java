package io.edgestream.imaging.decode;

import java.util.Locale;

/**
 * What decoding one payload will cost in memory, computed from its header alone by {@link
 * ImageDecoder#estimate} (and checked by {@link ImageDecoder#decode} against {@link
 * DecodeLimits#maxDecodeBytes()} before any pixel is allocated). {@link #peakHeapBytes()} is an
 * upper bound on the Java heap the decode allocates, and therefore on what it holds at once: the
 * payload being read, the reader's raster, any conversion copy and the output, plus the reader's
 * transient buffers (per strip, per row), which are counted in full even though only one of them is
 * live at a time. {@link #nativeBytes()} bounds what a decoder allocates outside the heap
 * (libjpeg's whole-image coefficient buffers for progressive JPEGs, colour management).
 *
 * @param image what the image is, for messages: size, depth, channels, format and variant (e.g.
 *     "7000x7000 16-bit RGB PNG")
 * @param decodedBytes bytes of the decoded samples at their depth (the {@link DecodedImage}'s
 *     buffer)
 * @param peakHeapBytes upper bound of the heap the decode allocates, the payload included
 * @param nativeBytes upper bound of the memory allocated outside the Java heap
 * @param breakdown the terms of the two sums, human-readable
 */
public record DecodeCost(
        String image, long decodedBytes, long peakHeapBytes, long nativeBytes, String breakdown) {

    /** Heap and native memory together: what {@link DecodeLimits#maxDecodeBytes()} limits. */
    public long totalBytes() {
        long t = peakHeapBytes + nativeBytes;
        return t < 0 ? Long.MAX_VALUE : t;
    }

    /** A byte count for messages: "294.0 MB" (decimal units, as memory settings are read). */
    public static String formatBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    @Override
    public String toString() {
        return image
                + ": decoded "
                + formatBytes(decodedBytes)
                + ", heap up to "
                + formatBytes(peakHeapBytes)
                + ", native up to "
                + formatBytes(nativeBytes)
                + " ("
                + breakdown
                + ")";
    }
}
