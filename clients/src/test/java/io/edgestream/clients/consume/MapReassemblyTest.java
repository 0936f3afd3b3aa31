package io.edgestream.clients.consume;

import static io.edgestream.clients.consume.MapRecords.map;
import static io.edgestream.clients.consume.MapRecords.stats;
import static io.edgestream.clients.consume.MapRecords.tiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.MapDataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MapReassemblyTest {

    /** Feeds tiles and stats in the given order; returns the outcome of each record. */
    private static List<MapReassembly.Outcome> feed(MapReassembly r, List<Object> records) {
        List<MapReassembly.Outcome> out = new ArrayList<>();
        for (Object o : records) {
            out.add(o instanceof FeatureMapTile t ? r.addTile(t) : r.addStats((EdgeStats) o));
        }
        return out;
    }

    private static void assertSameMap(ImageF32 got, ImageF32 expected) {
        assertThat(got.width).isEqualTo(expected.width);
        assertThat(got.height).isEqualTo(expected.height);
        assertThat(got.channels).isEqualTo(expected.channels);
        assertThat(got.toArray()).containsExactly(expected.toArray());
    }

    @Test
    void shuffledTilesWithTheStatsAnywhereGiveTheMapOnceWithTheLastRecord() {
        ImageF32 expected = map(11, 7, 1);
        List<FeatureMapTile> tiles =
                tiles("cam/1", "sobel", expected, 4, 3, MapDataType.FLOAT32_LE);
        assertThat(tiles).hasSize(9);
        EdgeStats stats = stats("cam/1", "sobel", expected, 9);
        Collections.shuffle(tiles, new Random(3));
        // The stats first, between any two tiles, and last.
        for (int at = 0; at <= tiles.size(); at++) {
            List<Object> records = new ArrayList<>(tiles);
            records.add(at, stats);
            MapReassembly r = new MapReassembly();
            List<MapReassembly.Outcome> outcomes = feed(r, records);

            for (int i = 0; i < outcomes.size() - 1; i++) {
                assertThat(outcomes.get(i).completed()).as("record %d of %d", i, at).isNull();
                assertThat(outcomes.get(i).problem()).isNull();
                assertThat(outcomes.get(i).duplicate()).isFalse();
            }
            MapReassembly.CompletedMap done = outcomes.get(outcomes.size() - 1).completed();
            assertThat(done).as("stats at %d", at).isNotNull();
            assertThat(done.imageId()).isEqualTo("cam/1");
            assertThat(done.filter()).isEqualTo("sobel");
            assertThat(done.stats()).isSameAs(stats);
            assertSameMap(done.map(), expected);
            assertThat(r.incomplete()).isEmpty();
            assertThat(r.hasPending("cam/1")).isFalse();
            assertThat(r.duplicates()).isZero();
        }
    }

    @Test
    void float16AndFloat32TilesMixInOneMapAndWidenExactly() {
        ImageF32 expected = map(10, 9, 3);
        List<FeatureMapTile> half = tiles("img", "lap", expected, 4, 4, MapDataType.FLOAT16_LE);
        List<FeatureMapTile> full = tiles("img", "lap", expected, 4, 4, MapDataType.FLOAT32_LE);
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < half.size(); i++) {
            records.add(i % 2 == 0 ? half.get(i) : full.get(i));
        }
        Collections.reverse(records);
        records.add(stats("img", "lap", expected, half.size()));

        List<MapReassembly.Outcome> outcomes = feed(new MapReassembly(), records);

        MapReassembly.CompletedMap done = outcomes.get(outcomes.size() - 1).completed();
        assertSameMap(done.map(), expected);
        assertThat(done.map().get(9, 8, 2)).isEqualTo(expected.get(9, 8, 2));
        assertThat(done.map().get(0, 0, 0)).isEqualTo(-100f);
    }

    @Test
    void int16TilesReassembleToTheExactFloat32Values() {
        ImageF32 expected = MapRecords.intMap(300, 250, 1);
        List<Object> records =
                new ArrayList<>(tiles("img", "sobel_x", expected, 64, 64, MapDataType.INT16_LE));
        Collections.shuffle(records, new Random(3));
        records.add(stats("img", "sobel_x", expected, records.size()));

        List<MapReassembly.Outcome> outcomes = feed(new MapReassembly(), records);

        MapReassembly.CompletedMap done = outcomes.get(outcomes.size() - 1).completed();
        assertSameMap(done.map(), expected);
        assertThat(done.map().get(0, 0, 0)).isEqualTo(-32768f);
    }

    @Test
    void uint8TilesAreDequantizedWithinHalfAStep() {
        ImageF32 expected = map(13, 11, 2);
        List<Object> records =
                new ArrayList<>(tiles("img", "sobel", expected, 5, 4, MapDataType.UINT8));
        records.add(stats("img", "sobel", expected, records.size()));

        List<MapReassembly.Outcome> outcomes = feed(new MapReassembly(), records);

        ImageF32 got = outcomes.get(outcomes.size() - 1).completed().map();
        double bound = MapRecords.UINT8_SCALE / 2.0 + Math.ulp(100f);
        for (int y = 0; y < expected.height; y++) {
            for (int x = 0; x < expected.width; x++) {
                for (int c = 0; c < expected.channels; c++) {
                    float q = got.get(x, y, c);
                    assertThat(Math.abs((double) q - expected.get(x, y, c)))
                            .as("(%d, %d, %d)", x, y, c)
                            .isLessThanOrEqualTo(bound);
                    // A dequantized value is a code times the scale plus the offset.
                    int code =
                            (int) Math.rint((q - MapRecords.UINT8_OFFSET) / MapRecords.UINT8_SCALE);
                    assertThat(q)
                            .isEqualTo(code * MapRecords.UINT8_SCALE + MapRecords.UINT8_OFFSET);
                }
            }
        }
        assertThat(got.get(0, 0, 0)).isEqualTo(-100f);
    }

    @Test
    void duplicatesBeforeAndAfterCompletionAreIgnoredAndCounted() {
        ImageF32 expected = map(6, 4, 1);
        List<FeatureMapTile> tiles = tiles("a", "sobel", expected, 3, 2, MapDataType.FLOAT32_LE);
        EdgeStats stats = stats("a", "sobel", expected, 4);
        MapReassembly r = new MapReassembly();

        assertThat(r.addTile(tiles.get(0)).duplicate()).isFalse();
        // The same tile again (a redelivery), and another tile with the same index.
        assertThat(r.addTile(tiles.get(0)).duplicate()).isTrue();
        FeatureMapTile sameIndex = FeatureMapTile.newBuilder(tiles.get(1)).setTileIndex(0).build();
        assertThat(r.addTile(sameIndex).duplicate()).isTrue();
        r.addTile(tiles.get(1));
        r.addTile(tiles.get(2));
        r.addStats(stats);
        MapReassembly.Outcome last = r.addTile(tiles.get(3));
        assertSameMap(last.completed().map(), expected);

        // A replay of the whole map after it was handed out: nothing happens.
        for (FeatureMapTile t : tiles) {
            MapReassembly.Outcome o = r.addTile(t);
            assertThat(o.duplicate()).isTrue();
            assertThat(o.completed()).isNull();
        }
        assertThat(r.addStats(stats).duplicate()).isTrue();
        assertThat(r.duplicates()).isEqualTo(2 + 4 + 1);
        assertThat(r.incomplete()).isEmpty();
    }

    @Test
    void aTileThatCannotBePlacedIsRefusedWithAReasonAndChangesNothing() {
        ImageF32 expected = map(6, 4, 1);
        List<FeatureMapTile> tiles = tiles("a", "sobel", expected, 3, 2, MapDataType.FLOAT32_LE);
        MapReassembly r = new MapReassembly();
        r.addStats(stats("a", "sobel", expected, 4));
        r.addTile(tiles.get(0));

        // Too few samples for its rectangle.
        FeatureMapTile shortData =
                MapRecords.tileWithData(
                        "a",
                        "sobel",
                        expected,
                        1,
                        4,
                        3,
                        0,
                        3,
                        2,
                        MapDataType.FLOAT32_LE,
                        new byte[5 * 4]);
        assertThat(r.addTile(shortData).problem())
                .isEqualTo(
                        "tile 1 of a/sobel: tile [3,0 3x2] needs 6 values (1 channels) but got 5");
        // Not a whole number of float32 samples.
        FeatureMapTile ragged =
                MapRecords.tileWithData(
                        "a",
                        "sobel",
                        expected,
                        1,
                        4,
                        3,
                        0,
                        3,
                        2,
                        MapDataType.FLOAT32_LE,
                        new byte[23]);
        assertThat(r.addTile(ragged).problem())
                .isEqualTo(
                        "tile 1 of a/sobel: FLOAT32_LE data has 23 bytes, not a multiple of 4"
                                + " bytes per sample");
        // Another index, but tile 0's rectangle.
        FeatureMapTile overlapping =
                FeatureMapTile.newBuilder(tiles.get(0)).setTileIndex(2).build();
        assertThat(r.addTile(overlapping).problem())
                .startsWith(
                        "tile 2 of a/sobel: tile [0,0 3x2] overlaps the earlier tile [0,0 3x2]");
        // A map size other than its earlier tiles said.
        FeatureMapTile otherMap = FeatureMapTile.newBuilder(tiles.get(3)).setMapWidth(7).build();
        assertThat(r.addTile(otherMap).problem())
                .isEqualTo(
                        "tile 3 of a/sobel: it says a 7x4x1 map of 4 tiles, the map's earlier"
                                + " tiles a 6x4x1 map of 4");
        assertThat(r.incomplete()).containsExactly("a/sobel: 1/4 tiles");

        // The refused indices are still free: the right tiles complete the map.
        r.addTile(tiles.get(1));
        r.addTile(tiles.get(2));
        MapReassembly.Outcome last = r.addTile(tiles.get(3));
        assertThat(last.problem()).isNull();
        assertSameMap(last.completed().map(), expected);
        assertThat(r.duplicates()).isZero();
    }

    @Test
    void statsThatDisagreeWithTheTilesAreAProblemAndTheMapStaysIncomplete() {
        ImageF32 expected = map(6, 4, 1);
        List<FeatureMapTile> tiles = tiles("a", "sobel", expected, 3, 2, MapDataType.FLOAT32_LE);
        MapReassembly r = new MapReassembly();
        for (FeatureMapTile t : tiles) {
            assertThat(r.addTile(t).completed()).isNull();
        }
        MapReassembly.Outcome o = r.addStats(stats("a", "sobel", expected, 5));
        assertThat(o.problem()).isEqualTo("stats of a/sobel say 5 tiles but the tiles say 4");
        assertThat(o.completed()).isNull();
        assertThat(r.incomplete()).containsExactly("a/sobel: 4/5 tiles");
    }

    @Test
    void mapsOfSeveralImagesAndFiltersAreKeptApartAndListedUntilComplete() {
        ImageF32 a = map(5, 5, 1);
        ImageF32 b = map(8, 3, 2);
        List<FeatureMapTile> aSobel = tiles("a", "sobel", a, 3, 3, MapDataType.FLOAT32_LE);
        List<FeatureMapTile> aLap = tiles("a", "laplacian", b, 4, 2, MapDataType.FLOAT16_LE);
        MapReassembly r = new MapReassembly();
        r.addTile(aSobel.get(0));
        r.addTile(aSobel.get(1));
        r.addStats(stats("b", "sobel", a, 3));
        r.addTile(aLap.get(3));

        assertThat(r.incomplete())
                .containsExactly(
                        "a/sobel: 2/4 tiles, no stats yet",
                        "b/sobel: 0/3 tiles",
                        "a/laplacian: 1/4 tiles, no stats yet");
        assertThat(r.hasPending("a")).isTrue();
        assertThat(r.hasPending("b")).isTrue();
        assertThat(r.hasPending("c")).isFalse();

        r.addTile(aSobel.get(2));
        r.addStats(stats("a", "sobel", a, 4));
        MapReassembly.CompletedMap sobel = r.addTile(aSobel.get(3)).completed();
        assertSameMap(sobel.map(), a);
        for (int i = 0; i < 3; i++) {
            assertThat(r.addTile(aLap.get(i)).completed()).isNull();
        }
        MapReassembly.CompletedMap lap = r.addStats(stats("a", "laplacian", b, 4)).completed();
        assertThat(lap.filter()).isEqualTo("laplacian");
        assertSameMap(lap.map(), b);
        assertThat(r.hasPending("a")).isFalse();
        assertThat(r.incomplete()).containsExactly("b/sobel: 0/3 tiles");
    }
}
