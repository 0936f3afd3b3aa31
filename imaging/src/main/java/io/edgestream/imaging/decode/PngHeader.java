package io.edgestream.imaging.decode;

import java.util.zip.CRC32;

/**
 * The parts of a PNG file the decoder needs before it lets ImageIO allocate pixels: the IHDR
 * fields, whether a tRNS chunk gives the palette alpha, and (for a full check) that every chunk is
 * complete and its CRC matches. The JDK's PNG reader does not verify chunk CRCs, so without this
 * check a flipped bit in IDAT can decode into silently wrong pixels.
 */
final class PngHeader {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int IHDR = chunkType("IHDR");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");
    private static final int TRNS = chunkType("tRNS");

    static final int COLOR_GRAY = 0;
    static final int COLOR_RGB = 2;
    static final int COLOR_PALETTE = 3;
    static final int COLOR_GRAY_ALPHA = 4;
    static final int COLOR_RGBA = 6;

    final long width;
    final long height;
    final int bitDepth;
    final int colorType;
    final boolean hasTrns;
    final boolean interlaced;

    private PngHeader(
            long width,
            long height,
            int bitDepth,
            int colorType,
            boolean hasTrns,
            boolean interlaced) {
        this.width = width;
        this.height = height;
        this.bitDepth = bitDepth;
        this.colorType = colorType;
        this.hasTrns = hasTrns;
        this.interlaced = interlaced;
    }

    static boolean hasSignature(byte[] b) {
        if (b == null || b.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (b[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads IHDR (and scans chunk headers up to the first IDAT for tRNS). Costs microseconds
     * whatever the declared size.
     */
    static PngHeader read(byte[] b) throws ImageDecodeException {
        if (!hasSignature(b)) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    "payload is not a PNG: it does not start with the PNG signature (first bytes "
                            + Bytes.hexPrefix(b, 8)
                            + "); check the encoding field");
        }
        if (b.length < 33) {
            throw new ImageDecodeException(
                    DecodeFailure.TRUNCATED_IMAGE,
                    "PNG ends after "
                            + b.length
                            + " bytes, before its 33-byte header (signature + IHDR) is complete;"
                            + " resend the complete file");
        }
        int len = Bytes.int32be(b, 8);
        if (len != 13 || Bytes.int32be(b, 12) != IHDR) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    "PNG does not start with a 13-byte IHDR chunk (found '"
                            + Bytes.ascii(b, 12, 4)
                            + "' of length "
                            + Integer.toUnsignedString(len)
                            + "); the file is corrupt");
        }
        checkCrc(b, 8, 13);
        long width = Integer.toUnsignedLong(Bytes.int32be(b, 16));
        long height = Integer.toUnsignedLong(Bytes.int32be(b, 20));
        int bitDepth = b[24] & 0xFF;
        int colorType = b[25] & 0xFF;
        int compression = b[26] & 0xFF;
        int filter = b[27] & 0xFF;
        int interlace = b[28] & 0xFF;
        if (!validDepth(colorType, bitDepth) || compression != 0 || filter != 0 || interlace > 1) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    "PNG IHDR has an invalid combination: colour type "
                            + colorType
                            + ", bit depth "
                            + bitDepth
                            + ", compression "
                            + compression
                            + ", filter "
                            + filter
                            + ", interlace "
                            + interlace
                            + "; the file is corrupt or not a standard PNG");
        }
        boolean trns = false;
        long pos = 33;
        while (pos + 8 <= b.length) {
            long chunkLen = Integer.toUnsignedLong(Bytes.int32be(b, (int) pos));
            int type = Bytes.int32be(b, (int) pos + 4);
            if (type == IDAT || type == IEND) {
                break;
            }
            if (type == TRNS) {
                trns = true;
                break;
            }
            pos += 12 + chunkLen;
        }
        return new PngHeader(width, height, bitDepth, colorType, trns, interlace == 1);
    }

    /**
     * Walks every chunk up to IEND checking that it is complete and that its CRC matches. Linear in
     * the file size (CRC32 is an intrinsic, several GB/s).
     */
    static void verifyChunks(byte[] b) throws ImageDecodeException {
        int pos = 8;
        boolean sawIdat = false;
        while (true) {
            if (pos + 8 > b.length) {
                throw new ImageDecodeException(
                        DecodeFailure.TRUNCATED_IMAGE,
                        "PNG ends after "
                                + b.length
                                + " bytes, inside a chunk header at offset "
                                + pos
                                + " and before the IEND chunk; resend the complete file");
            }
            long chunkLen = Integer.toUnsignedLong(Bytes.int32be(b, pos));
            int type = Bytes.int32be(b, pos + 4);
            if (chunkLen > Integer.MAX_VALUE) {
                throw new ImageDecodeException(
                        DecodeFailure.UNDECODABLE_IMAGE,
                        chunk(b, pos)
                                + " declares an impossible length "
                                + chunkLen
                                + "; the file is corrupt");
            }
            long end = pos + 12 + chunkLen;
            if (end > b.length) {
                throw new ImageDecodeException(
                        DecodeFailure.TRUNCATED_IMAGE,
                        chunk(b, pos)
                                + " needs "
                                + (end - pos)
                                + " bytes but the file ends after "
                                + b.length
                                + " bytes; resend the complete file");
            }
            checkCrc(b, pos, (int) chunkLen);
            if (type == IDAT) {
                sawIdat = true;
            }
            if (type == IEND) {
                if (!sawIdat) {
                    throw new ImageDecodeException(
                            DecodeFailure.UNDECODABLE_IMAGE,
                            "PNG has no IDAT (pixel data) chunk before IEND; the file is corrupt");
                }
                return;
            }
            pos = (int) end;
        }
    }

    private static void checkCrc(byte[] b, int chunkStart, int dataLen)
            throws ImageDecodeException {
        CRC32 crc = new CRC32();
        crc.update(b, chunkStart + 4, dataLen + 4); // type + data
        int stored = Bytes.int32be(b, chunkStart + 8 + dataLen);
        if ((int) crc.getValue() != stored) {
            throw new ImageDecodeException(
                    DecodeFailure.UNDECODABLE_IMAGE,
                    chunk(b, chunkStart)
                            + " has CRC "
                            + String.format("%08x", stored)
                            + " but its contents give "
                            + String.format("%08x", (int) crc.getValue())
                            + ": the file was corrupted in transit or storage");
        }
    }

    /** How messages name the chunk starting at {@code pos}: its type and offset. */
    private static String chunk(byte[] b, int pos) {
        return "PNG chunk '" + Bytes.ascii(b, pos + 4, 4) + "' at offset " + pos;
    }

    private static boolean validDepth(int colorType, int bitDepth) {
        return switch (colorType) {
            case COLOR_GRAY ->
                    bitDepth == 1
                            || bitDepth == 2
                            || bitDepth == 4
                            || bitDepth == 8
                            || bitDepth == 16;
            case COLOR_PALETTE -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case COLOR_RGB, COLOR_GRAY_ALPHA, COLOR_RGBA -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
    }

    /**
     * Channels the decoder produces. Grey+alpha drops the alpha (GRAY8/GRAY16): the pipeline
     * filters intensity, and there is no grey-alpha pixel format. 16-bit RGBA drops alpha (RGB16)
     * for the same reason. Palette images expand to RGB8, or RGBA8 when a tRNS chunk gives them
     * transparency.
     */
    int outputChannels() {
        return switch (colorType) {
            case COLOR_GRAY, COLOR_GRAY_ALPHA -> 1;
            case COLOR_RGB -> 3;
            case COLOR_PALETTE -> hasTrns ? 4 : 3;
            default -> bitDepth == 16 ? 3 : 4;
        };
    }

    /** Bits per output sample: 16 for 16-bit PNGs, else 8 (sub-byte greys are scaled to 0..255). */
    int outputBitDepth() {
        return bitDepth == 16 ? 16 : 8;
    }

    private static int chunkType(String s) {
        return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
    }
}
