#!/usr/bin/env python3
"""Checks decode_record.py against feature-map tiles written by Java (DecodeRecordPythonTest).

Usage:
    python3 check_decode_record.py DIR

DIR holds, per tile NAME: NAME.json (the tile's dataType, height, width, channels, scale,
offset), NAME.data (its data bytes), NAME.expected (the float32 values Java's MapSamples.decode
gives, little-endian) and NAME.bin (the whole Kafka value). tile_array() must give exactly the
expected float32 values, bit for bit; with fastavro installed, decode() of NAME.bin too.
Needs numpy; fastavro is optional. Exits 1 on the first difference.
"""

import json
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import decode_record  # noqa: E402


def same_bits(got, expected):
    return got.dtype == np.float32 and np.array_equal(
        got.reshape(-1).view(np.uint32), expected.view(np.uint32)
    )


def main(folder):
    try:
        import fastavro  # noqa: F401

        full = True
    except ImportError:
        full = False
    names = sorted(p.stem for p in pathlib.Path(folder).glob("*.json"))
    if not names:
        sys.exit(f"no *.json tiles in {folder}")
    for name in names:
        base = pathlib.Path(folder) / name
        tile = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        tile["data"] = base.with_suffix(".data").read_bytes()
        expected = np.frombuffer(base.with_suffix(".expected").read_bytes(), dtype="<f4")
        got = decode_record.tile_array(tile)
        if got.shape != (tile["height"], tile["width"], tile["channels"]):
            sys.exit(f"{name}: tile_array shape {got.shape}")
        if not same_bits(got, expected):
            sys.exit(f"{name}: tile_array {got.reshape(-1).tolist()} != {expected.tolist()}")
        if full:
            record_name, record = decode_record.decode(base.with_suffix(".bin").read_bytes())
            if record_name != "FeatureMapTile" or record["dataType"] != tile["dataType"]:
                sys.exit(f"{name}: decode gave {record_name} {record.get('dataType')}")
            if not same_bits(decode_record.tile_array(record), expected):
                sys.exit(f"{name}: decode + tile_array differs from Java")
    print(f"{len(names)} tiles equal to Java (decode() of whole values: {'yes' if full else 'no fastavro'})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
