package io.edgestream.imaging.decode;

/**
 * What an image header says about the pixels, read without decoding them.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param channels channels the decoder will produce (after its documented conversions, e.g. a
 *     palette PNG reports 3, a CMYK JPEG reports 3); for BMP and TIFF taken from the reader's raw
 *     image type
 * @param bitDepth bits per sample the decoder will produce: 8, 16 or 32 (float)
 */
public record ImageHeader(int width, int height, int channels, int bitDepth) {}
