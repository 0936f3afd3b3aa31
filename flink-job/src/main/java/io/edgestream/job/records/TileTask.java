package io.edgestream.job.records;

import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.tile.TileSpec;

/**
 * One tile of one image for one filter-size group, on its way from the decoder to a convolution
 * task: the tile's compact input window (halo included, border already applied) plus what a task on
 * another slot needs to convolve it and to compute its statistics. Filters come from the job
 * configuration; the statistics configuration is shipped as primitives (one entry per filter of the
 * group) because it depends on the image (value range, tile grid). A Flink POJO with primitive
 * arrays, so no Kryo.
 */
public class TileTask {
    // --- the image ---
    public String imageId;
    public String sourceId;
    public String batchId;

    /** The frame's attribute {@code file} (its file name), or null. */
    public String sourceName;

    public long captureTimeMs;
    public long sequence;

    /** Kafka timestamp of the input record. */
    public long ingestTimeMs;

    public int inputWidth;
    public int inputHeight;

    /** Channels of the decoded image (before any grey conversion). */
    public int inputChannels;

    /** Bits per sample of the decoded image: 8, 16, or 32 for float samples. */
    public int inputBitDepth;

    // --- the input record, for an INCOMPLETE_IMAGE dead letter ---
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    /** Size of the input record's value. */
    public long originalSize;

    public byte[] key;

    // --- the plan of this filter group ---
    /** Index of the filter-size group (see ProcessingSpec#filterGroups). */
    public int group;

    /** Filters over all groups: how many EdgeStats the image gets. */
    public int filterCount;

    public int mapWidth;
    public int mapHeight;
    public int mapChannels;
    public int tilesX;
    public int tilesY;
    public int tileCount;

    // --- the tile (TileSpec) ---
    public int tileIndex;
    public int col;
    public int row;
    public int outX;
    public int outY;
    public int outW;
    public int outH;
    public int inX;
    public int inY;
    public int inW;
    public int inH;

    /**
     * Compact HWC window, inW x inH x windowChannels, as float32; null when the window travels as
     * {@link #windowU8}.
     */
    public float[] window;

    /**
     * The same window as unsigned bytes, when every sample is an integer 0..255 (8-bit input, not
     * converted to grey, border values included): a quarter of the bytes between the decoder and
     * the convolution, and widened back to exactly the same floats. Null otherwise.
     */
    public byte[] windowU8;

    public int windowChannels;

    // --- statistics configuration, one entry per filter of the group ---
    public int[] histogramBins;
    public double[] histogramMin;
    public double[] histogramMax;
    public double[] edgeThreshold;
    public int[] orientationBins;

    /**
     * Spreads the tiles of one image over all convolution subtasks: consecutive tiles of an image
     * get consecutive keys (see {@code TileSpreader}).
     */
    public int routingKey;

    public TileTask() {}

    public TileSpec tileSpec() {
        return new TileSpec(tileIndex, col, row, outX, outY, outW, outH, inX, inY, inW, inH);
    }

    /** Key of the merge: one input record, so a re-sent image id never mixes with the first. */
    public String mergeKey() {
        return mergeKey(imageId, sourceTopic, sourcePartition, sourceOffset);
    }

    public static String mergeKey(String imageId, String topic, int partition, long offset) {
        return imageId + '\u0000' + topic + '\u0000' + partition + '\u0000' + offset;
    }

    /**
     * The float32 samples of the window, whichever form it travels in: {@link #window}, or {@link
     * #windowU8} widened ({@link Convolution#widenU8}) into a new array. For readers of a task
     * (tests, tools); the convolution hands 8-bit windows to its bank as bytes ({@code
     * FilterBank.applyReusingMapsU8}).
     */
    public float[] windowSamples() {
        if (windowU8 == null) {
            return window;
        }
        float[] f = new float[windowU8.length];
        Convolution.widenU8(windowU8, 0, f, 0, f.length);
        return f;
    }

    /** Samples in the window: inW * inH * windowChannels. */
    public int windowLength() {
        return inW * inH * windowChannels;
    }

    /**
     * The window as bytes if every sample is exactly an integer 0..255 (bit for bit: no -0, no
     * NaN), else null.
     */
    public static byte[] packU8(float[] window) {
        byte[] b = new byte[window.length];
        for (int i = 0; i < window.length; i++) {
            float v = window[i];
            int iv = (int) v;
            if (iv < 0 || iv > 255 || Float.floatToRawIntBits(iv) != Float.floatToRawIntBits(v)) {
                return null;
            }
            b[i] = (byte) iv;
        }
        return b;
    }

    @Override
    public String toString() {
        return "TileTask["
                + imageId
                + " group "
                + group
                + " tile "
                + tileIndex
                + "/"
                + tileCount
                + " "
                + inW
                + "x"
                + inH
                + "x"
                + windowChannels
                + "]";
    }
}
