"""A small client of a Confluent-compatible schema registry's REST API (Confluent Schema
Registry, Apicurio's ``/apis/ccompat/v7``, Karapace, Redpanda), with the standard library only.

Only what the wire format needs: the writer schema of a schema id (``GET /schemas/ids/{id}``,
cached: a schema id never changes its schema) and registering a schema under a subject
(``POST /subjects/{subject}/versions``). Credentials (HTTP basic auth) are sent, never shown:
neither ``repr()`` nor any error message contains them.
"""

import base64
import json
import threading
import urllib.error
import urllib.parse
import urllib.request

from .wire import WireFormatError

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


class RegistryError(RuntimeError):
    """The registry could not be asked (unreachable, refused, not a registry's answer): retry or
    fix the URL or credentials; unlike an unknown schema id, this says nothing about the record."""


class SchemaRegistry:
    """The registry at ``url`` (e.g. ``http://localhost:8081`` or
    ``http://localhost:8080/apis/ccompat/v7``).

    Credentials for basic auth: ``username``/``password``, or ``user_info="user:password"``, or
    in the URL (``http://user:password@host:port``); they are taken out of the URL and kept
    apart from it.
    """

    def __init__(self, url, *, username=None, password=None, user_info=None, timeout=10.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "registry URL must be http(s)://host[:port][/path], got"
                f" {_without_credentials(url)!r}"
            )
        if parts.username is not None:
            username = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "")
        if user_info is not None:
            username, _, password = user_info.partition(":")
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.url = urllib.parse.urlunsplit(
            (parts.scheme, host, parts.path.rstrip("/"), "", "")
        )
        self._auth = None
        if username is not None:
            token = base64.b64encode(f"{username}:{password or ''}".encode("utf-8")).decode("ascii")
            self._auth = f"Basic {token}"
        self.timeout = timeout
        self._schemas = {}
        self._lock = threading.Lock()

    def __repr__(self):
        return f"SchemaRegistry({self.url!r}{', basic auth' if self._auth else ''})"

    __str__ = __repr__

    def schema(self, schema_id):
        """The schema (JSON text) registered with ``schema_id``; fetched once, then cached.

        Raises :class:`WireFormatError` ``UNKNOWN_SCHEMA`` if the registry does not know the
        id, :class:`RegistryError` if the registry cannot be asked.
        """
        with self._lock:
            cached = self._schemas.get(schema_id)
        if cached is not None:
            return cached
        try:
            answer = self._request("GET", f"/schemas/ids/{int(schema_id)}")
        except _NotFound as e:
            raise WireFormatError(
                "UNKNOWN_SCHEMA", f"schema id {schema_id} is unknown to {self}: {e}"
            ) from e
        schema_type = answer.get("schemaType", "AVRO")
        if schema_type != "AVRO" or not isinstance(answer.get("schema"), str):
            raise WireFormatError(
                "UNKNOWN_SCHEMA",
                f"schema id {schema_id} of {self} is not an Avro schema (schemaType {schema_type})",
            )
        with self._lock:
            self._schemas[schema_id] = answer["schema"]
        return answer["schema"]

    def register(self, subject, schema):
        """Registers ``schema`` (an avro Schema, a dict or JSON text) under ``subject`` (for the
        value of topic T, TopicNameStrategy's ``T-value``) and returns its id; registering a
        schema the subject already has returns the existing id."""
        text = schema if isinstance(schema, str) else json.dumps(
            schema.to_json() if hasattr(schema, "to_json") else schema
        )
        subject_path = urllib.parse.quote(subject, safe="")
        answer = self._request("POST", f"/subjects/{subject_path}/versions", {"schema": text})
        if not isinstance(answer.get("id"), int):
            raise RegistryError(f"{self} answered the registration of {subject} without an id")
        with self._lock:
            self._schemas[answer["id"]] = text
        return answer["id"]

    def _request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Accept", CONTENT_TYPE + ", application/json")
        if data is not None:
            req.add_header("Content-Type", CONTENT_TYPE)
        if self._auth:
            req.add_header("Authorization", self._auth)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            detail = _error_detail(e)
            if e.code == 404:
                raise _NotFound(detail) from e
            if e.code in (401, 403):
                raise RegistryError(
                    f"{method} {self.url}{path}: HTTP {e.code} ({detail}); check the registry"
                    " credentials"
                ) from e
            raise RegistryError(f"{method} {self.url}{path}: HTTP {e.code} ({detail})") from e
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise RegistryError(
                f"{method} {self.url}{path}: the registry cannot be reached ({reason}); is it"
                " running at that address?"
            ) from e
        try:
            return json.loads(raw)
        except ValueError as e:
            raise RegistryError(
                f"{method} {self.url}{path}: the answer is not JSON ({raw[:80]!r}); is this a"
                " schema registry's Confluent-compatible API?"
            ) from e


class _NotFound(Exception):
    pass


def _error_detail(e):
    try:
        body = json.loads(e.read() or b"{}")
        return body.get("message") or f"error_code {body.get('error_code')}"
    except ValueError:
        return e.reason


def _without_credentials(url):
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url
    host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, "******@" + host, parts.path, "", ""))
