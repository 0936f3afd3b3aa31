package io.edgestream.imaging.decode;

import java.util.Locale;

/**
 * What decoding one payload will cost in memory, computed from its header alone by {@link
 * ImageDecoder#estimate} (and checked by {@link ImageDecoder#decode} against {@link
 * DecodeLimits#maxDecodeBytes()} before any pixel is allocated).
 *
 * <p>{@link #peakHeapBytes()} is an upper bound on the <em>peak live heap</em> of the decode: what
 * must fit in the Java heap at the same moment. That is the payload being read, the reader's
 * raster, a second raster where the reader really holds two (e.g. TwelveMonkeys' CMYK raster and
 * the RGB image it converts it into), the conversion copy and output where there is one (palette
 * expansion, dropping bands), a fixed allowance for reader objects, plus the largest single step's
 * transient buffers: one row, one strip or tile, one compressed segment, one LZW table. Transient
 * buffers are not summed over the steps that make them: a progressive JPEG copies every row once
 * per scan, but only one row copy is reachable at a time. What the decode allocates in all can
 * therefore be many times this figure; a heap of the caller's own use plus this figure (plus the
 * JVM's fixed overhead) is enough for the decode not to run out of memory, whatever garbage it
 * leaves for the collector.
 *
 * <p>{@link #nativeBytes()} bounds what the decoders allocate outside the Java heap, which the heap
 * limit does not cover: libjpeg's row buffers and, for progressive and other multi-scan JPEGs, its
 * whole-image coefficient buffers (about 2 bytes per sample); zlib's inflate state; LittleCMS
 * colour transforms for CMYK and ICC-profiled images.
 *
 * @param image what the image is, for messages: size, depth, channels, format and variant (e.g.
 *     "7000x7000 16-bit RGB PNG")
 * @param decodedBytes bytes of the decoded samples at their depth (the {@link DecodedImage}'s
 *     buffer)
 * @param peakHeapBytes upper bound of the heap live at once during the decode, the payload included
 * @param nativeBytes upper bound of the memory allocated outside the Java heap
 * @param breakdown the terms of the two figures, human-readable: the arrays held throughout, then
 *     the largest step and its buffers
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
