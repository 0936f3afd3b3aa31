"""Feature-map tiles as NumPy arrays, and whole maps put back together from their tiles.

A ``FeatureMapTile`` (topic ``edge-maps``) holds ``width x height x channels`` samples of one
filter's output map, row-major HWC, placed at ``(x, y)`` of a ``mapWidth x mapHeight`` map; the
map is complete once ``tileCount`` distinct ``tileIndex`` values of ``(imageId, filter)`` have
arrived. Samples are stored as ``dataType``:

=============  =======  =============================================================
dataType       dtype    float32 value
=============  =======  =============================================================
FLOAT32_LE     ``<f4``  as stored: the job's exact result (default)
FLOAT16_LE     ``<f2``  widened exactly (binary16 rounded from the float32 result)
INT16_LE       ``<i2``  widened exactly (written only where every sample is an integer)
UINT8          ``u1``   ``stored * scale + offset`` in float32 (lossy, within scale/2)
=============  =======  =============================================================

The exact types ignore ``scale`` and ``offset`` (1 and 0), as Java's ``MapSamples`` does, so a
``-0.0`` stays ``-0.0``.
"""

import collections
import dataclasses
import logging
import time

import numpy as np

#: FeatureMapTile.dataType -> NumPy dtype of its stored samples.
DTYPES = {
    "FLOAT32_LE": np.dtype("<f4"),
    "FLOAT16_LE": np.dtype("<f2"),
    "INT16_LE": np.dtype("<i2"),
    "UINT8": np.dtype("u1"),
}

log = logging.getLogger("edgestream")


def _dtype(data_type):
    dtype = DTYPES.get(data_type)
    if dtype is None:
        raise ValueError(
            f"unknown map dataType {data_type!r}; known: {', '.join(DTYPES)} (a newer producer?"
            " upgrade the edgestream package)"
        )
    return dtype


def tile_samples(tile):
    """``tile["data"]`` as stored: a read-only ``(height, width, channels)`` array of its
    dataType (float32, float16, int16 or uint8)."""
    dtype = _dtype(tile["dataType"])
    shape = (tile["height"], tile["width"], tile["channels"])
    data = tile["data"]
    expected = dtype.itemsize * shape[0] * shape[1] * shape[2]
    if len(data) != expected:
        raise ValueError(
            f"{tile['dataType']} data of a {shape[0]}x{shape[1]}x{shape[2]} tile (tile"
            f" {tile.get('tileIndex')} of {tile.get('imageId')}/{tile.get('filter')}) has"
            f" {len(data)} bytes, expected {expected}"
        )
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def to_float32(stored, data_type, scale=1.0, offset=0.0):
    """Samples stored as ``data_type`` as float32 values, as Java's ``MapSamples.decode``:
    UINT8 dequantized as ``stored * scale + offset`` (each step rounded to float32), the other
    types widened exactly."""
    _dtype(data_type)
    if data_type == "UINT8":
        return stored.astype(np.float32) * np.float32(scale) + np.float32(offset)
    return stored.astype(np.float32)


def tile_array(tile):
    """``tile["data"]`` as a ``(height, width, channels)`` float32 array, whatever its
    dataType (see the module's table). Records of schema versions before 4 have no
    ``scale``/``offset``; they read as 1 and 0."""
    return to_float32(
        tile_samples(tile), tile["dataType"], tile.get("scale", 1.0), tile.get("offset", 0.0)
    )


@dataclasses.dataclass
class FeatureMap:
    """One filter's whole output map of one image, put together from its tiles.

    ``raw`` holds the samples as stored (``data_type``'s dtype), shape
    ``(mapHeight, mapWidth, channels)``; :attr:`array` gives them as float32.
    """

    image_id: str
    source_id: str
    filter: str
    data_type: str
    scale: float
    offset: float
    tile_count: int
    capture_time_ms: int
    sequence: int
    raw: np.ndarray

    @property
    def array(self):
        """The map as a float32 ``(height, width, channels)`` array (a new array each call)."""
        return to_float32(self.raw, self.data_type, self.scale, self.offset)

    @property
    def shape(self):
        return self.raw.shape


@dataclasses.dataclass(frozen=True)
class Eviction:
    """A map given up on before it was complete, and why: ``reason`` is ``"count"`` (more than
    ``max_pending`` maps were in progress; the oldest went) or ``"age"`` (its first tile came
    more than ``max_age_s`` seconds ago). ``missing`` says what never came: ``"tiles"``, or, in
    :class:`edgestream.kafka.EdgeReader`, ``"stats"`` (a complete map whose EdgeStats did not
    arrive) or ``"map"`` (EdgeStats whose map did not)."""

    image_id: str
    filter: str
    reason: str
    tiles_received: int
    tile_count: int
    age_s: float
    missing: str = "tiles"

    def __str__(self):
        return (
            f"gave up on map {self.image_id}/{self.filter} after {self.age_s:.1f} s"
            f" ({self.reason} limit): {self.tiles_received} of {self.tile_count} tiles,"
            f" missing {self.missing}"
        )


class _Pending:
    __slots__ = ("first", "raw", "seen", "started")

    def __init__(self, first, started):
        self.first = first
        dtype = _dtype(first["dataType"])
        shape = (first["mapHeight"], first["mapWidth"], first["channels"])
        self.raw = np.zeros(shape, dtype=dtype)
        self.seen = set()
        self.started = started


_SAME_FOR_EVERY_TILE = (
    "sourceId",
    "tileCount",
    "mapWidth",
    "mapHeight",
    "channels",
    "dataType",
    "scale",
    "offset",
)


class MapAssembler:
    """Puts maps together from their tiles, in any order, with bounded memory.

    :meth:`add` returns the :class:`FeatureMap` when the tile completes its map, else ``None``.
    A tile whose index already arrived is a duplicate and is ignored (counted in
    ``duplicates``), as are tiles of a map completed recently (the last ``remember`` maps).

    At most ``max_pending`` maps are in progress; one more evicts the oldest, and a map whose
    first tile is older than ``max_age_s`` seconds is evicted at the next :meth:`add` or
    :meth:`expire`. Each eviction is passed to ``on_evict`` (default: a warning on the
    ``edgestream`` logger) and kept in ``evictions`` (the last 1000); nothing is dropped
    silently. ``clock`` returns seconds (default ``time.monotonic``).
    """

    def __init__(
        self, max_pending=64, max_age_s=300.0, on_evict=None, clock=time.monotonic, remember=4096
    ):
        if max_pending < 1 or not max_age_s > 0:
            raise ValueError(
                f"max_pending must be >= 1 and max_age_s > 0, got {max_pending} and {max_age_s}"
            )
        self.max_pending = max_pending
        self.max_age_s = max_age_s
        self.on_evict = on_evict if on_evict is not None else _log_eviction
        self.clock = clock
        self._pending = collections.OrderedDict()
        self._done = collections.OrderedDict()
        self._remember = remember
        self.duplicates = 0
        self.evicted = 0
        self.evictions = collections.deque(maxlen=1000)

    @property
    def pending(self):
        """How many maps are in progress."""
        return len(self._pending)

    def add(self, tile):
        """Adds one decoded FeatureMapTile (a dict); returns the completed map or ``None``."""
        key = (tile["imageId"], tile["filter"])
        now = self.clock()
        self.expire(now)
        if key in self._done:
            self.duplicates += 1
            return None
        p = self._pending.get(key)
        if p is None:
            _check_geometry(tile)
            p = _Pending(tile, now)
            self._pending[key] = p
            while len(self._pending) > self.max_pending:
                self._evict(next(iter(self._pending)), "count", now)
        else:
            _check_same_map(p.first, tile)
            _check_geometry(tile)
        index = tile["tileIndex"]
        if index in p.seen:
            self.duplicates += 1
            return None
        x, y, w, h = tile["x"], tile["y"], tile["width"], tile["height"]
        p.raw[y : y + h, x : x + w, :] = tile_samples(tile)
        p.seen.add(index)
        if len(p.seen) < tile["tileCount"]:
            return None
        del self._pending[key]
        self._done[key] = True
        while len(self._done) > self._remember:
            self._done.popitem(last=False)
        f = p.first
        return FeatureMap(
            image_id=f["imageId"],
            source_id=f["sourceId"],
            filter=f["filter"],
            data_type=f["dataType"],
            scale=f.get("scale", 1.0),
            offset=f.get("offset", 0.0),
            tile_count=f["tileCount"],
            capture_time_ms=f.get("captureTimeMs", 0),
            sequence=f.get("sequence", -1),
            raw=p.raw,
        )

    def expire(self, now=None):
        """Evicts every map whose first tile is older than ``max_age_s``; returns them."""
        now = self.clock() if now is None else now
        gone = []
        for key, p in list(self._pending.items()):
            if now - p.started > self.max_age_s:
                gone.append(self._evict(key, "age", now))
        return gone

    def _evict(self, key, reason, now):
        p = self._pending.pop(key)
        e = Eviction(key[0], key[1], reason, len(p.seen), p.first["tileCount"], now - p.started)
        self.evicted += 1
        self.evictions.append(e)
        self.on_evict(e)
        return e



class MapStatsJoin:
    """Pairs complete maps with their EdgeStats records (topic ``edge-stats``), which arrive on
    another topic, in either order.

    :meth:`add_tile` and :meth:`add_stats` return the ``(FeatureMap, stats)`` pairs they
    complete. Tiles go through a :class:`MapAssembler`; complete maps waiting for their stats and
    stats waiting for their map are bounded like incomplete maps (``max_pending`` each, none
    older than ``max_age_s``), and each one given up is an :class:`Eviction` (``missing``
    ``"stats"`` or ``"map"``) passed to ``on_evict`` and kept in ``evictions``. Stats of a map
    already paired (the last ``remember``) are duplicates and ignored.
    """

    def __init__(
        self, max_pending=64, max_age_s=300.0, on_evict=None, clock=time.monotonic, remember=4096
    ):
        self.max_pending = max_pending
        self.max_age_s = max_age_s
        self.clock = clock
        self.on_evict = on_evict if on_evict is not None else _log_eviction
        self.evictions = collections.deque(maxlen=1000)
        self.assembler = MapAssembler(
            max_pending, max_age_s, on_evict=self._evicted, clock=clock, remember=remember
        )
        self._maps = collections.OrderedDict()  # key -> (FeatureMap, since): waiting for stats
        self._stats = collections.OrderedDict()  # key -> (stats, since): waiting for the map
        self._paired = collections.OrderedDict()
        self._remember = remember
        self.duplicates = 0

    @property
    def pending(self):
        """Incomplete maps, complete maps waiting for stats, and stats waiting for maps."""
        return self.assembler.pending + len(self._maps) + len(self._stats)

    def add_tile(self, tile):
        """Adds a decoded FeatureMapTile; returns ``[(map, stats)]`` if it completes a pair."""
        done = self.assembler.add(tile)
        now = self.clock()
        self._expire(now)
        if done is None:
            return []
        key = (done.image_id, done.filter)
        stats = self._stats.pop(key, None)
        if stats is not None:
            return [self._pair(key, done, stats[0])]
        self._maps[key] = (done, now)
        self._bound(self._maps, "stats", now)
        return []

    def add_stats(self, stats):
        """Adds a decoded EdgeStats; returns ``[(map, stats)]`` if it completes a pair."""
        key = (stats["imageId"], stats["filter"])
        now = self.clock()
        self._expire(now)
        if key in self._paired or key in self._stats:
            self.duplicates += 1
            return []
        waiting = self._maps.pop(key, None)
        if waiting is not None:
            return [self._pair(key, waiting[0], stats)]
        self._stats[key] = (stats, now)
        self._bound(self._stats, "map", now)
        return []

    def expire(self):
        """Gives up on everything older than ``max_age_s`` (each reported as an eviction)."""
        now = self.clock()
        self.assembler.expire(now)
        self._expire(now)

    def _pair(self, key, feature_map, stats):
        self._paired[key] = True
        while len(self._paired) > self._remember:
            self._paired.popitem(last=False)
        return feature_map, stats

    def _bound(self, waiting, missing, now):
        while len(waiting) > self.max_pending:
            self._give_up(waiting, next(iter(waiting)), missing, "count", now)

    def _expire(self, now):
        for waiting, missing in ((self._maps, "stats"), (self._stats, "map")):
            for key, (_, since) in list(waiting.items()):
                if now - since > self.max_age_s:
                    self._give_up(waiting, key, missing, "age", now)

    def _give_up(self, waiting, key, missing, reason, now):
        item, since = waiting.pop(key)
        if missing == "stats":
            received = count = item.tile_count
        else:
            received, count = 0, item["tileCount"]
        self._evicted(Eviction(key[0], key[1], reason, received, count, now - since, missing))

    def _evicted(self, e):
        self.evictions.append(e)
        self.on_evict(e)

def _log_eviction(e):
    log.warning("%s", e)


def _check_geometry(t):
    where = f"tile {t['tileIndex']} of {t['imageId']}/{t['filter']}"
    if not 0 <= t["tileIndex"] < t["tileCount"]:
        raise ValueError(f"{where}: tileIndex outside 0..{t['tileCount'] - 1}")
    if not (
        t["width"] > 0
        and t["height"] > 0
        and 0 <= t["x"]
        and 0 <= t["y"]
        and t["x"] + t["width"] <= t["mapWidth"]
        and t["y"] + t["height"] <= t["mapHeight"]
    ):
        raise ValueError(
            f"{where}: a {t['width']}x{t['height']} tile at ({t['x']}, {t['y']}) does not fit"
            f" the {t['mapWidth']}x{t['mapHeight']} map"
        )


def _check_same_map(first, t):
    for field in _SAME_FOR_EVERY_TILE:
        if first.get(field) != t.get(field):
            raise ValueError(
                f"tile {t['tileIndex']} of {t['imageId']}/{t['filter']} has {field}"
                f" {t.get(field)!r} but tile {first['tileIndex']} had {first.get(field)!r}: the"
                " tiles do not belong to one map (two producers reusing an image id?)"
            )


def assemble(tiles):
    """The one map made of ``tiles`` (decoded FeatureMapTiles of a single image and filter, in
    any order); raises ``ValueError`` if they do not make exactly one complete map."""
    a = MapAssembler(max_pending=1, on_evict=_raise_eviction)
    done = None
    for t in tiles:
        m = a.add(t)
        if m is not None:
            if done is not None:
                raise ValueError("the tiles make more than one map")
            done = m
    if done is None or a.pending:
        raise ValueError(
            f"the tiles do not make one complete map ({a.pending} incomplete, "
            f"{'one' if done else 'no'} complete)"
        )
    return done


def _raise_eviction(e):
    raise ValueError(f"{e} (the tiles belong to more than one map)")
