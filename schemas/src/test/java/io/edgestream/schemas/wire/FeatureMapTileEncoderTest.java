package io.edgestream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FeatureMapTileEncoder} writes exactly the bytes of the former path (the samples encoded by
 * the former {@code MapSamples.encode}, kept verbatim below, into a {@code data} array, then the
 * record encoded by {@link AvroWire#featureMapTiles()}), for every data type, samples of every kind
 * (signed zeros, NaN payloads, infinities, subnormals, int16 and UINT8 ends), slices of a larger
 * array, and header fields whose varints and strings take every length class.
 */
class FeatureMapTileEncoderTest {
    private final FeatureMapTileEncoder encoder = new FeatureMapTileEncoder();
    private final AvroWire<FeatureMapTile> wire = AvroWire.featureMapTiles();

    @Test
    void everyDataTypeGivesTheFormerPathsBytes() {
        Random rnd = new Random(13);
        String[] strings = {"", "cam-7-000042", "ünïcødé-カメラ", "x".repeat(200)};
        int[] ints = {0, 1, -1, 63, 64, -65, 8191, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE};
        long[] longs = {0, -1, 1_700_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE};
        for (MapDataType type : MapDataType.values()) {
            for (int round = 0; round < 40; round++) {
                int count = round == 0 ? 0 : rnd.nextInt(round < 20 ? 50 : 70_000);
                int from = rnd.nextInt(5);
                float[] all = samples(rnd, type, from + count + rnd.nextInt(3));
                float scale = type == MapDataType.UINT8 ? 0.5f + rnd.nextFloat() * 8 : 1f;
                float offset = type == MapDataType.UINT8 ? rnd.nextFloat() * 200 - 100 : 0f;
                FeatureMapTile fields =
                        FeatureMapTile.newBuilder()
                                .setImageId(strings[rnd.nextInt(strings.length)])
                                .setSourceId(strings[rnd.nextInt(strings.length)])
                                .setFilter(strings[rnd.nextInt(strings.length)])
                                .setTileIndex(ints[rnd.nextInt(ints.length)])
                                .setTileCount(ints[rnd.nextInt(ints.length)])
                                .setX(ints[rnd.nextInt(ints.length)])
                                .setY(ints[rnd.nextInt(ints.length)])
                                .setWidth(ints[rnd.nextInt(ints.length)])
                                .setHeight(ints[rnd.nextInt(ints.length)])
                                .setMapWidth(ints[rnd.nextInt(ints.length)])
                                .setMapHeight(ints[rnd.nextInt(ints.length)])
                                .setChannels(ints[rnd.nextInt(ints.length)])
                                .setDataType(type)
                                .setScale(scale)
                                .setOffset(offset)
                                .setData(ByteBuffer.allocate(0))
                                .setCaptureTimeMs(longs[rnd.nextInt(longs.length)])
                                .setSequence(longs[rnd.nextInt(longs.length)])
                                .build();
                float[] slice = Arrays.copyOfRange(all, from, from + count);
                FeatureMapTile record =
                        FeatureMapTile.newBuilder(fields)
                                .setData(ByteBuffer.wrap(formerEncode(slice, type, scale, offset)))
                                .build();
                byte[] want = wire.encode(record);

                byte[] got = encoder.encode(fields, all, from, count);

                assertThat(got).as("%s, %d samples from %d", type, count, from).isEqualTo(want);
                FeatureMapTile back = wire.decode(got);
                assertThat(back).isEqualTo(record);
            }
        }
    }

    /**
     * With another format's header (the registry's {@code 00} and schema id), the value is that
     * header and the same body: the single-object value without its 10 header bytes.
     */
    @Test
    void anotherFormatsHeaderPrecedesTheSameBody() {
        byte[] registryHeader = {0, 0, 0, 1, 42};
        FeatureMapTileEncoder registry = new FeatureMapTileEncoder(registryHeader);
        for (MapDataType type : MapDataType.values()) {
            FeatureMapTile fields = Samples.featureMapTile(type);
            float[] v = {1, 2, 3, 4};
            byte[] single = encoder.encode(fields, v, 0, 4);
            byte[] framed = registry.encode(fields, v, 0, 4);
            assertThat(Arrays.copyOf(framed, 5)).isEqualTo(registryHeader);
            assertThat(Arrays.copyOfRange(framed, 5, framed.length))
                    .isEqualTo(Arrays.copyOfRange(single, AvroWire.HEADER_LENGTH, single.length));
        }
        assertThat(
                        new FeatureMapTileEncoder(wire.header())
                                .encode(
                                        Samples.featureMapTile(MapDataType.INT16_LE),
                                        new float[] {7},
                                        0,
                                        1))
                .isEqualTo(
                        encoder.encode(
                                Samples.featureMapTile(MapDataType.INT16_LE),
                                new float[] {7},
                                0,
                                1));
    }

    @Test
    void theDataFieldOfTheFieldsIsNotRead() {
        FeatureMapTile fields = Samples.featureMapTile(MapDataType.FLOAT32_LE);
        fields.setData(null);
        float[] v = {1, 2, 3};
        FeatureMapTile want =
                FeatureMapTile.newBuilder(fields)
                        .setData(ByteBuffer.wrap(formerEncode(v, MapDataType.FLOAT32_LE, 1, 0)))
                        .build();
        assertThat(encoder.encode(fields, v, 0, 3)).isEqualTo(wire.encode(want));
    }

    @Test
    void whatTheTypeCannotHoldIsRefusedAsBefore() {
        FeatureMapTile fields = Samples.featureMapTile(MapDataType.INT16_LE);
        assertThatThrownBy(() -> encoder.encode(fields, new float[] {1, 2.5f}, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample 1 = 2.5")
                .hasMessageContaining("FLOAT32_LE");
        FeatureMapTile uint8 = Samples.featureMapTile(MapDataType.UINT8);
        uint8.setScale(0f);
        assertThatThrownBy(() -> encoder.encode(uint8, new float[] {1}, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UINT8 needs a finite scale > 0");
        FeatureMapTile noId = Samples.featureMapTile(MapDataType.FLOAT32_LE);
        noId.setImageId(null);
        assertThatThrownBy(() -> encoder.encode(noId, new float[] {1}, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imageId is null");
    }

    @Test
    void aFasterInt16WriterWritesTheSamplesOfInt16MapsOnly() {
        int[] calls = {0};
        MapSamples.Int16Writer counting =
                (in, a, out, o, n) -> {
                    calls[0]++;
                    return MapSamples.INT16_PLAIN.write(in, a, out, o, n);
                };
        FeatureMapTileEncoder faster = new FeatureMapTileEncoder(wire.header(), counting);
        float[] v = {3, -32768, 32767, -0f, 12};
        for (MapDataType type : new MapDataType[] {MapDataType.INT16_LE, MapDataType.FLOAT32_LE}) {
            FeatureMapTile fields = Samples.featureMapTile(type);
            assertThat(faster.encode(fields, v, 1, 3)).isEqualTo(encoder.encode(fields, v, 1, 3));
        }
        assertThat(calls[0]).as("calls: the INT16 map only").isEqualTo(1);

        // What the writer reports is refused with the plain path's message and sample number.
        MapSamples.Int16Writer refusing = (in, a, out, o, n) -> 2;
        FeatureMapTile fields = Samples.featureMapTile(MapDataType.INT16_LE);
        assertThatThrownBy(
                        () ->
                                new FeatureMapTileEncoder(wire.header(), refusing)
                                        .encode(fields, new float[] {0, 1, 2, 7.5f}, 1, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample 2 = 7.5")
                .hasMessageContaining("FLOAT32_LE");
    }

    /** Samples a map of {@code type} can carry, with the edge cases of that type. */
    private static float[] samples(Random rnd, MapDataType type, int n) {
        float[] v = new float[n];
        float[] special =
                switch (type) {
                    case FLOAT32_LE, FLOAT16_LE ->
                            new float[] {
                                0f,
                                -0f,
                                Float.NaN,
                                Float.intBitsToFloat(0x7fc01234),
                                Float.intBitsToFloat(0xff800001),
                                Float.POSITIVE_INFINITY,
                                Float.NEGATIVE_INFINITY,
                                Float.MIN_VALUE,
                                65504f,
                                65520f,
                                -1e30f
                            };
                    case INT16_LE -> new float[] {0f, -0f, 32767f, -32768f, 1f, -1f};
                    case UINT8 -> new float[] {Float.NaN, -1e9f, 1e9f, 0f, -0f, 0.5f, 1.5f};
                };
        for (int i = 0; i < n; i++) {
            v[i] =
                    rnd.nextInt(10) == 0
                            ? special[rnd.nextInt(special.length)]
                            : switch (type) {
                                case FLOAT32_LE, FLOAT16_LE -> (rnd.nextFloat() - 0.5f) * 4000f;
                                case INT16_LE -> rnd.nextInt(65536) - 32768;
                                case UINT8 -> rnd.nextFloat() * 3000 - 1000;
                            };
        }
        return v;
    }

    /** {@code MapSamples.encode} as it was before {@code encodeInto}, verbatim in substance. */
    private static byte[] formerEncode(float[] values, MapDataType type, float scale, float off) {
        switch (type) {
            case FLOAT32_LE:
                {
                    ByteBuffer b =
                            ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(values);
                    return b.array();
                }
            case FLOAT16_LE:
                {
                    byte[] out = new byte[values.length * 2];
                    for (int i = 0, j = 0; i < values.length; i++, j += 2) {
                        short h = Float16.fromFloat(values[i]);
                        out[j] = (byte) h;
                        out[j + 1] = (byte) (h >>> 8);
                    }
                    return out;
                }
            case INT16_LE:
                {
                    byte[] out = new byte[values.length * 2];
                    for (int i = 0, j = 0; i < values.length; i++, j += 2) {
                        short s = (short) values[i];
                        if (s != values[i]) {
                            throw new IllegalArgumentException("not int16: " + values[i]);
                        }
                        out[j] = (byte) s;
                        out[j + 1] = (byte) (s >>> 8);
                    }
                    return out;
                }
            default:
                {
                    byte[] out = new byte[values.length];
                    for (int i = 0; i < values.length; i++) {
                        out[i] = (byte) MapSamples.quantize(values[i], scale, off);
                    }
                    return out;
                }
        }
    }
}
