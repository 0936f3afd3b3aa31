package io.edgestream.imaging.decode;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an image payload (RAW samples or a PNG, JPEG, BMP or TIFF file) into a {@link
 * DecodedImage}, refusing oversized images from their header before any pixel memory is allocated:
 * first against the size limits, then against the memory the decode would take ({@link #estimate},
 * checked against {@link DecodeLimits#maxDecodeBytes()}).
 *
 * <p>What comes out, per encoding:
 *
 * <ul>
 *   <li>RAW: exactly as {@code pixelFormat} says (GRAY8/RGB8/RGBA8 as 8-bit, GRAY16/RGB16
 *       little-endian as 16-bit, FLOAT32 little-endian with 1..4 {@code channels}). The byte count
 *       must be exactly width*height*channels*bytesPerSample.
 *   <li>PNG: depth is kept (16-bit stays 16-bit; 1/2/4-bit grey is scaled to 0..255). Grey and
 *       grey+alpha give 1 channel (alpha dropped), RGB 3, RGBA 4 (8-bit) or 3 (16-bit, alpha
 *       dropped as there is no RGBA16 format), palette RGB8, or RGBA8 if a tRNS chunk is present.
 *       Every chunk's CRC is verified, because the JDK reader does not and a corrupted IDAT could
 *       otherwise decode into wrong pixels.
 *   <li>JPEG: decoded by TwelveMonkeys' reader. Greyscale gives GRAY8; YCbCr, RGB, CMYK and YCCK
 *       give RGB8. CMYK/YCCK are converted to sRGB through the embedded ICC profile when there is
 *       one; without one, TwelveMonkeys uses its generic CMYK ICC profile if that is on the
 *       classpath, and otherwise (as in this build) a plain device conversion, R = (255-C) *
 *       (255-K) / 255 and likewise for G and B, reading samples in Adobe's inverted-CMYK
 *       convention. Colours of profile-less CMYK files are therefore approximate. Only 8-bit
 *       precision is supported (12-bit is UNSUPPORTED_ENCODING). A file without an end-of-image
 *       marker is TRUNCATED_IMAGE instead of the grey-padded image libjpeg would return.
 *   <li>BMP and TIFF: via the JDK's ImageIO readers (first image only: the other pages of a TIFF
 *       are never read). Grey stays 1 channel, palettes and colour give 3 channels, or 4 with alpha
 *       when 8-bit; 16-bit samples stay 16-bit; float TIFFs give FLOAT32. BMPs that wrap an
 *       embedded JPEG or PNG are UNSUPPORTED_ENCODING: the JDK reader would allocate the size their
 *       header declares and decode them with whatever reader ImageIO's registry offers.
 * </ul>
 *
 * <p>For encoded images the caller's width, height and channels are optional: 0 means "take it from
 * the header", any other value must equal the header's (INVALID_DIMENSIONS otherwise). {@code
 * pixelFormat} is ignored for encoded images, as the ImageFrame schema specifies.
 *
 * <p>Thread-safe: every call uses its own reader instance.
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** The encodings understood, named like the Avro {@code ImageEncoding} symbols. */
    enum Encoding {
        RAW,
        PNG,
        JPEG,
        BMP,
        TIFF
    }

    /**
     * Decodes one payload.
     *
     * @param bytes the payload: raw samples or an image file
     * @param encoding RAW, PNG, JPEG, BMP or TIFF (case-insensitive)
     * @param width required for RAW; for encoded images 0 or the header's width
     * @param height required for RAW; for encoded images 0 or the header's height
     * @param channels required for RAW (must match pixelFormat; 1..4 for FLOAT32); for encoded
     *     images 0 or the number of channels the decoder produces
     * @param pixelFormat required for RAW, a {@link io.edgestream.imaging.image.PixelFormat} name;
     *     ignored otherwise
     * @param limits size limits checked before allocating pixels
     * @throws ImageDecodeException with a {@link DecodeFailure} and an actionable message
     */
    public static DecodedImage decode(
            byte[] bytes,
            String encoding,
            int width,
            int height,
            int channels,
            String pixelFormat,
            DecodeLimits limits)
            throws ImageDecodeException {
        Objects.requireNonNull(limits, "limits");
        Encoding enc = parseEncoding(encoding);
        if (enc == Encoding.RAW) {
            return RawDecoder.decode(bytes, width, height, channels, pixelFormat, limits);
        }
        if (width < 0 || height < 0 || channels < 0) {
            throw new ImageDecodeException(
                    DecodeFailure.INVALID_DIMENSIONS,
                    recordDeclares(width, height, channels)
                            + " for a "
                            + enc
                            + " image: width, height and channels must be positive, or 0 to take"
                            + " them from the image header");
        }
        requireNonEmpty(bytes, enc);
        return switch (enc) {
            case PNG -> decodePng(bytes, width, height, channels, limits);
            case JPEG -> decodeJpeg(bytes, width, height, channels, limits);
            default -> decodeBmpOrTiff(bytes, enc, width, height, channels, limits);
        };
    }

    /**
     * The encoding an image file announces in its first bytes, by the signatures this decoder
     * checks: {@code "PNG"} ({@code 89 50 4E 47 0D 0A 1A 0A}), {@code "JPEG"} ({@code FF D8 FF}),
     * {@code "TIFF"} ({@code "II*\0"} or {@code "MM\0*"}), {@code "BMP"} ({@code "BM"}); null for
     * anything else, RAW samples included. Names are those {@link #decode} takes as {@code
     * encoding}.
     */
    public static String sniff(byte[] bytes) {
        if (PngHeader.hasSignature(bytes)) {
            return Encoding.PNG.name();
        }
        if (JpegHeader.hasSignature(bytes)) {
            return Encoding.JPEG.name();
        }
        if (isTiff(bytes)) {
            return Encoding.TIFF.name();
        }
        if (isBmp(bytes)) {
            return Encoding.BMP.name();
        }
        return null;
    }

    /**
     * The memory {@link #decode} would take for this payload, from its header (or the RAW record
     * fields) alone: microseconds, and nothing allocated in proportion to the image. The heap
     * figure is the decode's peak live heap (the payload included), not everything it allocates;
     * see {@link DecodeCost}. {@code decode} computes the same estimate and refuses with
     * MEMORY_BUDGET_EXCEEDED when its {@link DecodeCost#totalBytes()} exceeds {@link
     * DecodeLimits#maxDecodeBytes()}; a caller can also use it to schedule or throttle decodes.
     *
     * @param bytes the payload: raw samples or an image file
     * @param encoding RAW, PNG, JPEG, BMP or TIFF (case-insensitive)
     * @param width required for RAW; ignored for encoded images (their header decides)
     * @param height required for RAW; ignored for encoded images
     * @param channels required for RAW; ignored for encoded images
     * @param pixelFormat required for RAW; ignored for encoded images
     * @throws ImageDecodeException if the header is missing, truncated or corrupt, or the RAW
     *     fields are inconsistent (the same failures {@code decode} reports for them)
     */
    public static DecodeCost estimate(
            byte[] bytes, String encoding, int width, int height, int channels, String pixelFormat)
            throws ImageDecodeException {
        Encoding enc = parseEncoding(encoding);
        if (enc == Encoding.RAW) {
            return RawDecoder.estimate(bytes, width, height, channels, pixelFormat);
        }
        requireNonEmpty(bytes, enc);
        return switch (enc) {
            case PNG -> CostModel.png(PngHeader.read(bytes), bytes.length);
            case JPEG -> CostModel.jpeg(JpegHeader.read(bytes, true), bytes);
            case BMP -> {
                checkSignature(bytes, enc);
                yield CostModel.bmp(BmpHeader.read(bytes), bytes.length);
            }
            default -> {
                checkSignature(bytes, enc);
                yield CostModel.tiff(TiffHeader.read(bytes), bytes.length);
            }
        };
    }

    /**
     * Reads width, height, channels and bit depth from the header only, without decoding pixels
     * (for PNG and JPEG without any allocation proportional to the image). Channels and bit depth
     * are those {@link #decode} would produce.
     *
     * @throws ImageDecodeException if the header is missing, truncated or corrupt, or the encoding
     *     is RAW (which has no header) or unknown
     */
    public static ImageHeader probe(byte[] bytes, String encoding) throws ImageDecodeException {
        Encoding enc = parseEncoding(encoding);
        if (enc == Encoding.RAW) {
            throw new ImageDecodeException(
                    DecodeFailure.UNSUPPORTED_ENCODING,
                    "RAW payloads have no header to probe: their width, height and pixel format"
                            + " come from the record fields");
        }
        requireNonEmpty(bytes, enc);
        switch (enc) {
            case PNG -> {
                PngHeader h = PngHeader.read(bytes);
                return new ImageHeader(
                        clampInt(h.width),
                        clampInt(h.height),
                        h.outputChannels(),
                        h.outputBitDepth());
            }
            case JPEG -> {
                JpegHeader h = JpegHeader.read(bytes, false);
                return new ImageHeader(h.width, h.height, h.outputChannels(), 8);
            }
            default -> {
                checkSignature(bytes, enc);
                ImageReader reader = newReader(enc);
                try (ImageInputStream in = ImageIoReaders.stream(bytes)) {
                    reader.setInput(in, true, true);
                    int w = reader.getWidth(0);
                    int h = reader.getHeight(0);
                    ImageTypeSpecifier type = firstType(reader);
                    return new ImageHeader(
                            w,
                            h,
                            RasterConverter.defaultChannels(
                                    type.getColorModel(), type.getSampleModel().getDataType()),
                            RasterConverter.outputBitDepth(
                                    type.getColorModel(), type.getSampleModel()));
                } catch (IOException | RuntimeException e) {
                    throw ImageIoReaders.failure(enc.name(), e);
                } finally {
                    reader.dispose();
                }
            }
        }
    }

    // ---------------------------------------------------------------- PNG

    private static DecodedImage decodePng(
            byte[] bytes, int width, int height, int channels, DecodeLimits limits)
            throws ImageDecodeException {
        PngHeader h = PngHeader.read(bytes);
        limits.check(h.width, h.height, "PNG header");
        int outChannels = h.outputChannels();
        checkClaimed("PNG", (int) h.width, (int) h.height, outChannels, width, height, channels);
        limits.checkMemory(CostModel.png(h, bytes.length));
        PngHeader.verifyChunks(bytes);
        BufferedImage img;
        ImageReader reader = newReader(Encoding.PNG);
        try (ImageInputStream in = ImageIoReaders.stream(bytes)) {
            // ignoreMetadata: the reader then skips ancillary chunks except what it needs for
            // palettes; we do not use text, gamma or ICC chunks.
            reader.setInput(in, true, true);
            img = reader.read(0, withoutColourKeyAlpha(reader, h));
        } catch (IOException | RuntimeException e) {
            throw ImageIoReaders.failure("PNG", e);
        } finally {
            reader.dispose();
        }
        DecodedImage out = RasterConverter.convert(img, outChannels, "PNG");
        return checkResult("PNG", out, (int) h.width, (int) h.height, h.outputBitDepth());
    }

    /**
     * For a grey or RGB PNG with a tRNS colour key, the JDK reader's default image adds an alpha
     * band that is 0 on the key colour, and the decoder then drops it: a raster a band wider than
     * the output and a copy into the output, both live at once. The reader also offers its types
     * without that band (the same it uses for the image without tRNS), which hold the same samples;
     * asking for one halves the live peak. Null (the default image) for every other PNG.
     */
    private static ImageReadParam withoutColourKeyAlpha(ImageReader reader, PngHeader h)
            throws IOException {
        boolean grey = h.colorType == PngHeader.COLOR_GRAY;
        if (!h.hasTrns || !(grey || h.colorType == PngHeader.COLOR_RGB)) {
            return null;
        }
        int bands = grey ? 1 : 3;
        for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
            ImageTypeSpecifier type = it.next();
            if (type.getNumBands() == bands) {
                ImageReadParam param = reader.getDefaultReadParam();
                param.setDestinationType(type);
                return param;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- JPEG

    private static DecodedImage decodeJpeg(
            byte[] bytes, int width, int height, int channels, DecodeLimits limits)
            throws ImageDecodeException {
        JpegHeader h = JpegHeader.read(bytes, true);
        if (h.precision != 8) {
            throw new ImageDecodeException(
                    DecodeFailure.UNSUPPORTED_ENCODING,
                    "JPEG has "
                            + h.precision
                            + "-bit samples; only 8-bit JPEGs are supported: send it as PNG or"
                            + " RAW GRAY16/RGB16 instead");
        }
        if (h.components < 1 || h.components > 4) {
            throw new ImageDecodeException(
                    DecodeFailure.UNSUPPORTED_ENCODING,
                    "JPEG has "
                            + h.components
                            + " colour components; only 1 (grey), 3 (YCbCr/RGB) and 4"
                            + " (CMYK/YCCK) are supported");
        }
        if (h.height == 0) {
            throw new ImageDecodeException(
                    DecodeFailure.UNSUPPORTED_ENCODING,
                    "JPEG frame header leaves the height to a later DNL marker, which is not"
                            + " supported: re-encode the image with its height in the header");
        }
        limits.check(h.width, h.height, "JPEG frame header");
        int outChannels = h.outputChannels();
        checkClaimed("JPEG", h.width, h.height, outChannels, width, height, channels);
        if (!h.hasEndOfImage(bytes)) {
            throw new ImageDecodeException(
                    DecodeFailure.TRUNCATED_IMAGE,
                    "JPEG of "
                            + h.width
                            + "x"
                            + h.height
                            + " has no end-of-image marker (FF D9) after its image data: the file"
                            + " was cut after "
                            + bytes.length
                            + " bytes; resend the complete file");
        }
        limits.checkMemory(CostModel.jpeg(h, bytes));
        BufferedImage img;
        ImageIoReaders.Warnings warnings = new ImageIoReaders.Warnings();
        ImageReader reader = newReader(Encoding.JPEG);
        try (ImageInputStream in = ImageIoReaders.stream(bytes)) {
            // Metadata is needed: TwelveMonkeys reads the Adobe and ICC segments to convert
            // CMYK/YCCK.
            reader.setInput(in, true, false);
            reader.addIIOReadWarningListener(warnings);
            img = reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw ImageIoReaders.failure("JPEG", e);
        } finally {
            reader.dispose();
        }
        String truncation = warnings.truncation();
        if (truncation != null) {
            throw new ImageDecodeException(
                    DecodeFailure.TRUNCATED_IMAGE,
                    "JPEG image data ends early (reader warning: '"
                            + truncation
                            + "'); the rest of the image would be filled with grey: resend the"
                            + " complete file");
        }
        DecodedImage out = RasterConverter.convert(img, outChannels, "JPEG");
        return checkResult("JPEG", out, h.width, h.height, 8);
    }

    // ---------------------------------------------------------------- BMP, TIFF

    /**
     * BMP or TIFF: the signature, then our own header parse checked against the limits, the
     * record's claims and the memory budget, and only then the JDK's reader.
     */
    private static DecodedImage decodeBmpOrTiff(
            byte[] bytes, Encoding enc, int width, int height, int channels, DecodeLimits limits)
            throws ImageDecodeException {
        checkSignature(bytes, enc);
        BmpHeader bmp = enc == Encoding.BMP ? BmpHeader.read(bytes) : null;
        TiffHeader tiff = bmp == null ? TiffHeader.read(bytes) : null;
        int w = bmp != null ? bmp.width : tiff.width;
        int h = bmp != null ? bmp.height : tiff.height;
        limits.check(w, h, enc + " header");
        checkClaimed(enc.name(), w, h, 0, width, height, 0);
        limits.checkMemory(
                bmp != null
                        ? CostModel.bmp(bmp, bytes.length)
                        : CostModel.tiff(tiff, bytes.length));
        return readWithImageIo(bytes, enc, w, h, channels, tiff);
    }

    /** Reads image 0 once our own header parse has passed the limits. */
    private static DecodedImage readWithImageIo(
            byte[] bytes,
            Encoding enc,
            int headerWidth,
            int headerHeight,
            int channels,
            TiffHeader tiff)
            throws ImageDecodeException {
        String what = enc.name();
        BufferedImage img;
        ImageReader reader = newReader(enc);
        try (ImageInputStream in = ImageIoReaders.stream(bytes)) {
            reader.setInput(in, true, true);
            img = reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw ImageIoReaders.failure(what, e);
        } finally {
            reader.dispose();
        }
        if (img.getWidth() != headerWidth || img.getHeight() != headerHeight) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    what
                            + " header says "
                            + headerWidth
                            + "x"
                            + headerHeight
                            + " but the data decoded as "
                            + img.getWidth()
                            + "x"
                            + img.getHeight()
                            + "; the file is inconsistent or corrupt");
        }
        int[] bands = tiff == null ? null : photometricBands(tiff, img);
        int outChannels =
                bands != null
                        ? bands.length
                        : RasterConverter.defaultChannels(
                                img.getColorModel(), img.getSampleModel().getDataType());
        checkClaimed(what, img.getWidth(), img.getHeight(), outChannels, 0, 0, channels);
        return bands != null
                ? RasterConverter.convertBands(img, bands)
                : RasterConverter.convert(img, outChannels, what);
    }

    /**
     * For a TIFF that says grey or RGB but whose extra samples (e.g. RGB plus two unspecified
     * samples) left the JDK reader with neither a grey nor an RGB colour space: the samples to
     * take, by the photometric interpretation. Null when the colour model can be used as it is.
     */
    private static int[] photometricBands(TiffHeader h, BufferedImage img) {
        var cm = img.getColorModel();
        int cs = cm.getColorSpace().getType();
        if (cm instanceof java.awt.image.IndexColorModel
                || cs == java.awt.color.ColorSpace.TYPE_GRAY
                || cs == java.awt.color.ColorSpace.TYPE_RGB) {
            return null;
        }
        int n = img.getRaster().getNumBands();
        if (h.photometric == TiffHeader.PHOTOMETRIC_RGB && n >= 3) {
            return new int[] {0, 1, 2};
        }
        if (h.photometric == TiffHeader.PHOTOMETRIC_BLACK_IS_ZERO && n >= 1) {
            return new int[] {0};
        }
        return null;
    }

    // ---------------------------------------------------------------- helpers

    private static Encoding parseEncoding(String encoding) throws ImageDecodeException {
        if (encoding != null) {
            String e = encoding.trim().toUpperCase(Locale.ROOT);
            for (Encoding candidate : Encoding.values()) {
                if (candidate.name().equals(e)) {
                    return candidate;
                }
            }
        }
        throw new ImageDecodeException(
                DecodeFailure.UNSUPPORTED_ENCODING,
                "encoding '"
                        + encoding
                        + "' is not supported: use one of RAW, PNG, JPEG, BMP, TIFF");
    }

    private static void requireNonEmpty(byte[] bytes, Encoding enc) throws ImageDecodeException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    enc + " payload is empty (0 bytes): the producer sent no image data");
        }
    }

    /**
     * BMP starts with "BM", TIFF with "II*\0" or "MM\0*". Checked up front so that data in another
     * format is reported as such instead of as whatever the reader trips over first.
     */
    private static void checkSignature(byte[] b, Encoding enc) throws ImageDecodeException {
        boolean ok;
        String expected;
        if (enc == Encoding.BMP) {
            ok = isBmp(b);
            expected = "42 4D (\"BM\")";
        } else {
            ok = isTiff(b);
            expected = "49 49 2A 00 or 4D 4D 00 2A";
        }
        if (!ok) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    "payload is not a "
                            + enc
                            + ": it starts with "
                            + Bytes.hexPrefix(b, 4)
                            + " instead of "
                            + expected
                            + "; check the encoding field");
        }
    }

    private static boolean isBmp(byte[] b) {
        return b != null && b.length >= 2 && b[0] == 'B' && b[1] == 'M';
    }

    private static boolean isTiff(byte[] b) {
        return b != null
                && b.length >= 4
                && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
                        || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42));
    }

    private static ImageReader newReader(Encoding enc) throws ImageDecodeException {
        try {
            return switch (enc) {
                case PNG -> ImageIoReaders.png();
                case JPEG -> ImageIoReaders.jpeg();
                case BMP -> ImageIoReaders.bmp();
                case TIFF -> ImageIoReaders.tiff();
                case RAW -> throw new IllegalArgumentException("RAW has no ImageIO reader");
            };
        } catch (IOException e) {
            throw new ImageDecodeException(
                    DecodeFailure.UNSUPPORTED_ENCODING,
                    "could not create the " + enc + " reader: " + e.getMessage(),
                    e);
        }
    }

    private static ImageTypeSpecifier firstType(ImageReader reader) throws IOException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw != null) {
            return raw;
        }
        var types = reader.getImageTypes(0);
        if (!types.hasNext()) {
            throw new IOException("the reader offers no image type for this file");
        }
        return types.next();
    }

    /** Claimed values of 0 mean unknown; others must equal the header's. */
    private static void checkClaimed(
            String what,
            int headerWidth,
            int headerHeight,
            int headerChannels,
            int width,
            int height,
            int channels)
            throws ImageDecodeException {
        boolean bad =
                (width != 0 && width != headerWidth)
                        || (height != 0 && height != headerHeight)
                        || (channels != 0 && headerChannels != 0 && channels != headerChannels);
        if (bad) {
            throw new ImageDecodeException(
                    DecodeFailure.INVALID_DIMENSIONS,
                    recordDeclares(width, height, channels)
                            + " (width x height x channels) but the "
                            + what
                            + " header says "
                            + headerWidth
                            + "x"
                            + headerHeight
                            + (headerChannels != 0 ? "x" + headerChannels : "")
                            + ": fix the record fields, or send 0 to take them from the header");
        }
    }

    /** How messages quote the record's own width, height and channels. */
    private static String recordDeclares(int width, int height, int channels) {
        return "record declares " + width + "x" + height + "x" + channels;
    }

    private static DecodedImage checkResult(
            String what, DecodedImage out, int width, int height, int bitDepth)
            throws ImageDecodeException {
        if (out.width() != width || out.height() != height || out.bitDepth() != bitDepth) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    what
                            + " header says "
                            + width
                            + "x"
                            + height
                            + " at "
                            + bitDepth
                            + " bits but the data decoded as "
                            + out.width()
                            + "x"
                            + out.height()
                            + " at "
                            + out.bitDepth()
                            + " bits; the file is inconsistent or corrupt");
        }
        return out;
    }

    private static int clampInt(long v) {
        return (int) Math.min(v, Integer.MAX_VALUE);
    }
}
