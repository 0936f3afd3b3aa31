package io.edgestream.imaging.conv;

import io.edgestream.imaging.image.ImageF32;

/**
 * Where one {@link ConvEngine} call writes: output pixel {@code (ox, oy)} goes to {@code
 * data[offset + oy * rowStride + ox * pixelStep]}, for {@code ox < width, oy < height}.
 *
 * @param pixelStep elements from one output pixel to the next along a row: 1 for a one-channel map,
 *     the channel count when writing one channel of an interleaved image
 */
record ConvOutput(float[] data, int offset, int rowStride, int pixelStep, int width, int height) {

    /** Channel {@code ch} of {@code image} (channel 0 of a one-channel map is the whole map). */
    static ConvOutput channel(ImageF32 image, int ch) {
        return new ConvOutput(
                image.data,
                image.offset + ch,
                image.stride,
                image.channels,
                image.width,
                image.height);
    }

    /** Where output row {@code oy} starts. */
    int row(int oy) {
        return offset + oy * rowStride;
    }
}
