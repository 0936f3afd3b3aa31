package io.edgestream.schemas.wire;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Encodes a {@link FeatureMapTile} whose samples are still float32 values into the bytes a {@link
 * WireFormat} would write for it (its {@link WireFormat#header()}, by default the single-object
 * header of {@link AvroWire#featureMapTiles()}, then the Avro binary body), with the samples
 * encoded straight into the result: one array of exactly the record's size, and no intermediate
 * {@code data} array nor the copy of the record out of an encoding buffer that {@code
 * AvroWire.encode} makes. The map sink writes hundreds of KB per tile, so those two arrays were
 * most of a TaskManager's garbage.
 *
 * <p>The body is written field by field in the order of the current schema with Avro's binary rules
 * (zig-zag varints for int, long, lengths and enum indexes; UTF-8 strings; little-endian floats).
 * The constructor checks that the schema still has exactly the fields, in the order and of the
 * types, this class writes, so a schema change cannot silently produce other bytes; {@code
 * FeatureMapTileEncoderTest} compares the result with {@code AvroWire.encode} byte for byte for
 * every data type.
 *
 * <p>Stateless apart from constants: one instance may be shared by threads.
 */
public final class FeatureMapTileEncoder {
    /** The fields this class writes, in order, with their Avro types. */
    private static final List<String> FIELDS =
            List.of(
                    "imageId:STRING",
                    "sourceId:STRING",
                    "filter:STRING",
                    "tileIndex:INT",
                    "tileCount:INT",
                    "x:INT",
                    "y:INT",
                    "width:INT",
                    "height:INT",
                    "mapWidth:INT",
                    "mapHeight:INT",
                    "channels:INT",
                    "dataType:ENUM",
                    "data:BYTES",
                    "captureTimeMs:LONG",
                    "sequence:LONG",
                    "scale:FLOAT",
                    "offset:FLOAT");

    private final byte[] header;
    private final MapSamples.Int16Writer int16;

    /**
     * Values in Avro single-object encoding, as {@link AvroWire#featureMapTiles()} writes them.
     *
     * @throws IllegalStateException if the generated {@link FeatureMapTile} schema's fields differ
     *     from those this encoder writes (update the encoder with the schema)
     */
    public FeatureMapTileEncoder() {
        this(AvroWire.header(AvroWire.fingerprint(FeatureMapTile.getClassSchema())));
    }

    /**
     * Values that start with {@code header} ({@link WireFormat#header()} of the topic's format),
     * then the body.
     *
     * @throws IllegalStateException as {@link #FeatureMapTileEncoder()}
     */
    public FeatureMapTileEncoder(byte[] header) {
        this(header, MapSamples.INT16_PLAIN);
    }

    /**
     * As {@link #FeatureMapTileEncoder(byte[])}, with {@code int16} writing the samples of {@code
     * INT16_LE} maps (a vectorised writer; it must give {@link MapSamples#INT16_PLAIN}'s bytes).
     *
     * @throws IllegalStateException as {@link #FeatureMapTileEncoder()}
     */
    public FeatureMapTileEncoder(byte[] header, MapSamples.Int16Writer int16) {
        this.int16 = java.util.Objects.requireNonNull(int16, "int16");
        Schema schema = FeatureMapTile.getClassSchema();
        List<String> actual =
                schema.getFields().stream()
                        .map(f -> f.name() + ":" + f.schema().getType())
                        .toList();
        if (!actual.equals(FIELDS)) {
            throw new IllegalStateException(
                    "FeatureMapTile has the fields "
                            + actual
                            + " but FeatureMapTileEncoder writes "
                            + FIELDS
                            + "; update the encoder together with the schema");
        }
        List<String> symbols = schema.getField("dataType").schema().getEnumSymbols();
        for (MapDataType t : MapDataType.values()) {
            if (symbols.indexOf(t.name()) != t.ordinal()) {
                throw new IllegalStateException(
                        "MapDataType symbol " + t + " is not at index " + t.ordinal());
            }
        }
        this.header = header.clone();
    }

    /**
     * The value (header, then body) of {@code fields} with {@code data} replaced by {@code
     * samples[from, from + count)} encoded as {@code fields.getDataType()} with its scale and
     * offset ({@link MapSamples#encodeInto}): the same bytes as {@code
     * AvroWire.featureMapTiles().encode(t)} for the record {@code t} equal to {@code fields} with
     * that data. {@code fields.getData()} is not read and may be null.
     *
     * @throws IllegalArgumentException if a string field or the data type is null, or the samples
     *     cannot be encoded as that type (see {@link MapSamples#encode})
     */
    public byte[] encode(FeatureMapTile fields, float[] samples, int from, int count) {
        MapDataType type = fields.getDataType();
        if (type == null) {
            throw new IllegalArgumentException(
                    "Cannot encode FeatureMapTile: dataType is null; set the samples' data type");
        }
        byte[] imageId = utf8(fields.getImageId(), "imageId");
        byte[] sourceId = utf8(fields.getSourceId(), "sourceId");
        byte[] filter = utf8(fields.getFilter(), "filter");
        int[] ints = {
            fields.getTileIndex(),
            fields.getTileCount(),
            fields.getX(),
            fields.getY(),
            fields.getWidth(),
            fields.getHeight(),
            fields.getMapWidth(),
            fields.getMapHeight(),
            fields.getChannels()
        };
        long dataBytes = (long) count * MapSamples.bytesPerSample(type);
        long size =
                header.length
                        + stringSize(imageId)
                        + stringSize(sourceId)
                        + stringSize(filter)
                        + varintSize(type.ordinal())
                        + varintSize(dataBytes)
                        + dataBytes
                        + varintSize(fields.getCaptureTimeMs())
                        + varintSize(fields.getSequence())
                        + 4
                        + 4;
        for (int v : ints) {
            size += varintSize(v);
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "FeatureMapTile of " + count + " samples is too large for one array");
        }
        byte[] out = new byte[(int) size];
        System.arraycopy(header, 0, out, 0, header.length);
        int p = header.length;
        p = putString(out, p, imageId);
        p = putString(out, p, sourceId);
        p = putString(out, p, filter);
        for (int v : ints) {
            p = putVarint(out, p, v);
        }
        p = putVarint(out, p, type.ordinal());
        p = putVarint(out, p, dataBytes);
        if (type == MapDataType.INT16_LE) {
            int bad = int16.write(samples, from, out, p, count);
            if (bad >= 0) {
                throw MapSamples.notInt16(bad, samples[from + bad]);
            }
        } else {
            MapSamples.encodeInto(
                    samples, from, count, type, fields.getScale(), fields.getOffset(), out, p);
        }
        p += (int) dataBytes;
        p = putVarint(out, p, fields.getCaptureTimeMs());
        p = putVarint(out, p, fields.getSequence());
        p = putFloat(out, p, fields.getScale());
        p = putFloat(out, p, fields.getOffset());
        if (p != out.length) {
            throw new IllegalStateException(
                    "FeatureMapTileEncoder wrote " + p + " of " + out.length + " bytes (a bug)");
        }
        return out;
    }

    private static byte[] utf8(String s, String field) {
        if (s == null) {
            throw new IllegalArgumentException(
                    "Cannot encode FeatureMapTile: " + field + " is null; it is required");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long stringSize(byte[] utf8) {
        return varintSize(utf8.length) + utf8.length;
    }

    /** Bytes of Avro's zig-zag varint of {@code v} (the same for an int and a long). */
    static int varintSize(long v) {
        long z = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((z & ~0x7FL) != 0) {
            z >>>= 7;
            n++;
        }
        return n;
    }

    private static int putVarint(byte[] out, int p, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out[p++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        out[p++] = (byte) z;
        return p;
    }

    private static int putString(byte[] out, int p, byte[] utf8) {
        p = putVarint(out, p, utf8.length);
        System.arraycopy(utf8, 0, out, p, utf8.length);
        return p + utf8.length;
    }

    private static int putFloat(byte[] out, int p, float f) {
        int bits = Float.floatToRawIntBits(f);
        out[p] = (byte) bits;
        out[p + 1] = (byte) (bits >>> 8);
        out[p + 2] = (byte) (bits >>> 16);
        out[p + 3] = (byte) (bits >>> 24);
        return p + 4;
    }
}
