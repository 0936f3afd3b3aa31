#!/usr/bin/env python3
"""Decode edgestream Kafka record values (Avro single-object encoding) with fastavro.

Each value is: C3 01 | 8-byte CRC-64-AVRO fingerprint of the writer schema | Avro binary body.
The fingerprint picks the writer schema among every released version (the history folder);
the body is then resolved into the current (reader) schema, so records written by older
producers get the defaults of fields added later -- exactly what the Java AvroWire does.

Usage:
    python3 decode_record.py VALUE_FILE...      # files holding one raw Kafka value each

In a consumer, call decode(value) on each message value (e.g. from confluent-kafka or
kafka-python), and tile_array(tile) on a FeatureMapTile for its samples as float32, whatever
its dataType. Needs: fastavro (only for decode), numpy (only for tile_array).
"""

import io
import json
import pathlib
import sys

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "src" / "main"
CURRENT_DIR = SCHEMAS / "avro"
HISTORY_DIR = SCHEMAS / "resources" / "io" / "edgestream" / "schemas" / "history"
MAGIC = b"\xc3\x01"


def _load(path):
    from fastavro.schema import parse_schema

    # A fresh parse per file: every version redefines the same named types.
    return parse_schema(json.loads(path.read_text(encoding="utf-8")))


def _fingerprint_hex(schema):
    from fastavro.schema import fingerprint, to_parsing_canonical_form

    # fastavro's hex digest lists the bytes in the order they appear in the header.
    return fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO")


# Reader schema per record name, and (record name, writer schema) per header fingerprint;
# loaded on the first decode() so that tile_array() works without fastavro.
READERS = {}
WRITERS = {}


def _schemas():
    if not READERS:
        READERS.update({p.stem: _load(p) for p in sorted(CURRENT_DIR.glob("*.avsc"))})
        for path in sorted(HISTORY_DIR.glob("*.v*.avsc")):
            WRITERS[_fingerprint_hex(_load(path))] = (path.name.split(".")[0], _load(path))
    return READERS, WRITERS


class WireFormatError(ValueError):
    """Same reasons as the Java WireFormatException / DeadLetterReason."""

    def __init__(self, reason, message):
        super().__init__(f"{reason}: {message}")
        self.reason = reason


def decode(value):
    """Return (record name, record dict) for one single-object-encoded value."""
    if value is None or len(value) < 10 or value[:2] != MAGIC:
        head = value[:2].hex(" ") if value else "nothing"
        raise WireFormatError("NOT_WIRE_FORMAT", f"expected C3 01 + 8-byte fingerprint, got {head}")
    from fastavro import schemaless_reader

    readers, writers = _schemas()
    fp = value[2:10].hex()
    if fp not in writers:
        raise WireFormatError("UNKNOWN_SCHEMA", f"fingerprint {fp} is not a known schema version")
    name, writer = writers[fp]
    body = io.BytesIO(value[10:])
    try:
        record = schemaless_reader(body, writer, readers[name])
    except (EOFError, ValueError, IndexError) as e:
        raise WireFormatError("MALFORMED_RECORD", f"{name} body is truncated or corrupt: {e}") from e
    if body.tell() != len(value) - 10:
        raise WireFormatError("MALFORMED_RECORD", f"{name} body has trailing bytes")
    return name, record


# FeatureMapTile.dataType -> NumPy dtype of its stored samples.
MAP_DTYPES = {"FLOAT32_LE": "<f4", "FLOAT16_LE": "<f2", "INT16_LE": "<i2", "UINT8": "u1"}


def tile_samples(tile):
    """FeatureMapTile.data as stored: a (height, width, channels) NumPy array of its dataType
    (float32, float16, int16 or uint8)."""
    import numpy as np

    dtype = MAP_DTYPES.get(tile["dataType"])
    if dtype is None:
        raise ValueError(f"unknown dataType {tile['dataType']!r}; known: {sorted(MAP_DTYPES)}")
    shape = (tile["height"], tile["width"], tile["channels"])
    data = tile["data"]
    if len(data) != np.dtype(dtype).itemsize * shape[0] * shape[1] * shape[2]:
        raise ValueError(
            f"{tile['dataType']} data of a {shape[0]}x{shape[1]}x{shape[2]} tile has {len(data)} bytes"
        )
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def tile_array(tile):
    """FeatureMapTile.data as a (height, width, channels) float32 NumPy array, whatever its
    dataType: FLOAT32_LE as it is, FLOAT16_LE and INT16_LE widened exactly, UINT8 dequantized as
    stored * scale + offset in float32 (lossy: within scale / 2 of the job's float32 result)."""
    import numpy as np

    stored = tile_samples(tile)
    if tile["dataType"] == "UINT8":
        # Records of schema versions before 4 have no scale/offset (and no UINT8 either).
        scale = np.float32(tile.get("scale", 1.0))
        offset = np.float32(tile.get("offset", 0.0))
        return stored.astype(np.float32) * scale + offset
    return stored.astype(np.float32)


def main(paths):
    for path in paths:
        name, record = decode(pathlib.Path(path).read_bytes())
        shown = {k: (f"<{len(v)} bytes>" if isinstance(v, bytes) else v) for k, v in record.items()}
        print(f"{path}: {name} {json.dumps(shown, sort_keys=True)}")
        if name == "FeatureMapTile":
            print(f"  data as array {tile_array(record).shape}: {tile_array(record).ravel().tolist()}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
