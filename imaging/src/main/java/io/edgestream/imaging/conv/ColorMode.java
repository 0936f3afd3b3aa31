package io.edgestream.imaging.conv;

/** What a filter means on an image with more than one channel. */
public enum ColorMode {
    /**
     * The filter is a volume {@code f x f x C}: each output pixel sums over all channels, one map
     * per filter. A 2-D filter is repeated over the channels. The default.
     */
    VOLUME,
    /** The 2-D filter is applied to each channel on its own: a map with C channels per filter. */
    PER_CHANNEL,
    /** The image is first converted to grey with stated weights (BT.601 by default). */
    GREY
}
