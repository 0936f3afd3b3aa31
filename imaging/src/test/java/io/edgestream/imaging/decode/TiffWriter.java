package io.edgestream.imaging.decode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;

/**
 * Writes little-endian baseline TIFFs byte by byte, for layouts the JDK's writer does not produce
 * on request: any number of samples, float samples, one deflated strip for the whole image, tiles,
 * and chains of many pages (whose later pages may claim anything). flink-job's stack tests use it
 * (through this module's test-jar) for TIFF bombs: pages sharing one {@link Page#deflated} strip
 * that is written once.
 */
public final class TiffWriter {
    private TiffWriter() {}

    /** One page (IFD); {@code pixels} are chunky rows, multi-byte samples little-endian. */
    public static final class Page {
        public int width;
        public int height;
        public int samples = 1;
        public int bits = 8;

        /** 1 unsigned integer, 3 IEEE float. */
        public int sampleFormat = 1;

        /** 1 BlackIsZero (grey), 2 RGB. */
        public int photometric = 1;

        public boolean deflate;
        public int rowsPerStrip;
        public int tileWidth;
        public int tileHeight;

        /** ExtraSamples values (0 unspecified, 2 unassociated alpha), one per extra sample. */
        public int[] extraSamples = new int[0];

        public byte[] pixels;

        /**
         * The page's one strip, already deflated (then {@link #pixels} is not used). Pages that
         * hold the same array point at one copy of it in the file.
         */
        byte[] deflatedStrip;

        /** Overrides the declared size (pixels still laid out for width x height). */
        int claimedWidth;

        int claimedHeight;

        public Page(int width, int height, int samples, int bits, byte[] pixels) {
            this.width = width;
            this.height = height;
            this.samples = samples;
            this.bits = bits;
            this.pixels = pixels;
            this.rowsPerStrip = height;
        }

        /**
         * A page of one strip of {@code deflatedStrip}, a zlib stream of the page's samples, e.g. a
         * few KB of deflated zeros standing for a huge image.
         */
        public static Page deflated(
                int width, int height, int samples, int bits, byte[] deflatedStrip) {
            Page p = new Page(width, height, samples, bits, null);
            p.deflate = true;
            p.deflatedStrip = deflatedStrip;
            return p;
        }

        int rowBytes() {
            return (width * samples * bits + 7) / 8;
        }
    }

    public static byte[] write(List<Page> pages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'I', 'I', 42, 0, 0, 0, 0, 0});
        List<Integer> ifdPointers = new ArrayList<>();
        ifdPointers.add(4);
        // Each IFD's offset goes into the pointer before it, patched in once at the end.
        List<int[]> patches = new ArrayList<>();
        // Where each block already written starts: a shared deflated strip is written once.
        Map<byte[], Long> written = new IdentityHashMap<>();
        for (Page p : pages) {
            List<byte[]> blocks = p.deflatedStrip != null ? List.of(p.deflatedStrip) : blocks(p);
            long[] offsets = new long[blocks.size()];
            long[] counts = new long[blocks.size()];
            for (int i = 0; i < blocks.size(); i++) {
                byte[] block = blocks.get(i);
                counts[i] = block.length;
                Long at = written.get(block);
                if (at != null) {
                    offsets[i] = at;
                    continue;
                }
                pad(out);
                offsets[i] = out.size();
                if (block == p.deflatedStrip) {
                    written.put(block, offsets[i]);
                }
                out.writeBytes(block);
            }
            pad(out);
            int ifdAt = out.size();
            patches.add(new int[] {ifdPointers.get(ifdPointers.size() - 1), ifdAt});
            TreeMap<Integer, long[]> tags = new TreeMap<>();
            TreeMap<Integer, Integer> types = new TreeMap<>();
            put(tags, types, 256, 4, p.claimedWidth > 0 ? p.claimedWidth : p.width);
            put(tags, types, 257, 4, p.claimedHeight > 0 ? p.claimedHeight : p.height);
            long[] bps = new long[p.samples];
            java.util.Arrays.fill(bps, p.bits);
            tags.put(258, bps);
            types.put(258, 3);
            put(tags, types, 259, 3, p.deflate ? 8 : 1);
            put(tags, types, 262, 3, p.photometric);
            put(tags, types, 277, 3, p.samples);
            put(tags, types, 284, 3, 1);
            if (p.tileWidth > 0) {
                put(tags, types, 322, 4, p.tileWidth);
                put(tags, types, 323, 4, p.tileHeight);
                tags.put(324, offsets);
                types.put(324, 4);
                tags.put(325, counts);
                types.put(325, 4);
            } else {
                tags.put(273, offsets);
                types.put(273, 4);
                put(tags, types, 278, 4, p.rowsPerStrip);
                tags.put(279, counts);
                types.put(279, 4);
            }
            if (p.extraSamples.length > 0) {
                long[] es = new long[p.extraSamples.length];
                for (int i = 0; i < es.length; i++) {
                    es[i] = p.extraSamples[i];
                }
                tags.put(338, es);
                types.put(338, 3);
            }
            long[] sf = new long[p.samples];
            java.util.Arrays.fill(sf, p.sampleFormat);
            tags.put(339, sf);
            types.put(339, 3);
            int next = writeIfd(out, tags, types);
            ifdPointers.add(next);
        }
        byte[] b = out.toByteArray();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] p : patches) {
            bb.putInt(p[0], p[1]);
        }
        return b;
    }

    private static void put(
            TreeMap<Integer, long[]> tags,
            TreeMap<Integer, Integer> types,
            int tag,
            int type,
            long v) {
        tags.put(tag, new long[] {v});
        types.put(tag, type);
    }

    /** Writes the IFD at the current end; returns the position of its next-IFD pointer. */
    private static int writeIfd(
            ByteArrayOutputStream out,
            TreeMap<Integer, long[]> tags,
            TreeMap<Integer, Integer> types) {
        int start = out.size();
        int n = tags.size();
        int extraAt = start + 2 + 12 * n + 4;
        ByteBuffer ifd = ByteBuffer.allocate(2 + 12 * n + 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        ifd.putShort((short) n);
        for (var e : tags.entrySet()) {
            int type = types.get(e.getKey());
            long[] v = e.getValue();
            int size = type == 3 ? 2 : 4;
            ifd.putShort((short) (int) e.getKey()).putShort((short) type).putInt(v.length);
            ByteBuffer data = ByteBuffer.allocate(Math.max(4, v.length * size));
            data.order(ByteOrder.LITTLE_ENDIAN);
            for (long x : v) {
                if (size == 2) {
                    data.putShort((short) x);
                } else {
                    data.putInt((int) x);
                }
            }
            if (v.length * size <= 4) {
                ifd.put(data.array(), 0, 4);
            } else {
                ifd.putInt(extraAt + extra.size());
                extra.writeBytes(data.array());
                if (extra.size() % 2 != 0) {
                    extra.write(0);
                }
            }
        }
        int nextPointer = start + 2 + 12 * n;
        ifd.putInt(0);
        out.writeBytes(ifd.array());
        out.writeBytes(extra.toByteArray());
        return nextPointer;
    }

    private static List<byte[]> blocks(Page p) {
        List<byte[]> list = new ArrayList<>();
        int bpp = p.samples * p.bits / 8;
        if (p.tileWidth > 0) {
            for (int ty = 0; ty < p.height; ty += p.tileHeight) {
                for (int tx = 0; tx < p.width; tx += p.tileWidth) {
                    byte[] tile = new byte[p.tileWidth * p.tileHeight * bpp];
                    for (int y = 0; y < p.tileHeight && ty + y < p.height; y++) {
                        int w = Math.min(p.tileWidth, p.width - tx);
                        System.arraycopy(
                                p.pixels,
                                (ty + y) * p.rowBytes() + tx * bpp,
                                tile,
                                y * p.tileWidth * bpp,
                                w * bpp);
                    }
                    list.add(p.deflate ? deflate(tile) : tile);
                }
            }
            return list;
        }
        for (int y = 0; y < p.height; y += p.rowsPerStrip) {
            int rows = Math.min(p.rowsPerStrip, p.height - y);
            byte[] strip = new byte[rows * p.rowBytes()];
            System.arraycopy(p.pixels, y * p.rowBytes(), strip, 0, strip.length);
            list.add(p.deflate ? deflate(strip) : strip);
        }
        return list;
    }

    static byte[] deflate(byte[] data) {
        return deflate(data, Deflater.BEST_SPEED);
    }

    /** {@code data} as a zlib stream at compression {@code level}. */
    public static byte[] deflate(byte[] data, int level) {
        Deflater d = new Deflater(level);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static void pad(ByteArrayOutputStream out) {
        if (out.size() % 2 != 0) {
            out.write(0);
        }
    }
}
