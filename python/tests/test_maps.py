"""Map tiles of every data type as arrays, and maps put together from tiles."""

import random
import struct

import numpy as np
import pytest

import edgestream
from edgestream import maps
from samples import edge_stats, feature_map_tile


def f32(x):
    """``x`` rounded to float32, without NumPy."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def test_float32_tiles_read_as_stored_bit_for_bit():
    values = np.array([-0.0, np.inf, -np.inf, np.nan, 1e-45, 3.4e38], dtype=np.float32)
    tile = feature_map_tile("FLOAT32_LE", values, w=3, h=2)
    got = edgestream.tile_array(tile)
    assert got.dtype == np.float32 and got.shape == (2, 3, 1)
    assert got.tobytes() == values.tobytes()


def test_float16_tiles_widen_exactly():
    values = np.array([-0.0, 65504, -2048.5, 1e-7, np.inf, 0.1], dtype=np.float32)
    tile = feature_map_tile("FLOAT16_LE", values, w=3, h=2)
    got = edgestream.tile_array(tile).ravel()
    # Each stored binary16 read with struct's 'e' format, independently of NumPy's cast.
    expected = [struct.unpack("<e", tile["data"][i : i + 2])[0] for i in range(0, 12, 2)]
    assert got.tolist()[1:] == expected[1:]
    assert np.signbit(got[0]) and got[0] == 0
    assert edgestream.tile_samples(tile).dtype == np.dtype("<f2")


def test_int16_tiles_widen_exactly():
    values = [-32768, 32767, 0, -1, 1020, -1020]
    tile = feature_map_tile("INT16_LE", values, w=3, h=2)
    assert edgestream.tile_array(tile).ravel().tolist() == [float(v) for v in values]
    assert edgestream.tile_samples(tile).dtype == np.dtype("<i2")


def test_uint8_tiles_dequantize_as_stored_times_scale_plus_offset_in_float32():
    stored = list(range(0, 256, 17)) + [255]
    scale, offset = f32(1442.5 / 255), f32(-100.25)
    tile = feature_map_tile("UINT8", stored, w=len(stored), h=1)
    tile["scale"], tile["offset"] = scale, offset
    got = edgestream.tile_array(tile).ravel()
    # s * scale is exact in double (8 + 24 bits), so one rounding gives float32's product.
    expected = [f32(f32(s * scale) + offset) for s in stored]
    assert got.dtype == np.float32
    assert got.tolist() == expected


def test_exact_types_ignore_scale_and_offset_like_java():
    tile = feature_map_tile("FLOAT32_LE", [-0.0, 1, 2, 3, 4, 5], w=3, h=2)
    tile["scale"], tile["offset"] = 2.0, 1.0
    got = edgestream.tile_array(tile).ravel()
    assert np.signbit(got[0]) and got.tolist()[1:] == [1, 2, 3, 4, 5]


def test_a_version_3_tile_without_scale_reads():
    tile = feature_map_tile("FLOAT16_LE", [1, 2, 3, 4, 5, 6], w=3, h=2)
    del tile["scale"], tile["offset"]
    assert edgestream.tile_array(tile).ravel().tolist() == [1, 2, 3, 4, 5, 6]


def test_wrong_sizes_and_unknown_types_are_refused_with_what_was_expected():
    tile = feature_map_tile("INT16_LE", [1, 2, 3, 4, 5, 6], w=3, h=2)
    tile["data"] = tile["data"][:-2]
    with pytest.raises(ValueError, match="has 10 bytes, expected 12"):
        edgestream.tile_array(tile)
    tile["dataType"] = "INT4"
    with pytest.raises(ValueError, match="unknown map dataType 'INT4'"):
        edgestream.tile_array(tile)


def tiles_of(image, data_type="FLOAT32_LE", size=16, image_id="img", filter_name="sobel"):
    """``image`` (h, w, c) cut into tiles as the job does: a row-major grid."""
    h, w, c = image.shape
    out = []
    coords = [(x, y) for y in range(0, h, size) for x in range(0, w, size)]
    for i, (x, y) in enumerate(coords):
        part = image[y : y + size, x : x + size]
        t = feature_map_tile(data_type, part, w=part.shape[1], h=part.shape[0], c=c)
        t.update(
            imageId=image_id,
            filter=filter_name,
            tileIndex=i,
            tileCount=len(coords),
            x=x,
            y=y,
            mapWidth=w,
            mapHeight=h,
        )
        out.append(t)
    return out


@pytest.mark.parametrize("data_type", sorted(maps.DTYPES))
def test_tiles_in_any_order_with_duplicates_make_the_whole_map(data_type):
    rng = np.random.default_rng(7)
    dtype = maps.DTYPES[data_type]
    if dtype.kind == "f":
        image = rng.normal(0, 300, size=(37, 53, 2)).astype(dtype)
    else:
        info = np.iinfo(dtype)
        image = rng.integers(info.min, info.max, size=(37, 53, 2), endpoint=True).astype(dtype)
    tiles = tiles_of(image, data_type)
    shuffled = tiles + random.Random(3).sample(tiles, 5)
    random.Random(5).shuffle(shuffled)
    a = edgestream.MapAssembler()
    done = [m for m in map(a.add, shuffled) if m is not None]
    assert len(done) == 1
    m = done[0]
    assert (m.image_id, m.filter, m.data_type, m.tile_count) == ("img", "sobel", data_type, 12)
    assert m.raw.dtype == dtype and m.raw.shape == (37, 53, 2)
    assert m.raw.tobytes() == image.tobytes()
    assert m.array.dtype == np.float32
    assert a.pending == 0
    # Duplicates before completion, and every duplicate after it, are ignored.
    assert a.duplicates == 5
    assert a.add(tiles[0]) is None and a.pending == 0


def test_the_map_completes_exactly_at_its_last_distinct_tile():
    tiles = tiles_of(np.zeros((20, 20, 1), np.float32), size=8)
    a = edgestream.MapAssembler()
    results = [a.add(t) for t in tiles]
    assert results[:-1] == [None] * (len(tiles) - 1)
    assert results[-1] is not None


def test_too_many_maps_in_progress_evicts_the_oldest_and_reports_it():
    seen = []
    a = edgestream.MapAssembler(max_pending=2, on_evict=seen.append)
    image = np.ones((20, 20, 1), np.float32)
    for name in ("a", "b", "c"):
        a.add(tiles_of(image, size=8, image_id=name)[0])
    assert a.pending == 2
    assert [(e.image_id, e.reason, e.tiles_received, e.tile_count) for e in seen] == [
        ("a", "count", 1, 9)
    ]
    assert a.evicted == 1 and list(a.evictions) == seen
    assert "gave up on map a/sobel" in str(seen[0])


def test_maps_older_than_max_age_are_evicted_and_reported():
    now = [1000.0]
    seen = []
    a = edgestream.MapAssembler(max_age_s=300, on_evict=seen.append, clock=lambda: now[0])
    image = np.ones((20, 20, 1), np.float32)
    a.add(tiles_of(image, size=8, image_id="old")[0])
    now[0] += 299
    a.add(tiles_of(image, size=8, image_id="new")[0])
    assert seen == []
    now[0] += 2
    a.expire()
    assert [(e.image_id, e.reason) for e in seen] == [("old", "age")]
    assert seen[0].age_s == pytest.approx(301)
    assert a.pending == 1


def test_the_default_eviction_report_is_a_warning(caplog):
    a = edgestream.MapAssembler(max_pending=1)
    image = np.ones((20, 20, 1), np.float32)
    a.add(tiles_of(image, size=8, image_id="a")[0])
    a.add(tiles_of(image, size=8, image_id="b")[0])
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "gave up on map a/sobel" in caplog.records[0].getMessage()


def test_tiles_that_do_not_belong_to_one_map_are_refused():
    tiles = tiles_of(np.ones((20, 20, 1), np.float32), size=8)
    a = edgestream.MapAssembler()
    a.add(tiles[0])
    with pytest.raises(ValueError, match="has mapWidth 21 but tile 0 had 20"):
        a.add(dict(tiles[1], mapWidth=21))
    with pytest.raises(ValueError, match="does not fit the 20x20 map"):
        a.add(dict(tiles[1], x=16))
    with pytest.raises(ValueError, match="tileIndex outside 0..8"):
        edgestream.MapAssembler().add(dict(tiles[1], tileIndex=9))


def test_assemble_puts_one_map_together_or_says_why_not():
    image = np.arange(400, dtype=np.float32).reshape(20, 20, 1)
    tiles = tiles_of(image, size=8)
    assert edgestream.assemble(reversed(tiles)).raw.tobytes() == image.tobytes()
    with pytest.raises(ValueError, match="1 incomplete"):
        edgestream.assemble(tiles[:-1])
    with pytest.raises(ValueError, match="more than one map"):
        edgestream.assemble(tiles[:2] + tiles_of(image, size=8, image_id="other")[:1])


def stats_for(image_id, tile_count):
    return dict(edge_stats(), imageId=image_id, filter="sobel", tileCount=tile_count)


def test_maps_pair_with_their_stats_in_either_order():
    image = np.ones((20, 20, 1), np.float32)
    j = maps.MapStatsJoin()
    a, b = tiles_of(image, size=8, image_id="a"), tiles_of(image, size=8, image_id="b")
    # a: stats first
    assert j.add_stats(stats_for("a", 9)) == []
    out = [p for t in a for p in j.add_tile(t)]
    assert [(m.image_id, s["imageId"]) for m, s in out] == [("a", "a")]
    # b: map first
    assert [p for t in b for p in j.add_tile(t)] == []
    (m, s), = j.add_stats(stats_for("b", 9))
    assert (m.image_id, s["imageId"]) == ("b", "b")
    # stats again: a duplicate
    assert j.add_stats(stats_for("b", 9)) == [] and j.duplicates == 1
    assert j.pending == 0


def test_waiting_maps_and_stats_are_bounded_and_reported():
    now = [0.0]
    seen = []
    j = maps.MapStatsJoin(max_pending=1, max_age_s=60, on_evict=seen.append, clock=lambda: now[0])
    image = np.ones((8, 8, 1), np.float32)
    j.add_stats(stats_for("s1", 1))
    j.add_stats(stats_for("s2", 1))  # over max_pending: s1 goes
    for t in tiles_of(image, size=8, image_id="m1"):
        j.add_tile(t)  # a complete map, waiting for its stats
    now[0] = 61
    j.expire()
    assert sorted((e.image_id, e.reason, e.missing) for e in seen) == [
        ("m1", "age", "stats"),
        ("s1", "count", "map"),
        ("s2", "age", "map"),
    ]
    assert j.pending == 0
