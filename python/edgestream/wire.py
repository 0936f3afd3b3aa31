"""Kafka record values of the contract, in either wire format, to and from Python dicts.

Two wire formats exist:

* **single-object** (the pipeline's default): ``C3 01`` | the 8-byte little-endian CRC-64-AVRO
  fingerprint of the writer schema | the Avro binary body. The fingerprint selects the writer
  schema among every released version of the contract (:mod:`edgestream.schemas`).
* **registry** (Confluent framing, written by schema-registry serializers): ``00`` | the 4-byte
  big-endian schema id | the Avro binary body. The writer schema is fetched by id from a
  Confluent-compatible registry (:class:`edgestream.registry.SchemaRegistry`), once per id.

Either way the body is resolved into the current schema of the record, so records written with
an older version get the defaults of fields added later, exactly as the Java ``AvroWire`` does.
Failures raise :class:`WireFormatError` whose ``reason`` is the ``DeadLetterReason`` the job
would give the same value: ``NOT_WIRE_FORMAT``, ``UNKNOWN_SCHEMA`` or ``MALFORMED_RECORD``.
"""

import dataclasses
import io
import json
import struct

import avro.compatibility
import avro.errors
import avro.io
import avro.schema

from . import schemas

SINGLE_OBJECT = "single-object"
REGISTRY = "registry"
WIRE_FORMATS = (SINGLE_OBJECT, REGISTRY)

MAGIC = b"\xc3\x01"
SINGLE_OBJECT_HEADER = 10
REGISTRY_MAGIC = b"\x00"
REGISTRY_HEADER = 5


class WireFormatError(ValueError):
    """A value that cannot be decoded; ``reason`` is the job's ``DeadLetterReason`` for it."""

    def __init__(self, reason, message):
        super().__init__(f"{reason}: {message}")
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class Decoded:
    """One decoded value: the record's name, its fields as a dict (in the current schema), the
    wire format, and which writer schema it had (``"FeatureMapTile v3"`` or ``"schema id 7"``)."""

    name: str
    record: dict
    wire_format: str
    writer: str


class _Reader(avro.io.DatumReader):
    """Avro's reader, plus the rule Java applies and python3-avro 1.11 does not: a writer's enum
    symbol the reader lacks becomes the reader enum's default, when it has one."""

    def read_enum(self, writers_schema, readers_schema, decoder):
        index = decoder.read_int()
        if not 0 <= index < len(writers_schema.symbols):
            raise avro.errors.InvalidAvroBinaryEncoding(
                f"enum index {index} out of range for {writers_schema.fullname}"
                f" ({len(writers_schema.symbols)} symbols)"
            )
        symbol = writers_schema.symbols[index]
        if symbol in readers_schema.symbols:
            return symbol
        default = readers_schema.props.get("default")
        if default is not None:
            return default
        raise avro.errors.SchemaResolutionException(
            f"symbol {symbol} of {writers_schema.fullname} is unknown to this reader and the enum"
            " has no default",
            writers_schema,
            readers_schema,
        )


class Codec:
    """Decodes values of either wire format and encodes values in either.

    ``registry`` is a :class:`edgestream.registry.SchemaRegistry`; without one, registry-framed
    values fail as ``UNKNOWN_SCHEMA`` with a message saying so. One codec caches its readers; it
    is cheap to keep one per consumer loop.
    """

    def __init__(self, registry=None):
        self.registry = registry
        # fingerprint -> (record name, version, writer schema)
        self._writers = {}
        for name in schemas.RECORDS:
            for version, schema in schemas.versions(name):
                self._writers.setdefault(schemas.fingerprint(schema), (name, version, schema))
            self._writers.setdefault(
                schemas.fingerprint(schemas.current(name)), (name, None, schemas.current(name))
            )
        self._readers = {}  # writer key -> (record name, DatumReader)
        self._registry_writers = {}

    # ---- decoding

    def decode(self, value, expected=None):
        """Decodes one value (bytes) of either wire format into a :class:`Decoded`.

        ``expected``: a record name; a value of another record fails as ``UNKNOWN_SCHEMA``.
        """
        if value is None or len(value) < 1:
            raise WireFormatError(
                "NOT_WIRE_FORMAT",
                "the value is empty (null); expected Avro single-object encoding (C3 01 ...) or"
                " schema-registry framing (00 ...)",
            )
        value = bytes(value)
        if value[:2] == MAGIC and len(value) >= SINGLE_OBJECT_HEADER:
            fp = struct.unpack_from("<Q", value, 2)[0]
            known = self._writers.get(fp)
            if known is None:
                raise WireFormatError(
                    "UNKNOWN_SCHEMA",
                    f"schema fingerprint {fp:016x} is not a version of any record of the"
                    f" contract ({_expected(expected)}); the producer uses a schema this reader"
                    " does not have (upgrade the edgestream package), or writes another record"
                    " type to this topic",
                )
            name, version, writer = known
            label = f"{name} v{version}" if version else f"{name} (current)"
            key = ("fp", fp)
            body_at = SINGLE_OBJECT_HEADER
            wire = SINGLE_OBJECT
        elif value[:1] == REGISTRY_MAGIC and len(value) >= REGISTRY_HEADER:
            schema_id = struct.unpack_from(">I", value, 1)[0]
            name, writer = self._registry_writer(schema_id)
            label = f"schema id {schema_id}"
            key = ("id", schema_id)
            body_at = REGISTRY_HEADER
            wire = REGISTRY
        else:
            raise WireFormatError(
                "NOT_WIRE_FORMAT",
                f"the {len(value)}-byte value starts with {value[:2].hex(' ') or 'nothing'}:"
                " neither Avro single-object encoding (C3 01 + 8-byte fingerprint) nor"
                " schema-registry framing (00 + 4-byte schema id)",
            )
        if expected is not None and name != expected:
            raise WireFormatError(
                "UNKNOWN_SCHEMA",
                f"the value is a {name} ({label}), expected a {expected}; is this the right"
                " topic?",
            )
        reader = self._reader(key, name, writer)
        body = io.BytesIO(value)
        body.seek(body_at)
        try:
            record = reader.read(avro.io.BinaryDecoder(body))
        except avro.errors.SchemaResolutionException as e:
            raise WireFormatError(
                "UNKNOWN_SCHEMA", f"{name} ({label}) cannot be read with the current schema: {e}"
            ) from e
        except (avro.errors.AvroException, EOFError, ValueError, struct.error, IndexError) as e:
            raise WireFormatError(
                "MALFORMED_RECORD", f"{name} body ({label}) is truncated or corrupt: {e}"
            ) from e
        left = len(value) - body.tell()
        if left:
            raise WireFormatError(
                "MALFORMED_RECORD",
                f"{name} body ({label}) ends {left} bytes before the end of the {len(value)}-byte"
                " value; the value is corrupt or was written with another schema than its"
                " header says",
            )
        return Decoded(name, record, wire, label)

    def _reader(self, key, name, writer):
        cached = self._readers.get(key)
        if cached is None:
            cached = _Reader(writer, schemas.current(name))
            self._readers[key] = cached
        return cached

    def _registry_writer(self, schema_id):
        if self.registry is None:
            raise WireFormatError(
                "UNKNOWN_SCHEMA",
                f"the value is schema-registry framed (schema id {schema_id}) but no registry is"
                " configured: pass registry=SchemaRegistry(url) (CLI: --registry URL)",
            )
        cached = self._registry_writers.get(schema_id)
        if cached is not None:
            return cached
        text = self.registry.schema(schema_id)  # raises WireFormatError for unknown ids
        try:
            writer = avro.schema.parse(text)
        except (avro.errors.AvroException, json.JSONDecodeError) as e:
            raise WireFormatError(
                "UNKNOWN_SCHEMA",
                f"schema id {schema_id} of {self.registry} is not a valid Avro schema: {e}",
            ) from e
        full = getattr(writer, "fullname", None) or ""
        name = full.rsplit(".", 1)[-1]
        if name not in schemas.RECORDS:
            raise WireFormatError(
                "UNKNOWN_SCHEMA",
                f"schema id {schema_id} is {full or writer.type!r}, not a record of the contract"
                f" ({', '.join(schemas.RECORDS)})",
            )
        result = avro.compatibility.ReaderWriterCompatibilityChecker().get_compatibility(
            schemas.current(name), writer
        )
        if result.compatibility is not avro.compatibility.SchemaCompatibilityType.compatible:
            raise WireFormatError(
                "UNKNOWN_SCHEMA",
                f"schema id {schema_id} ({full}) cannot be read with the current {name} schema:"
                f" {'; '.join(result.messages)} at {', '.join(result.locations)}",
            )
        self._registry_writers[schema_id] = (name, writer)
        return name, writer

    # ---- encoding

    def body(self, name, record):
        """The Avro binary body of ``record`` (a dict) in the current schema of ``name``."""
        out = io.BytesIO()
        try:
            avro.io.DatumWriter(schemas.current(name)).write(record, avro.io.BinaryEncoder(out))
        except avro.errors.AvroTypeException as e:
            raise ValueError(
                f"cannot encode this {name}: it does not match the current schema ({e}); set"
                " every field without a default, with the schema's types"
            ) from e
        return out.getvalue()

    def encode(self, name, record, wire_format=SINGLE_OBJECT, schema_id=None):
        """``record`` (a dict) as a Kafka value in the current schema of ``name``.

        ``wire_format`` ``"single-object"`` (default) or ``"registry"``; the registry framing
        needs ``schema_id``, the id the registry gave the current schema (see
        :meth:`edgestream.registry.SchemaRegistry.register`).
        """
        if wire_format == SINGLE_OBJECT:
            return single_object_header(name) + self.body(name, record)
        if wire_format == REGISTRY:
            if schema_id is None:
                raise ValueError(
                    "registry framing needs the schema id: register the schema first"
                    " (SchemaRegistry.register(subject, edgestream.schemas.current(name)))"
                )
            return registry_header(schema_id) + self.body(name, record)
        raise ValueError(f"unknown wire format {wire_format!r}; known: {WIRE_FORMATS}")


def single_object_header(name):
    """The 10-byte single-object header of the current schema of record ``name``."""
    return MAGIC + struct.pack("<Q", schemas.fingerprint(schemas.current(name)))


def registry_header(schema_id):
    """The 5-byte registry framing header for ``schema_id``."""
    if not 0 <= schema_id < 2**32:
        raise ValueError(f"schema id {schema_id} does not fit 4 bytes")
    return REGISTRY_MAGIC + struct.pack(">I", schema_id)


def _expected(expected):
    return f"expected a {expected}" if expected else "any record"


_DEFAULT = None


def _default_codec():
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Codec()
    return _DEFAULT


def decode(value, expected=None, registry=None):
    """Decodes one value of either wire format; see :meth:`Codec.decode`. With ``registry``
    (a :class:`edgestream.registry.SchemaRegistry`), keep one :class:`Codec` instead so its
    cache of writer schemas is reused."""
    codec = Codec(registry) if registry is not None else _default_codec()
    return codec.decode(value, expected)


def encode(name, record, wire_format=SINGLE_OBJECT, schema_id=None):
    """Encodes ``record`` of ``name`` in the current schema; see :meth:`Codec.encode`."""
    return _default_codec().encode(name, record, wire_format, schema_id)
