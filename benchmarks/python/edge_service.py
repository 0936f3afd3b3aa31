#!/usr/bin/env python3
"""A plain Python edge service, written as a user would write one: the comparison peer of the
pipeline benchmark (scripts/bench-pipeline.sh, benchmarks/README.md).

It consumes ImageFrame records from Kafka, decodes the image (RAW with NumPy, JPEG/PNG/BMP/TIFF
with OpenCV), computes the same feature maps as the edge job with its default settings (VALID
padding, stride 1, VOLUME colour mode: a 2-D filter is repeated over the channels and summed, so
the channels are summed first and filtered once; cross-correlation, the same matrices and signs as
docs/convolution.md; gradient filters give sqrt(gx^2 + gy^2)) and the same statistics (min, max,
mean, population stddev, mean |v|, edge threshold 25% of the filter's largest possible response,
edge count, a 64-bin histogram over the filter's theoretical output range, a 36-bin orientation
histogram of the edge pixels for gradient filters, the edge-density grid over the job's tiles),
and produces ONE FeatureMapTile record per map (the whole map as one tile) and one EdgeStats record
per map, Avro single-object encoded with the project's schemas (so every edgestream reader decodes
them).

Delivery is AT LEAST ONCE, not exactly once: the input offsets are committed every --commit-ms
after the producer has flushed everything produced for them (and before partitions are revoked), so
a crash or a rebalance can repeat outputs but never loses one. Run one process per core (the
benchmark does): each process is single-threaded (OpenCV's own thread pool off). The processes
share the input's partitions through one consumer group, or with --member I/N statically (the
benchmark's choice: all processes work from the first image on).

Needs Debian's python3-confluent-kafka, python3-numpy, python3-opencv and python3-avro (Python's
reference Avro library; the single-object header is six lines below).

    edge_service.py --bootstrap HOST:PORT --input images --maps-topic maps --stats-topic stats \
        --group peer [--filters vertical,horizontal,sobel] [--map-types sobel=FLOAT16_LE,...] \
        [--tile-size 256] [--commit-ms 1000] [--member I/N] [--schemas schemas/src/main]
    edge_service.py --compute IMAGE.raw W H C --out DIR [--filters ...] [--tile-size 256]
        (no Kafka: the maps of one RAW 8-bit image as DIR/<filter>.f32 and the statistics as
        DIR/stats.json; the benchmark's test compares them with the imaging core's)

Stops on SIGTERM or SIGINT after committing what it has produced, and prints one JSON line:
{"images": N, "records": N, "value_bytes": N, "cpu_s": S}.
"""

import argparse
import io
import json
import math
import os
import pathlib
import signal
import sys
import time

import cv2
import numpy as np

# ---------------------------------------------------------------------------- filters

# docs/convolution.md, "The named filters": laid over the image as printed (cross-correlation).
KERNELS = {
    "vertical": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "prewitt_x": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "horizontal": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "prewitt_y": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "sobel_x": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "sobel_y": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "scharr_x": [[3, 0, -3], [10, 0, -10], [3, 0, -3]],
    "scharr_y": [[3, 10, 3], [0, 0, 0], [-3, -10, -3]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}
GRADIENTS = {"sobel": ("sobel_x", "sobel_y"), "scharr": ("scharr_x", "scharr_y"),
             "prewitt": ("prewitt_x", "prewitt_y")}
HISTOGRAM_BINS = 64
ORIENTATION_BINS = 36
THRESHOLD_FRACTION = 0.25


def parse_filters(spec):
    """[(name, kernel or None, (kx, ky) or None)] from the job's filters syntax."""
    sep = "," if "|" not in spec and "=" not in spec else "|"
    out = []
    for entry in (e.strip() for e in spec.split(sep)):
        if "=" in entry:
            name, matrix = entry.split("=", 1)
            rows = [[float(v) for v in row.replace(",", " ").split()] for row in matrix.split(";")]
            out.append((name.strip(), np.array(rows, np.float32), None))
        elif entry in GRADIENTS:
            kx, ky = GRADIENTS[entry]
            out.append((entry, None, (np.array(KERNELS[kx], np.float32), np.array(KERNELS[ky], np.float32))))
        elif entry in KERNELS:
            out.append((entry, np.array(KERNELS[entry], np.float32), None))
        else:
            raise SystemExit(f"unknown filter '{entry}'; use {sorted(KERNELS) + sorted(GRADIENTS)} or name=matrix")
    return out


def response_range(kernel, depth, lo, hi):
    """The kernel's smallest and largest response on pixels in [lo, hi], weights repeated depth times."""
    w = kernel.astype(np.float64).ravel()
    return (float(np.minimum(w * lo, w * hi).sum()) * depth, float(np.maximum(w * lo, w * hi).sum()) * depth)


def valid(src, kernel):
    """VALID cross-correlation: anchor (0, 0), then only the positions where the kernel fits."""
    r, c = kernel.shape
    full = cv2.filter2D(src, cv2.CV_32F, kernel, anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)
    return full[: src.shape[0] - r + 1, : src.shape[1] - c + 1]


# ---------------------------------------------------------------------------- images

RAW_FORMATS = {"GRAY8": (np.uint8, 1), "RGB8": (np.uint8, 3), "RGBA8": (np.uint8, 4),
               "GRAY16": ("<u2", 1), "RGB16": ("<u2", 3)}


def decode_image(frame):
    """(h x w x c array, input value range) of an ImageFrame."""
    data = frame["data"]
    if frame["encoding"] == "RAW":
        dtype, ch = RAW_FORMATS[frame["pixelFormat"]]
        img = np.frombuffer(data, dtype).reshape(frame["height"], frame["width"], ch)
    else:
        img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if img is None:
            raise ValueError(f"OpenCV cannot decode image {frame['imageId']} ({frame['encoding']})")
        if img.ndim == 2:
            img = img[:, :, None]
    return img, (0.0, 65535.0 if img.dtype == np.uint16 else 255.0)


def volume_sum(img):
    """VOLUME colour mode: the filter is the same on every channel, so sum the channels first
    (exact in float32 for 8- and 16-bit samples), then filter once."""
    channels = cv2.split(img)
    total = channels[0].astype(np.float32)
    for c in channels[1:]:
        total = cv2.add(total, c, dtype=cv2.CV_32F)
    return total


# ---------------------------------------------------------------------------- statistics

def at_least(threshold):
    """The smallest float32 >= threshold: |v| >= it in float32 exactly when |v| >= threshold."""
    t = np.float32(threshold)
    return t if float(t) >= threshold else np.nextafter(t, np.float32(np.inf))


def edge_stats(m, gx, gy, lo, hi, tile):
    """The EdgeStats numbers of one map, decided as the job decides them
    (io.edgestream.imaging.stats.StatsConfig): the histogram over the filter's theoretical range
    [lo, hi] with bin floor((v - lo) * bins / (hi - lo)) in double, clamped into the end bins; an
    edge is |v| >= 25% of the range's largest magnitude; the density grid has one cell per tile."""
    if not hi > lo:
        hi = lo + 1
    threshold = THRESHOLD_FRACTION * max(abs(lo), abs(hi))
    n = m.size
    low, high = cv2.minMaxLoc(m)[:2]
    mean, std = (float(x[0][0]) for x in cv2.meanStdDev(m))
    edges = np.abs(m) >= at_least(threshold)
    x = (m.astype(np.float64) - lo) * (HISTOGRAM_BINS / (hi - lo))
    np.clip(x, 0, HISTOGRAM_BINS - 1, out=x)
    hist = np.bincount(x.astype(np.intp).ravel(), minlength=HISTOGRAM_BINS)
    orientation = None
    if gx is not None:
        theta = np.arctan2(gy[edges].astype(np.float64), gx[edges].astype(np.float64))
        ob = np.floor((theta + math.pi) * (ORIENTATION_BINS / (2 * math.pi)))
        ob = np.where(theta >= math.pi, 0, np.clip(ob, 0, ORIENTATION_BINS - 1)).astype(np.intp)
        orientation = [int(c) for c in np.bincount(ob, minlength=ORIENTATION_BINS)]
    h, w = m.shape
    rows, cols = np.arange(0, h, tile), np.arange(0, w, tile)
    cell_edges = np.add.reduceat(np.add.reduceat(edges, rows, axis=0, dtype=np.int64), cols, axis=1)
    cell_pixels = np.outer(np.minimum(tile, h - rows), np.minimum(tile, w - cols))
    density = (cell_edges / cell_pixels).astype(np.float32)
    edge_count = int(np.count_nonzero(edges))
    return {
        "pixelCount": n,
        "min": float(low), "max": float(high), "mean": mean, "stddev": std,
        "meanAbs": cv2.norm(m, cv2.NORM_L1) / n,
        "edgeThreshold": threshold, "edgeCount": edge_count, "edgeFraction": edge_count / n,
        "histogram": {"min": lo, "max": hi, "counts": [int(c) for c in hist]},
        "orientationHistogram": orientation,
        "densityGrid": {"rows": len(rows), "cols": len(cols), "values": [float(c) for c in density.ravel()]},
    }


def compute(img, value_range, filters, tile):
    """[(filter name, map, statistics)] of one decoded image."""
    src = volume_sum(img)
    depth = img.shape[2]
    lo, hi = value_range
    out = []
    for name, kernel, pair in filters:
        if pair is None:
            m = valid(src, kernel)
            rlo, rhi = response_range(kernel, depth, lo, hi)
            out.append((name, m, edge_stats(m, None, None, rlo, rhi, tile)))
        else:
            gx, gy = valid(src, pair[0]), valid(src, pair[1])
            m = cv2.magnitude(gx, gy)
            ax = max(abs(x) for x in response_range(pair[0], depth, lo, hi))
            ay = max(abs(x) for x in response_range(pair[1], depth, lo, hi))
            out.append((name, m, edge_stats(m, gx, gy, 0.0, math.sqrt(ax * ax + ay * ay), tile)))
    return out


# ---------------------------------------------------------------------------- Avro

MAGIC = b"\xc3\x01"
_EMPTY = 0xC15D213AA4D7A795
_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY & -(_fp & 1))
    _TABLE.append(_fp & 0xFFFFFFFFFFFFFFFF)


def fingerprint(schema):
    """CRC-64-AVRO of the schema's parsing canonical form (the Avro specification's algorithm)."""
    fp = _EMPTY
    for b in schema.canonical_form.encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp.to_bytes(8, "little")


class Wire:
    """Avro single-object encoding (C3 01, 8-byte fingerprint, body) with the project's schemas:
    reads any released version of a record, writes the current one."""

    def __init__(self, schemas_dir):
        global avro
        import avro.io
        import avro.schema

        base = pathlib.Path(schemas_dir)
        self.current = {p.stem: avro.schema.parse(p.read_text()) for p in (base / "avro").glob("*.avsc")}
        self.writers = {}
        for p in (base / "resources/io/edgestream/schemas/history").glob("*.v*.avsc"):
            s = avro.schema.parse(p.read_text())
            self.writers[fingerprint(s)] = (p.name.split(".")[0], s)
        self.datum_writers = {n: avro.io.DatumWriter(s) for n, s in self.current.items()}
        self.headers = {n: MAGIC + fingerprint(s) for n, s in self.current.items()}

    def decode(self, value, expect):
        if value[:2] != MAGIC or value[2:10] not in self.writers:
            raise ValueError(f"not a known {expect} record (header {value[:10].hex()})")
        name, writer = self.writers[value[2:10]]
        if name != expect:
            raise ValueError(f"expected {expect}, got {name}")
        reader = avro.io.DatumReader(writer, self.current[name])
        return reader.read(avro.io.BinaryDecoder(io.BytesIO(memoryview(value)[10:])))

    def encode(self, name, record):
        buf = io.BytesIO()
        buf.write(self.headers[name])
        self.datum_writers[name].write(record, avro.io.BinaryEncoder(buf))
        return buf.getvalue()

    def map_types(self):
        return self.current["FeatureMapTile"].fields_dict["dataType"].type.symbols


# numpy dtype of each FeatureMapTile.dataType this service can write (NONE: no map record).
DTYPES = {"FLOAT32_LE": "<f4", "FLOAT16_LE": "<f2", "INT16_LE": "<i2"}


def map_bytes(m, data_type):
    if data_type == "INT16_LE" and not (np.all(m == np.rint(m)) and np.abs(m).max() <= 32767):
        raise ValueError("INT16_LE maps must hold integers within int16")
    return np.ascontiguousarray(m).astype(DTYPES[data_type]).tobytes()


# ---------------------------------------------------------------------------- the service

class Service:
    def __init__(self, args):
        from confluent_kafka import Consumer, Producer

        self.args = args
        self.wire = Wire(args.schemas)
        self.filters = parse_filters(args.filters)
        self.types = {}
        for item in filter(None, args.map_types.split(",")):
            f, t = item.split("=", 1)
            if t != "NONE" and (t not in DTYPES or t not in self.wire.map_types()):
                raise SystemExit(f"map type {t} for {f}: this service writes {sorted(DTYPES)} or NONE, "
                                 f"and the schema has {self.wire.map_types()}")
            self.types[f] = t
        self.consumer = Consumer({
            "bootstrap.servers": args.bootstrap,
            "group.id": args.group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,  # committed by hand once the outputs are delivered
            "max.partition.fetch.bytes": 33554432,  # whole images
            "fetch.max.bytes": 67108864,
            "receive.message.max.bytes": 67109376,
            "queued.max.messages.kbytes": 131072,
        })
        self.producer = Producer({
            "bootstrap.servers": args.bootstrap,
            "linger.ms": 5,
            "message.max.bytes": 33554432,  # one whole map per record
            "queue.buffering.max.kbytes": 1048576,
            "compression.type": "none",
            "acks": "all",
        })
        self.pending = {}  # (topic, partition) -> next offset to commit
        self.errors = []
        self.images = self.records = self.value_bytes = 0
        self.running = True

    def delivered(self, err, msg):
        if err is not None:
            self.errors.append(f"{msg.topic()}: {err}")

    def produce(self, topic, key, value):
        while True:
            try:
                self.producer.produce(topic, value, key, on_delivery=self.delivered)
                break
            except BufferError:
                self.producer.poll(0.05)  # the local queue is full: let deliveries drain it
        self.records += 1
        self.value_bytes += len(value)

    def commit(self, partitions=None):
        """Flush what was produced, then commit the offsets of the inputs it came from."""
        from confluent_kafka import TopicPartition

        self.producer.flush()
        if self.errors:
            raise SystemExit("delivery failed: " + "; ".join(self.errors[:5]))
        offsets = [TopicPartition(t, p, o) for (t, p), o in self.pending.items()
                   if partitions is None or (t, p) in partitions]
        if offsets:
            self.consumer.commit(offsets=offsets, asynchronous=False)
        for tp in offsets:
            self.pending.pop((tp.topic, tp.partition), None)

    def on_revoke(self, consumer, partitions):
        self.commit({(tp.topic, tp.partition) for tp in partitions})

    def handle(self, msg):
        frame = self.wire.decode(msg.value(), "ImageFrame")
        img, value_range = decode_image(frame)
        key = frame["imageId"].encode("utf-8")
        for name, m, stats in compute(img, value_range, self.filters, self.args.tile_size):
            data_type = self.types.get(name, "FLOAT32_LE")
            if data_type != "NONE":
                self.produce(self.args.maps_topic, key,
                             self.wire.encode("FeatureMapTile", map_record(frame, name, m, data_type)))
            self.produce(self.args.stats_topic, key, self.wire.encode(
                "EdgeStats", stats_record(frame, name, m, stats, msg.timestamp()[1])))
        self.images += 1

    def run(self):
        from confluent_kafka import KafkaError, KafkaException

        from confluent_kafka import TopicPartition, OFFSET_STORED

        if self.args.member:
            # Process i of n takes partitions i, i+n, ... of the input: all n processes work from
            # the start (in a consumer group the first process to join would take every
            # partition until a rebalance). Offsets are still committed to the group.
            i, n = (int(x) for x in self.args.member.split("/"))
            partitions = self.consumer.list_topics(self.args.input, timeout=30).topics[self.args.input].partitions
            self.consumer.assign([TopicPartition(self.args.input, p, OFFSET_STORED) for p in sorted(partitions) if p % n == i])
        else:
            self.consumer.subscribe([self.args.input], on_revoke=self.on_revoke)
        last_commit = time.monotonic()
        while self.running:
            msg = self.consumer.poll(0.2)
            if msg is not None:
                if msg.error():
                    if msg.error().code() != KafkaError._PARTITION_EOF:
                        raise KafkaException(msg.error())
                else:
                    self.handle(msg)
                    self.pending[(msg.topic(), msg.partition())] = msg.offset() + 1
            self.producer.poll(0)
            if time.monotonic() - last_commit >= self.args.commit_ms / 1000:
                self.commit()
                last_commit = time.monotonic()
        self.commit()
        self.consumer.close()


def map_record(frame, name, m, data_type):
    """The FeatureMapTile of a whole map: one tile, samples of data_type (scale 1, offset 0)."""
    h, w = m.shape
    return {"imageId": frame["imageId"], "sourceId": frame["sourceId"], "filter": name,
            "tileIndex": 0, "tileCount": 1, "x": 0, "y": 0, "width": w, "height": h,
            "mapWidth": w, "mapHeight": h, "channels": 1, "dataType": data_type,
            "data": map_bytes(m, data_type), "captureTimeMs": frame["captureTimeMs"],
            "sequence": frame["sequence"], "scale": 1.0, "offset": 0.0}


def stats_record(frame, name, m, stats, ingest_ms):
    """The EdgeStats of a map: its statistics plus the frame's identity and times."""
    h, w = m.shape
    record = dict(stats)
    record.update({
        "imageId": frame["imageId"], "sourceId": frame["sourceId"], "batchId": frame["batchId"],
        "filter": name, "inputWidth": frame["width"], "inputHeight": frame["height"],
        "mapWidth": w, "mapHeight": h, "channels": 1, "tileCount": 1,
        "captureTimeMs": frame["captureTimeMs"], "ingestTimeMs": ingest_ms,
        "completedTimeMs": int(time.time() * 1000)})
    return record


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bootstrap")
    ap.add_argument("--input")
    ap.add_argument("--maps-topic")
    ap.add_argument("--stats-topic")
    ap.add_argument("--group")
    ap.add_argument("--filters", default="vertical,horizontal,sobel")
    ap.add_argument("--map-types", default="", help="filter=FLOAT32_LE|FLOAT16_LE|INT16_LE|NONE,...")
    ap.add_argument("--tile-size", type=int, default=256, help="the job's tile.size: the density grid's cells")
    ap.add_argument("--commit-ms", type=int, default=1000)
    ap.add_argument("--member", help="I/N: take partitions I, I+N, ... instead of joining the group's rebalances")
    ap.add_argument("--schemas", default=str(pathlib.Path(__file__).resolve().parents[2] / "schemas/src/main"))
    ap.add_argument("--compute", nargs=4, metavar=("RAW", "W", "H", "C"))
    ap.add_argument("--out")
    args = ap.parse_args()
    # One process per core: OpenCV's own threads would only compete with the other processes.
    cv2.setNumThreads(1)
    if args.compute:
        path, w, h, c = args.compute[0], *map(int, args.compute[1:])
        img = np.fromfile(path, np.uint8).reshape(h, w, c)
        out = pathlib.Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        stats = {}
        # The records the service would write for this image, as bytes on the wire, for the Java
        # side to decode.
        wire = Wire(args.schemas)
        frame = {"imageId": "parity", "sourceId": "cam", "batchId": "b", "width": w, "height": h,
                 "captureTimeMs": 1, "sequence": 7}
        for name, m, s in compute(img, (0.0, 255.0), parse_filters(args.filters), args.tile_size):
            np.ascontiguousarray(m, np.float32).tofile(out / f"{name}.f32")
            stats[name] = dict(s, mapWidth=m.shape[1], mapHeight=m.shape[0])
            (out / f"{name}.map.avro").write_bytes(
                wire.encode("FeatureMapTile", map_record(frame, name, m, "FLOAT32_LE")))
            (out / f"{name}.stats.avro").write_bytes(
                wire.encode("EdgeStats", stats_record(frame, name, m, s, 2)))
        (out / "stats.json").write_text(json.dumps(stats))
        return
    missing = [n for n in ("bootstrap", "input", "maps_topic", "stats_topic", "group") if not getattr(args, n)]
    if missing:
        ap.error("missing " + ", ".join("--" + n.replace("_", "-") for n in missing))
    service = Service(args)

    def stop(signum, frame):
        service.running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    service.run()
    print(json.dumps({"images": service.images, "records": service.records, "value_bytes": service.value_bytes,
                      "cpu_s": time.process_time(), "pid": os.getpid()}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
