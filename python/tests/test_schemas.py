"""The package's schemas are the repository's schemas/, and its fingerprints are Avro's."""

import os
import pathlib

import avro.schema

import edgestream
from conftest import REPO
from edgestream import schemas

SCHEMAS = REPO / "schemas" / "src" / "main"
SOURCES = {
    "current": SCHEMAS / "avro",
    "history": SCHEMAS / "resources" / "io" / "edgestream" / "schemas" / "history",
}


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(pathlib.Path(folder).glob("*.avsc"))}


def test_the_package_schemas_are_the_repository_schemas_byte_for_byte():
    current, history = schemas.schema_dirs()
    for kind, got in (("current", current), ("history", history)):
        expected = files(SOURCES[kind])
        assert expected, f"no .avsc files in {SOURCES[kind]}"
        actual = files(got)
        assert sorted(actual) == sorted(expected), (
            f"the package's {kind} schemas ({got}) are not the files of {SOURCES[kind]}:"
            " reinstall the package (pip install ./python) after changing schemas/"
        )
        for name in expected:
            assert actual[name] == expected[name], (
                f"{got / name} differs from {SOURCES[kind] / name}: reinstall the package"
            )


def test_an_installed_package_uses_its_own_copy():
    if os.environ.get("EDGESTREAM_EXPECT_INSTALLED") == "1":
        assert schemas.schema_source() == "installed"
        source = REPO / "python" / "edgestream"
        assert not pathlib.Path(edgestream.__file__).resolve().is_relative_to(source)
    else:
        assert schemas.schema_source() in ("installed", "checkout")


def test_every_record_has_its_current_schema_as_newest_version():
    for name in schemas.RECORDS:
        newest = schemas.versions(name)[-1][1]
        assert newest.canonical_form == schemas.current(name).canonical_form, name
        assert [v for v, _ in schemas.versions(name)] == list(
            range(1, len(schemas.versions(name)) + 1)
        )


def test_crc64_avro_matches_the_specification_test_vectors():
    # The Avro specification's test data (share/test/data/schema-tests.txt): the 64-bit Rabin
    # fingerprints of primitive schemas' canonical forms, as signed longs.
    vectors = {
        '"null"': 7195948357588979594,
        '"boolean"': -6970731678124411036,
        '"int"': 8247732601305521295,
        '"long"': -3434872931120570953,
        '"float"': 5583340709985441680,
        '"double"': -8181574048448539266,
        '"bytes"': 5746618253357095269,
        '"string"': -8142146995180207161,
        '{"name":"foo","type":"fixed","size":15}': 1756455273707447556,
    }
    for text, signed in vectors.items():
        assert schemas.crc64_avro(text.encode()) == signed % 2**64, text


def test_fingerprint_accepts_schema_objects_and_json():
    s = schemas.current("EdgeStats")
    assert schemas.fingerprint(s) == schemas.fingerprint(str(s))
    assert schemas.fingerprint(s) == schemas.fingerprint(avro.schema.parse(str(s)))
