package io.edgestream.imaging.conv;

import io.edgestream.imaging.image.ImageF32;

/**
 * The input of one {@link ConvEngine} call: an array and how the windows of the output pixels and
 * the taps inside a window walk it. All steps are in array elements except {@code rowStep}.
 *
 * <p>Tap {@code (r, j)} of output pixel {@code (ox, oy)} reads {@code data[offset + (oy * rowStep +
 * r) * rowStride + ox * pixelStep + j * tapStep]}.
 *
 * @param data the samples
 * @param offset where the window of output pixel (0, 0) starts
 * @param rowStride elements from one input row to the next
 * @param pixelStep elements from the window of one output pixel to the next one along a row (the
 *     convolution stride times the channel count)
 * @param rowStep input rows from the window of one output row to the next (the convolution stride)
 * @param tapStep elements from one tap of a kernel row to the next: 1 when a kernel spans the
 *     interleaved channels of a pixel (a colour volume), the channel count when it reads one
 *     channel of an interleaved image
 */
record ConvInput(float[] data, int offset, int rowStride, int pixelStep, int rowStep, int tapStep) {

    /** All channels of {@code window} as one volume, for a kernel whose depth is the channels. */
    static ConvInput volume(ImageF32 window, int stride) {
        return new ConvInput(
                window.data, window.offset, window.stride, stride * window.channels, stride, 1);
    }

    /** Channel {@code ch} of {@code window} alone, for a depth-1 kernel. */
    static ConvInput channel(ImageF32 window, int ch, int stride) {
        int c = window.channels;
        return new ConvInput(window.data, window.offset + ch, window.stride, stride * c, stride, c);
    }

    /** Where the window of output row {@code oy} starts. */
    int windowRow(int oy) {
        return offset + oy * rowStep * rowStride;
    }

    /** Stride 1 over contiguous taps: every kernel row reads consecutive elements. */
    boolean isDense() {
        return pixelStep == 1 && rowStep == 1 && tapStep == 1;
    }
}
