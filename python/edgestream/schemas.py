"""The Avro contract: the current schema of each record and every released version of it.

The schemas come from the repository's ``schemas/`` (the one source of truth). An installed
package carries the copy its build made (``edgestream/avsc/``, see ``setup.py``); run from a
checkout (``PYTHONPATH=python``) it reads ``schemas/`` itself. :func:`schema_source` says which.
"""

import functools
import json
import pathlib
import re

import avro.schema

NAMESPACE = "io.edgestream.schemas"

#: The top-level records of the contract and the topic each one travels on.
RECORDS = {
    "ImageFrame": "images",
    "FeatureMapTile": "edge-maps",
    "EdgeStats": "edge-stats",
    "DeadLetter": "images-dlq",
}

_PACKAGE = pathlib.Path(__file__).resolve().parent
_INSTALLED = _PACKAGE / "avsc"
_CHECKOUT = _PACKAGE.parent.parent / "schemas" / "src" / "main"
_VERSION_FILE = re.compile(r"^([A-Za-z]+)\.v([0-9]+)\.avsc$")


def schema_source():
    """``"installed"`` when the package's own copy is used, ``"checkout"`` when it reads the
    repository's ``schemas/`` (running from a checkout without installing)."""
    if (_INSTALLED / "current").is_dir():
        return "installed"
    if (_CHECKOUT / "avro").is_dir():
        return "checkout"
    raise FileNotFoundError(
        f"no Avro schemas: neither {_INSTALLED} (an installed package) nor {_CHECKOUT} (a"
        " checkout) exists; install the package with pip from the repository's python/ folder"
    )


def schema_dirs():
    """``(current, history)``: the folders holding ``<Record>.avsc`` and
    ``<Record>.v<N>.avsc``."""
    if schema_source() == "installed":
        return _INSTALLED / "current", _INSTALLED / "history"
    return (
        _CHECKOUT / "avro",
        _CHECKOUT / "resources" / "io" / "edgestream" / "schemas" / "history",
    )


def _check_name(name):
    if name not in RECORDS:
        raise KeyError(f"{name!r} is not a record of the contract; known: {sorted(RECORDS)}")


@functools.lru_cache(maxsize=None)
def current(name):
    """The current (reader) schema of record ``name``, e.g. ``current("FeatureMapTile")``."""
    _check_name(name)
    return _parse(schema_dirs()[0] / f"{name}.avsc")


@functools.lru_cache(maxsize=None)
def versions(name):
    """Every released version of record ``name``, oldest first, as ``[(version, schema)]``."""
    _check_name(name)
    found = []
    for path in schema_dirs()[1].glob(f"{name}.v*.avsc"):
        m = _VERSION_FILE.match(path.name)
        if m and m.group(1) == name:
            found.append((int(m.group(2)), _parse(path)))
    if not found:
        raise FileNotFoundError(f"no history/{name}.v<N>.avsc in {schema_dirs()[1]}")
    return sorted(found, key=lambda v: v[0])


def _parse(path):
    # One parse per file: every version redefines the same named types.
    return avro.schema.parse(path.read_text(encoding="utf-8"))


# CRC-64-AVRO (Rabin) as the Avro specification defines it.
_EMPTY = 0xC15D213AA4D7A795


def _table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (_EMPTY & -(fp & 1))
        table.append(fp)
    return table


_TABLE = _table()


def crc64_avro(data):
    """The CRC-64-AVRO fingerprint of ``data`` (bytes) as an unsigned 64-bit int."""
    fp = _EMPTY
    for b in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


def fingerprint(schema):
    """The CRC-64-AVRO fingerprint of ``schema``'s parsing canonical form (an avro Schema or its
    JSON text), as Java's ``SchemaNormalization.parsingFingerprint64``."""
    if not isinstance(schema, avro.schema.Schema):
        schema = avro.schema.parse(schema if isinstance(schema, str) else json.dumps(schema))
    return crc64_avro(schema.canonical_form.encode("utf-8"))
