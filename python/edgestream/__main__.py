"""Command line: ``python3 -m edgestream push|read|decode`` (``--help`` on each).

Exit codes: 0 done; 1 not everything was done (files skipped, frames not delivered, fewer
maps than expected before the timeout); 2 bad usage.
"""

import argparse
import hashlib
import json
import os
import pathlib
import re
import sys
import time
import unicodedata

import numpy as np

from . import wire
from .registry import SchemaRegistry

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
REGISTRY_USER_INFO_ENV = "EDGESTREAM_REGISTRY_USER_INFO"


def main(argv=None):
    args = _parser().parse_args(argv)
    from confluent_kafka import KafkaException

    from .kafka import DeliveryError
    from .registry import RegistryError

    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except _Usage as e:
        print(f"usage error: {e}", file=sys.stderr)
        return 2
    except (
        wire.WireFormatError,
        RegistryError,
        DeliveryError,
        KafkaException,
        TimeoutError,
        ValueError,
        OSError,
    ) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


class _Usage(Exception):
    pass


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m edgestream",
        description="Push images to the edgestream pipeline and read its feature maps.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    push = sub.add_parser("push", help="send image files and .npy arrays as ImageFrames")
    _kafka_options(push)
    push.add_argument("paths", nargs="+", metavar="PATH", help="image files, .npy files, folders")
    push.add_argument("--topic", default="images")
    push.add_argument("--source-id", default="python", help="sourceId and key of every frame")
    push.add_argument("--batch-id", default=None)
    push.add_argument("--attr", action="append", default=[], metavar="KEY=VALUE")
    push.add_argument(
        "--wire-format",
        choices=wire.WIRE_FORMATS,
        default=wire.SINGLE_OBJECT,
        help="registry: register ImageFrame under TOPIC-value and frame values with its id",
    )
    push.set_defaults(run=_push)

    read = sub.add_parser("read", help="read complete maps (as .npy) with their stats")
    _kafka_options(read)
    read.add_argument("--maps-topic", default="edge-maps")
    read.add_argument("--stats-topic", default="edge-stats")
    read.add_argument("--dlq-topic", default="images-dlq")
    read.add_argument("--out", type=pathlib.Path, default=pathlib.Path("out"))
    read.add_argument("--maps", type=int, default=None, help="stop after this many maps")
    read.add_argument("--dead-letters", type=int, default=None, help="... and dead letters")
    read.add_argument("--timeout", type=float, default=None, help="stop after SECONDS")
    read.add_argument("--idle-timeout", type=float, default=None, help="stop after SECONDS idle")
    read.add_argument("--max-pending", type=int, default=64)
    read.add_argument("--max-age", type=float, default=300.0, help="seconds")
    read.set_defaults(run=_read)

    dec = sub.add_parser("decode", help="decode raw Kafka values saved in files")
    dec.add_argument("files", nargs="+", type=pathlib.Path)
    dec.add_argument("--registry", default=None, metavar="URL")
    dec.set_defaults(run=_decode)
    return p


def _kafka_options(p):
    p.add_argument(
        "-b",
        "--bootstrap",
        default=os.environ.get("EDGESTREAM_BOOTSTRAP", DEFAULT_BOOTSTRAP),
        help=f"Kafka bootstrap servers (default $EDGESTREAM_BOOTSTRAP or {DEFAULT_BOOTSTRAP})",
    )
    p.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a librdkafka setting (repeatable); secrets belong in --config-file",
    )
    p.add_argument("--config-file", type=pathlib.Path, help="librdkafka settings, KEY=VALUE lines")
    p.add_argument(
        "--registry",
        default=None,
        metavar="URL",
        help="schema registry (Confluent-compatible API); credentials from"
        f" ${REGISTRY_USER_INFO_ENV}",
    )


def _pairs(items, what):
    out = {}
    for item in items:
        k, sep, v = item.partition("=")
        if not sep or not k:
            raise _Usage(f"{what} {item!r} is not KEY=VALUE")
        out[k.strip()] = v.strip()
    return out


def _settings(args):
    settings = {}
    if args.config_file:
        lines = args.config_file.read_text(encoding="utf-8").splitlines()
        settings.update(
            _pairs([x for x in lines if x.strip() and not x.lstrip().startswith("#")], "setting")
        )
    settings.update(_pairs(args.config, "--config"))
    return settings


def _registry(args):
    if not args.registry:
        return None
    return SchemaRegistry(args.registry, user_info=os.environ.get(REGISTRY_USER_INFO_ENV))


def _push(args):
    from . import frames
    from .kafka import FrameProducer

    schema_id = None
    if args.wire_format == wire.REGISTRY:
        registry = _registry(args)
        if registry is None:
            raise _Usage("--wire-format registry needs --registry URL")
        from . import schemas

        schema_id = registry.register(f"{args.topic}-value", schemas.current("ImageFrame"))
    files = []
    for p in map(pathlib.Path, args.paths):
        files.extend(frames.image_files(p) if p.is_dir() else [p])
    attributes = _pairs(args.attr, "--attr")
    skipped = 0
    with FrameProducer(
        args.bootstrap,
        topic=args.topic,
        config=_settings(args),
        wire_format=args.wire_format,
        schema_id=schema_id,
    ) as producer:
        built = {}
        for seq, path in enumerate(files):
            try:
                frame = frames.frame_from_file(
                    path,
                    source_id=args.source_id,
                    sequence=seq,
                    batch_id=args.batch_id,
                    attributes=attributes,
                )
            except (ValueError, OSError) as e:
                print(f"skipped {path}: {e}", file=sys.stderr)
                skipped += 1
                continue
            producer.send(frame, origin=str(path))
            built[frame["imageId"]] = frame
        sent = producer.flush()
    for s in sent:
        f = built[s.image_id]
        print(
            json.dumps(
                {
                    "imageId": s.image_id,
                    "file": s.origin,
                    "encoding": f["encoding"],
                    "pixelFormat": f["pixelFormat"],
                    "width": f["width"],
                    "height": f["height"],
                    "bytes": len(f["data"]),
                    "topic": s.topic,
                    "partition": s.partition,
                    "offset": s.offset,
                }
            )
        )
    print(f"sent {len(sent)} frame(s) to {args.topic}, skipped {skipped}", file=sys.stderr)
    return 0 if skipped == 0 else 1


def _read(args):
    from .kafka import EdgeMap, EdgeReader

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    n_maps = n_dead = 0
    with EdgeReader(
        args.bootstrap,
        maps_topic=args.maps_topic,
        stats_topic=args.stats_topic or None,
        dlq_topic=args.dlq_topic or None,
        config=_settings(args),
        registry=_registry(args),
        max_pending=args.max_pending,
        max_age_s=args.max_age,
    ) as reader, open(out / "maps.jsonl", "w", encoding="utf-8") as maps_log, open(
        out / "dead-letters.jsonl", "w", encoding="utf-8"
    ) as dlq_log:
        for item in reader.read(
            max_maps=args.maps,
            max_dead_letters=args.dead_letters,
            timeout=args.timeout,
            idle_timeout=args.idle_timeout,
        ):
            if isinstance(item, EdgeMap):
                source_name = (item.stats or {}).get("sourceName")
                folder = out / dir_name(item.image_id, source_name)
                folder.mkdir(exist_ok=True)
                path = folder / f"{file_base(item.filter)}.npy"
                a = item.array
                np.save(path, a[:, :, 0] if a.shape[2] == 1 else a)
                line = {
                    "imageId": item.image_id,
                    "sourceName": source_name,
                    "filter": item.filter,
                    "file": str(path.relative_to(out)),
                    "shape": list(a.shape),
                    "dataType": item.map.data_type,
                    "stats": item.stats,
                }
                maps_log.write(json.dumps(line) + "\n")
                maps_log.flush()
                n_maps += 1
                print(f"map {item.image_id} {item.filter} {a.shape} -> {path}")
            else:
                dlq_log.write(json.dumps(_printable(item.record)) + "\n")
                dlq_log.flush()
                n_dead += 1
                print(f"dead letter {item.image_id}: {item.reason}: {item.message}")
        evicted = len(reader.evictions)
        pending = reader.pending
    print(
        f"read {n_maps} map(s), {n_dead} dead letter(s), gave up on {evicted} incomplete, "
        f"{pending} pending, in {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    short = (args.maps is not None and n_maps < args.maps) or (
        args.dead_letters is not None and n_dead < args.dead_letters
    )
    return 1 if short else 0


def _decode(args):
    codec = wire.Codec(_registry(args))
    status = 0
    for path in args.files:
        try:
            d = codec.decode(path.read_bytes())
        except wire.WireFormatError as e:
            print(f"{path}: {e}", file=sys.stderr)
            status = 1
            continue
        print(f"{path}: {d.name} ({d.wire_format}, {d.writer}) {json.dumps(_printable(d.record))}")
    return status


def _printable(record):
    def show(v):
        if isinstance(v, bytes):
            return f"<{len(v)} bytes>"
        if isinstance(v, dict):
            return {k: show(x) for k, x in v.items()}
        if isinstance(v, list):
            return [show(x) for x in v]
        return v

    return show(record)


_SAFE = re.compile(r"[A-Za-z0-9._-]")


def safe_name(name):
    """A file name for a free-text id, as the Java consumer makes it (SafeNames): kept as it is
    if only ``A-Z a-z 0-9 . _ -``, not starting with ``.``, at most 100 characters and not a
    Windows device name; otherwise other characters become ``_``, cut to 100, a ``_`` put before
    a device name, plus ``~`` and 10 hex digits of its SHA-256."""
    # Java counts UTF-16 units: a character outside the BMP is two, each replaced.
    units = [c if ord(c) <= 0xFFFF else "\0\0" for c in name]
    units = [u for c in units for u in c]
    if (
        units
        and len(units) <= 100
        and units[0] != "."
        and all(_SAFE.match(c) for c in units)
        and not _reserved(name)
    ):
        return name
    return _changed(name)


def _changed(name):
    """The Java consumer's ``SafeNames.changed``: the changed form whether or not ``name`` is
    safe."""
    units = [u for c in name for u in (c if ord(c) <= 0xFFFF else "\0\0")]
    kept = "".join(
        c if _SAFE.match(c) and not (i == 0 and c == ".") else "_" for i, c in enumerate(units)
    )[:100]
    if _reserved(kept):
        kept = "_" + kept
    return kept + "~" + _hash(name)


#: Files of the Java consumer's output folder (OutputDir) and of this reader's: no image folder
#: takes their names. ``maps.jsonl`` is this reader's own (the Java consumer does not avoid it).
_OUT_FILES = ("stats.jsonl", "index.html", "dead-letters.jsonl", "maps.jsonl")

#: Java's Character.isLetterOrDigit: letters (Lu Ll Lt Lm Lo) and decimal digits (Nd) only, so
#: not ``²`` or ``Ⅻ``, which Python's str.isalnum keeps.
_LETTER_OR_DIGIT = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Nd"))
_MARK = frozenset(("Mn", "Mc"))
# Java's Character.isWhitespace, which String.isBlank uses: separators but the no-break ones,
# and these controls.
_JAVA_SPACE_CONTROLS = frozenset("\t\n\u000b\f\r\u001c\u001d\u001e\u001f")
_NO_BREAK = frozenset("\u00a0\u2007\u202f")


def dir_name(image_id, source_name=None):
    """The folder of an image's maps, as the Java consumer names it (``OutputDir.dirName``):
    with a file name (``EdgeStats.sourceName``), that name made safe plus ``~`` and 10 hex
    digits of the SHA-256 of the image id, e.g. ``board.jpg~`` and 10 hex digits (see
    :func:`named`); without one (``None`` or blank), :func:`safe_name` of the id, never the name
    of a file in the output folder (``stats.jsonl``, ``index.html``, ``dead-letters.jsonl``,
    ``maps.jsonl``, ignoring case)."""
    if source_name is None or _java_blank(source_name):
        return _not_one_of(image_id, _OUT_FILES)
    return named(source_name, image_id)


def file_base(filter_name):
    """The file base of a filter's map (``<base>.npy``), as the Java consumer's
    ``OutputDir.fileBase``: :func:`safe_name`, but never ``original`` (the thumbnail's)."""
    return _not_one_of(filter_name, ("original",))


def named(name, image_id):
    """The Java consumer's ``SafeNames.named``: ``name`` NFC-normalised; letters and digits of any
    script kept, and combining marks after a kept character; ``A-Z a-z 0-9 . _ -`` kept; every
    other character ``_``; cut to 100 UTF-8 bytes between characters; a leading ``.`` made ``_``;
    a ``_`` put before a Windows device name; then ``~`` and 10 hex digits of the SHA-256 of
    ``image_id``."""
    kept = []
    size = 0
    for c in unicodedata.normalize("NFC", name):
        if ord(c) < 0x80:
            keep = _SAFE.match(c) is not None
        else:
            category = unicodedata.category(c)
            keep = category in _LETTER_OR_DIGIT or (
                bool(kept) and category in _MARK and kept[-1] != "_"
            )
        c = c if keep else "_"
        n = len(c.encode("utf-8"))
        if size + n > 100:
            break
        kept.append(c)
        size += n
    if kept and kept[0] == ".":
        kept[0] = "_"
    s = "".join(kept)
    if _reserved(s):
        s = "_" + s
    return s + "~" + _hash(image_id)


def _not_one_of(name, taken):
    safe = safe_name(name)
    if safe.lower() in (t.lower() for t in taken):
        return _changed(name)
    return safe


def _java_blank(s):
    return all(
        c in _JAVA_SPACE_CONTROLS
        or (unicodedata.category(c) in ("Zs", "Zl", "Zp") and c not in _NO_BREAK)
        for c in s
    )


def _hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|(COM|LPT)[0-9\u00b9\u00b2\u00b3])")


def _reserved(name):
    """True if Windows reserves ``name`` for a device (CON, NUL, COM1, ... also with an
    extension, ignoring case), as the Java consumer's ``SafeNames.reserved``."""
    base = re.split(r"[.~]", name, maxsplit=1)[0].rstrip().upper()
    return _RESERVED.fullmatch(base) is not None


if __name__ == "__main__":
    sys.exit(main())
