"""Single-object encoding: round trips, older writer versions, and every failure's reason."""

import io
import struct

import avro.io
import avro.schema
import pytest

import edgestream
from edgestream import schemas, wire
from samples import RECORDS, dead_letter, feature_map_tile


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_every_record_round_trips_in_single_object_encoding(name):
    record = RECORDS[name]()
    value = edgestream.encode(name, record)
    assert value[:2] == b"\xc3\x01"
    assert struct.unpack("<Q", value[2:10])[0] == schemas.fingerprint(schemas.current(name))
    decoded = edgestream.decode(value)
    assert decoded.name == name
    assert decoded.wire_format == "single-object"
    assert decoded.record == record
    assert edgestream.decode(value, expected=name).record == record


def defaults(name):
    """Each field's default in the current schema, as the reader fills it in."""
    out = {}
    for f in schemas.current(name).fields:
        if f.has_default:
            out[f.name] = f.default
    return out


def old_value(name, version, record):
    """``record`` written by a producer on ``version``: its fields only, its header."""
    writer = dict(schemas.versions(name))[version]
    datum = {f.name: record[f.name] for f in writer.fields}
    out = io.BytesIO()
    avro.io.DatumWriter(writer).write(datum, avro.io.BinaryEncoder(out))
    return wire.MAGIC + struct.pack("<Q", schemas.fingerprint(writer)) + out.getvalue(), writer


@pytest.mark.parametrize(
    "name,version",
    [(n, v) for n in sorted(RECORDS) for v, _ in schemas.versions(n)],
)
def test_every_older_version_resolves_into_the_current_schema_with_defaults(name, version):
    record = RECORDS[name]()
    value, writer = old_value(name, version, record)
    decoded = edgestream.decode(value)
    assert decoded.writer == f"{name} v{version}"
    written = {f.name for f in writer.fields}
    expected = {
        k: (record[k] if k in written else defaults(name)[k]) for k in record
    }
    assert decoded.record == expected
    added = set(record) - written
    if version == 1 and name != "DeadLetter":
        assert added, f"{name} v1 lacks fields added later"


def test_a_version_1_map_tile_reads_with_scale_1_and_offset_0():
    value, _ = old_value("FeatureMapTile", 1, feature_map_tile())
    record = edgestream.decode(value).record
    assert (record["captureTimeMs"], record["sequence"]) == (0, -1)
    assert (record["scale"], record["offset"]) == (1.0, 0.0)


@pytest.mark.parametrize(
    "value,words",
    [
        (b"", "empty"),
        (None, "empty"),
        (b"\xc3", "neither"),
        (b"\xc3\x01\x00", "neither"),
        (b"{\"imageId\": 1}", "starts with 7b 22"),
        (b"\xff\xd8\xff\xe0" + bytes(20), "neither"),
    ],
)
def test_values_that_are_not_either_wire_format_fail_as_not_wire_format(value, words):
    with pytest.raises(edgestream.WireFormatError) as e:
        edgestream.decode(value)
    assert e.value.reason == "NOT_WIRE_FORMAT"
    assert words in str(e.value)


def test_an_unknown_fingerprint_fails_as_unknown_schema():
    value = edgestream.encode("EdgeStats", RECORDS["EdgeStats"]())
    forged = value[:2] + struct.pack("<Q", 0x0123456789ABCDEF) + value[10:]
    with pytest.raises(edgestream.WireFormatError) as e:
        edgestream.decode(forged)
    assert e.value.reason == "UNKNOWN_SCHEMA"
    assert "0123456789abcdef" in str(e.value)


def test_a_record_of_another_type_than_expected_fails_as_unknown_schema():
    value = edgestream.encode("EdgeStats", RECORDS["EdgeStats"]())
    with pytest.raises(edgestream.WireFormatError) as e:
        edgestream.decode(value, expected="FeatureMapTile")
    assert e.value.reason == "UNKNOWN_SCHEMA"
    assert "is a EdgeStats" in str(e.value) and "expected a FeatureMapTile" in str(e.value)


@pytest.mark.parametrize("cut", [1, 7, 30])
def test_a_truncated_body_fails_as_malformed_record(cut):
    value = edgestream.encode("FeatureMapTile", feature_map_tile())
    with pytest.raises(edgestream.WireFormatError) as e:
        edgestream.decode(value[:-cut])
    assert e.value.reason == "MALFORMED_RECORD"


def test_trailing_bytes_fail_as_malformed_record():
    value = edgestream.encode("DeadLetter", dead_letter())
    with pytest.raises(edgestream.WireFormatError) as e:
        edgestream.decode(value + b"\x00\x00")
    assert e.value.reason == "MALFORMED_RECORD"
    assert "ends 2 bytes before the end" in str(e.value)


def test_a_length_prefix_larger_than_the_value_fails_without_allocating_it():
    # imageId claims 2^40 bytes: the decoder reads what is there and fails.
    header = wire.single_object_header("ImageFrame")
    big = 2**40
    zigzag = big << 1
    varint = bytearray()
    while zigzag >= 0x80:
        varint.append((zigzag & 0x7F) | 0x80)
        zigzag >>= 7
    varint.append(zigzag)
    with pytest.raises(edgestream.WireFormatError) as e:
        edgestream.decode(header + bytes(varint) + b"abc")
    assert e.value.reason == "MALFORMED_RECORD"


def test_an_enum_index_out_of_range_fails_as_malformed_record():
    tile = feature_map_tile()
    value = bytearray(edgestream.encode("FeatureMapTile", tile))
    # dataType follows `channels`; find the enum index byte (0 = FLOAT32_LE) by re-encoding
    # with FLOAT16_LE (index 1) and comparing.
    other = edgestream.encode("FeatureMapTile", dict(tile, dataType="FLOAT16_LE"))
    at = next(i for i, (a, b) in enumerate(zip(value, other)) if a != b)
    value[at] = 0x7E  # zig-zag 63
    with pytest.raises(edgestream.WireFormatError) as e:
        edgestream.decode(bytes(value))
    assert e.value.reason == "MALFORMED_RECORD"
    assert "enum index 63" in str(e.value)


def test_registry_framed_values_need_a_registry():
    value = wire.registry_header(7) + edgestream.encode("EdgeStats", RECORDS["EdgeStats"]())[10:]
    with pytest.raises(edgestream.WireFormatError) as e:
        edgestream.decode(value)
    assert e.value.reason == "UNKNOWN_SCHEMA"
    assert "schema id 7" in str(e.value) and "no registry" in str(e.value)


def test_records_that_do_not_match_the_schema_are_refused_when_encoding():
    bad = dict(RECORDS["ImageFrame"](), width="wide")
    with pytest.raises(ValueError) as e:
        edgestream.encode("ImageFrame", bad)
    assert "ImageFrame" in str(e.value)
    with pytest.raises(ValueError):
        edgestream.encode("ImageFrame", RECORDS["ImageFrame"](), wire_format="registry")
    with pytest.raises(KeyError):
        edgestream.encode("Nope", {})
