"""Schema-registry framing: writer schemas fetched by id from a Confluent-compatible REST API.

The registry here is a few lines of http.server on a loopback port that serve the two calls
the package makes (GET /schemas/ids/{id}, POST /subjects/{subject}/versions) as Confluent's API
documents them; the real-registry test (Apicurio) belongs to the job's registry support.
"""

import base64
import http.server
import io
import json
import socket
import threading

import avro.io
import avro.schema
import pytest

import edgestream
from edgestream import schemas, wire
from edgestream.registry import RegistryError, SchemaRegistry
from samples import RECORDS, dead_letter, feature_map_tile

USER, PASSWORD = "camera-team", "s3cret-Pa55"


class Registry:
    """Schemas by id, the requests seen, and optional basic-auth credentials."""

    def __init__(self, auth=None):
        self.schemas = {}
        self.subjects = {}
        self.gets = []
        self.auth = auth
        registry = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _authorised(self):
                if registry.auth is None:
                    return True
                token = base64.b64encode(registry.auth.encode()).decode()
                if self.headers.get("Authorization") == f"Basic {token}":
                    return True
                self._send(401, {"error_code": 401, "message": "Unauthorized"})
                return False

            def _send(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if not self._authorised():
                    return
                parts = self.path.strip("/").split("/")
                if parts[:2] == ["schemas", "ids"] and len(parts) == 3:
                    registry.gets.append(int(parts[2]))
                    text = registry.schemas.get(int(parts[2]))
                    if text is not None:
                        return self._send(200, {"schema": text})
                    return self._send(404, {"error_code": 40403, "message": "Schema not found"})
                self._send(404, {"error_code": 404, "message": "HTTP 404 Not Found"})

            def do_POST(self):
                if not self._authorised():
                    return
                parts = self.path.strip("/").split("/")
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if parts[0] == "subjects" and parts[2:] == ["versions"]:
                    text = body["schema"]
                    for sid, known in registry.schemas.items():
                        if avro.schema.parse(known) == avro.schema.parse(text):
                            break
                    else:
                        sid = 100 + len(registry.schemas)
                        registry.schemas[sid] = text
                    registry.subjects.setdefault(parts[1], []).append(sid)
                    return self._send(200, {"id": sid})
                self._send(404, {"error_code": 404, "message": "HTTP 404 Not Found"})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def registry():
    r = Registry()
    yield r
    r.close()


@pytest.fixture
def secured():
    r = Registry(auth=f"{USER}:{PASSWORD}")
    yield r
    r.close()


def framed(schema_id, name, record):
    """A registry-framed value: 00, the id, the body in the current schema."""
    return wire.registry_header(schema_id) + wire.Codec().body(name, record)


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_registry_framed_values_decode_like_single_object_ones(registry, name):
    registry.schemas[7] = str(schemas.current(name))
    record = RECORDS[name]()
    codec = edgestream.Codec(SchemaRegistry(registry.url))
    d = codec.decode(framed(7, name, record))
    assert (d.name, d.wire_format, d.writer) == (name, "registry", "schema id 7")
    assert d.record == record
    # The single-object value of the same record decodes to the same dict.
    assert codec.decode(edgestream.encode(name, record)).record == record


def test_a_schema_id_is_fetched_once(registry):
    registry.schemas[3] = str(schemas.current("FeatureMapTile"))
    codec = edgestream.Codec(SchemaRegistry(registry.url))
    for _ in range(5):
        codec.decode(framed(3, "FeatureMapTile", feature_map_tile()))
    assert registry.gets == [3]


def test_an_older_writer_version_from_the_registry_resolves_with_defaults(registry):
    v1 = dict(schemas.versions("FeatureMapTile"))[1]
    registry.schemas[11] = str(v1)
    tile = feature_map_tile()
    out = io.BytesIO()
    avro.io.DatumWriter(v1).write(
        {f.name: tile[f.name] for f in v1.fields}, avro.io.BinaryEncoder(out)
    )
    codec = edgestream.Codec(SchemaRegistry(registry.url))
    record = codec.decode(wire.registry_header(11) + out.getvalue()).record
    assert record["data"] == tile["data"]
    assert (record["sequence"], record["scale"], record["offset"]) == (-1, 1.0, 0.0)


def test_a_newer_dead_letter_reason_reads_as_the_enum_default(registry):
    # A writer that added a reason symbol this reader lacks: Avro's rule maps it to the enum's
    # default (PROCESSING_ERROR), as the Java reader does.
    newer = json.loads(str(schemas.current("DeadLetter")))
    for f in newer["fields"]:
        if f["name"] == "reason":
            f["type"]["symbols"].append("FROM_THE_FUTURE")
    registry.schemas[21] = json.dumps(newer)
    writer = avro.schema.parse(json.dumps(newer))
    out = io.BytesIO()
    avro.io.DatumWriter(writer).write(
        dict(dead_letter(), reason="FROM_THE_FUTURE"), avro.io.BinaryEncoder(out)
    )
    codec = edgestream.Codec(SchemaRegistry(registry.url))
    assert codec.decode(wire.registry_header(21) + out.getvalue()).record["reason"] == (
        "PROCESSING_ERROR"
    )


def test_an_unknown_schema_id_fails_as_unknown_schema(registry):
    codec = edgestream.Codec(SchemaRegistry(registry.url))
    with pytest.raises(edgestream.WireFormatError) as e:
        codec.decode(framed(404, "EdgeStats", RECORDS["EdgeStats"]()))
    assert e.value.reason == "UNKNOWN_SCHEMA"
    assert "schema id 404 is unknown" in str(e.value) and "Schema not found" in str(e.value)


def test_a_schema_that_is_not_a_record_of_the_contract_fails_as_unknown_schema(registry):
    registry.schemas[5] = json.dumps(
        {"type": "record", "name": "Other", "fields": [{"name": "a", "type": "int"}]}
    )
    codec = edgestream.Codec(SchemaRegistry(registry.url))
    with pytest.raises(edgestream.WireFormatError) as e:
        codec.decode(wire.registry_header(5) + b"\x02")
    assert e.value.reason == "UNKNOWN_SCHEMA"
    assert "not a record of the contract" in str(e.value)


def test_an_incompatible_writer_schema_fails_as_unknown_schema(registry):
    # The same record name, but `width` became a string: our reader cannot resolve it.
    bad = json.loads(str(schemas.current("ImageFrame")))
    for f in bad["fields"]:
        if f["name"] == "width":
            f["type"] = "string"
    registry.schemas[6] = json.dumps(bad)
    codec = edgestream.Codec(SchemaRegistry(registry.url))
    with pytest.raises(edgestream.WireFormatError) as e:
        codec.decode(wire.registry_header(6) + b"\x00")
    assert e.value.reason == "UNKNOWN_SCHEMA"
    assert "cannot be read with the current ImageFrame schema" in str(e.value)


def test_an_unreachable_registry_is_a_registry_error_not_a_record_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    codec = edgestream.Codec(SchemaRegistry(f"http://127.0.0.1:{port}", timeout=5))
    with pytest.raises(RegistryError) as e:
        codec.decode(framed(1, "EdgeStats", RECORDS["EdgeStats"]()))
    assert "cannot be reached" in str(e.value)
    assert not isinstance(e.value, edgestream.WireFormatError)


def test_credentials_are_sent_and_never_shown(secured):
    secured.schemas[8] = str(schemas.current("EdgeStats"))
    for client in (
        SchemaRegistry(secured.url, username=USER, password=PASSWORD),
        SchemaRegistry(secured.url, user_info=f"{USER}:{PASSWORD}"),
        SchemaRegistry(secured.url.replace("http://", f"http://{USER}:{PASSWORD}@")),
    ):
        assert PASSWORD not in repr(client) and PASSWORD not in client.url
        assert "basic auth" in repr(client)
        record = edgestream.Codec(client).decode(framed(8, "EdgeStats", RECORDS["EdgeStats"]()))
        assert record.record == RECORDS["EdgeStats"]()
    wrong = SchemaRegistry(secured.url, username=USER, password="wrong-" + PASSWORD)
    with pytest.raises(RegistryError) as e:
        edgestream.Codec(wrong).decode(framed(8, "EdgeStats", RECORDS["EdgeStats"]()))
    assert "HTTP 401" in str(e.value) and "credentials" in str(e.value)
    assert PASSWORD not in str(e.value) and PASSWORD not in repr(e.value)
    with pytest.raises(ValueError) as e:
        SchemaRegistry(f"ftp://{USER}:{PASSWORD}@host/")
    assert PASSWORD not in str(e.value)


def test_registering_the_current_schema_gives_an_id_to_frame_values_with(registry):
    client = SchemaRegistry(registry.url)
    sid = client.register("images-value", schemas.current("ImageFrame"))
    assert client.register("images-value", schemas.current("ImageFrame")) == sid
    assert registry.subjects["images-value"] == [sid, sid]
    frame = RECORDS["ImageFrame"]()
    value = edgestream.encode_frame(frame, wire_format="registry", schema_id=sid)
    assert value[:5] == b"\x00" + sid.to_bytes(4, "big")
    # A fresh client fetches the schema by id like any registry-aware reader.
    assert edgestream.Codec(SchemaRegistry(registry.url)).decode(value).record == frame
