"""The package against the Java codec: values Java wrote decode to the same records, and the
package writes the same bytes Java does.

The fixtures are written by the Java test that runs this suite (PythonPackageITCase, module
python/) into the folder named by EDGESTREAM_JAVA_FIXTURES:

  fingerprints.json            {"<Record>.v<N>": "<16 hex digits>"} by Java's AvroWire
  records/<case>.bin, .json    a record of each type encoded by Java; .json: its name and fields
  old/<Record>.v1.bin          the same written with version 1 of the schema
  tiles/<TYPE>.bin, .expected  a map tile of each data type; .expected: Java's float32 samples
  frames/<case>.bin, .json     ImageFrames Java built; .json: the inputs to build them from
  safe-names.json              {"<id>": "<SafeNames.of(id)>"}
  dir-names.json               {"dirs": [{"imageId", "sourceName", "dir": OutputDir.dirName}],
                                "fileBases": {"<filter>": "<OutputDir.fileBase(filter)>"}}
  record-limits.json           RecordLimits' constants
"""

import json

import numpy as np

import edgestream
from edgestream import kafka, schemas, wire
from edgestream.__main__ import dir_name, file_base, safe_name


def cases(folder, suffix):
    found = sorted(folder.glob(f"*{suffix}"))
    assert found, f"no *{suffix} in {folder}"
    return found


def test_fingerprints_are_javas(java_fixtures):
    expected = json.loads((java_fixtures / "fingerprints.json").read_text())
    got = {
        f"{name}.v{v}": f"{schemas.fingerprint(s):016x}"
        for name in schemas.RECORDS
        for v, s in schemas.versions(name)
    }
    assert got == expected


def test_java_records_decode_to_their_fields_and_reencode_to_the_same_bytes(java_fixtures):
    for path in cases(java_fixtures / "records", ".bin"):
        meta = json.loads(path.with_suffix(".json").read_text())
        value = path.read_bytes()
        d = edgestream.decode(value, expected=meta["record"])
        for field, v in meta["fields"].items():
            got = d.record[field]
            if isinstance(got, bytes):
                got = got.hex()
            assert got == v, f"{path.name}: {field}"
        assert edgestream.encode(d.name, d.record) == value, path.name


def test_java_version_1_records_read_with_the_defaults_of_later_fields(java_fixtures):
    for path in cases(java_fixtures / "old", ".bin"):
        name = path.name.split(".")[0]
        d = edgestream.decode(path.read_bytes())
        assert d.writer == f"{name} v1"
        v1 = {f.name for f in dict(schemas.versions(name))[1].fields}
        for f in schemas.current(name).fields:
            if f.name not in v1:
                assert d.record[f.name] == f.default, f"{name}.{f.name}"


def test_every_map_data_type_reads_as_javas_float32_values_bit_for_bit(java_fixtures):
    seen = set()
    for path in cases(java_fixtures / "tiles", ".bin"):
        tile = edgestream.decode(path.read_bytes(), expected="FeatureMapTile").record
        expected = np.frombuffer(path.with_suffix(".expected").read_bytes(), dtype="<f4")
        got = edgestream.tile_array(tile)
        assert got.dtype == np.float32
        assert got.shape == (tile["height"], tile["width"], tile["channels"])
        assert got.ravel().view(np.uint32).tolist() == expected.view(np.uint32).tolist(), path.name
        seen.add(tile["dataType"])
    assert seen == set(edgestream.maps.DTYPES)


def test_frames_built_in_python_are_the_bytes_java_encodes(java_fixtures):
    for path in cases(java_fixtures / "frames", ".bin"):
        spec = json.loads(path.with_suffix(".json").read_text())
        common = dict(
            source_id=spec["sourceId"],
            image_id=spec.get("imageId"),
            sequence=spec["sequence"],
            capture_time_ms=spec["captureTimeMs"],
            batch_id=spec["batchId"],
        )
        if spec["kind"] == "file":
            attrs = spec["attributes"]
            frame = edgestream.frame_from_file(spec["file"], attributes=attrs, **common)
        else:
            raw = (java_fixtures / "frames" / spec["samples"]).read_bytes()
            a = np.frombuffer(raw, dtype=spec["dtype"]).reshape(spec["shape"])
            frame = edgestream.frame_from_array(a, attributes=spec["attributes"], **common)
        assert edgestream.encode_frame(frame) == path.read_bytes(), path.name
        assert wire.Codec().decode(path.read_bytes()).record == frame


def test_output_names_are_the_java_consumers(java_fixtures):
    names = json.loads((java_fixtures / "safe-names.json").read_text())
    assert names
    for original, safe in names.items():
        assert safe_name(original) == safe, original


def test_map_folders_are_the_java_consumers(java_fixtures):
    names = json.loads((java_fixtures / "dir-names.json").read_text(encoding="utf-8"))
    assert len(names["dirs"]) > 20
    for case in names["dirs"]:
        assert dir_name(case["imageId"], case["sourceName"]) == case["dir"], case
    assert names["fileBases"]
    for filter_name, base in names["fileBases"].items():
        assert file_base(filter_name) == base, filter_name


def test_the_producer_uses_the_record_limits_of_java(java_fixtures):
    limits = json.loads((java_fixtures / "record-limits.json").read_text())
    assert limits == {
        "TOPIC_MAX_MESSAGE_BYTES": kafka.TOPIC_MAX_MESSAGE_BYTES,
        "RECORD_OVERHEAD_BYTES": kafka.RECORD_OVERHEAD_BYTES,
    }
