"""Kafka loops with confluent-kafka: push ImageFrames to ``images``, read complete feature maps
with their EdgeStats from ``edge-maps`` and ``edge-stats``, and dead letters from
``images-dlq``.

The reader uses ``isolation.level=read_committed``: the job writes its outputs in transactions,
and only committed records are its results (aborted ones would show as duplicates or maps of
images that are then dead-lettered). Outputs become visible when the job completes a checkpoint.
"""

import collections
import dataclasses
import time
import uuid

from confluent_kafka import Consumer, KafkaException, Producer

from . import frames, maps, wire

#: The topics' max.message.bytes (RecordLimits.TOPIC_MAX_MESSAGE_BYTES in Java, 32 MiB).
TOPIC_MAX_MESSAGE_BYTES = 32 * 1024 * 1024
#: Room for the Avro fields, key, headers and batch overhead around a record's payload.
RECORD_OVERHEAD_BYTES = 64 * 1024


# ---------------------------------------------------------------------------------- producing


@dataclasses.dataclass(frozen=True)
class Sent:
    """Where one frame landed."""

    image_id: str
    origin: str
    topic: str
    partition: int
    offset: int


class DeliveryError(RuntimeError):
    """Frames the broker did not take; ``failures`` lists ``(image_id, origin, error)``."""

    def __init__(self, failures):
        self.failures = failures
        lines = "; ".join(f"{i} ({o}): {e}" for i, o, e in failures[:5])
        more = f" and {len(failures) - 5} more" if len(failures) > 5 else ""
        super().__init__(f"{len(failures)} frame(s) not delivered: {lines}{more}")


class FrameProducer:
    """Sends ImageFrame dicts (see :mod:`edgestream.frames`) to the images topic, keyed by
    sourceId, in single-object encoding (or registry framing with ``wire_format="registry"`` and
    the ``schema_id`` of the current ImageFrame schema).

    ``config`` adds or overrides librdkafka settings (security, e.g. ``security.protocol``,
    ``sasl.*``). :meth:`flush` waits for every delivery and raises :class:`DeliveryError` if
    any failed. Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        bootstrap_servers,
        *,
        topic="images",
        config=None,
        wire_format=wire.SINGLE_OBJECT,
        schema_id=None,
    ):
        settings = {
            "bootstrap.servers": bootstrap_servers,
            # A retried send is never written twice: each frame exists once on the topic.
            "enable.idempotence": True,
            # Every in-sync replica has the frame before it counts as sent.
            "acks": "all",
            # Whole images are single records, up to the topics' limit.
            "message.max.bytes": TOPIC_MAX_MESSAGE_BYTES,
            # Image files are compressed already.
            "compression.type": "none",
        }
        settings.update(config or {})
        self.topic = topic
        self.settings = settings
        self.wire_format = wire_format
        self.schema_id = schema_id
        self._producer = Producer(settings)
        self._max_value = int(settings["message.max.bytes"]) - RECORD_OVERHEAD_BYTES
        self._sent = []
        self._failures = []

    def send(self, frame, origin=None):
        """Queues one frame; ``origin`` (e.g. its file) is reported back in :class:`Sent`."""
        value = frames.encode_frame(frame, self.wire_format, self.schema_id)
        if len(value) > self._max_value:
            raise ValueError(
                f"frame {frame['imageId']} ({origin or 'no origin'}) is {len(value)} bytes, above"
                f" the {self._max_value} bytes a record may have here (message.max.bytes"
                f" {self.settings['message.max.bytes']} less {RECORD_OVERHEAD_BYTES} overhead);"
                " send a smaller image"
            )
        image_id = frame["imageId"]

        def delivered(err, msg):
            if err is not None:
                self._failures.append((image_id, origin, str(err)))
            else:
                where = (msg.topic(), msg.partition(), msg.offset())
                self._sent.append(Sent(image_id, origin, *where))

        while True:
            try:
                self._producer.produce(
                    self.topic, value=value, key=frames.frame_key(frame), on_delivery=delivered
                )
                break
            except BufferError:
                # The local queue is full: serve delivery reports until there is room.
                self._producer.poll(1.0)
        self._producer.poll(0)

    def flush(self, timeout=120.0):
        """Waits until every queued frame is delivered; returns the :class:`Sent` list of all
        frames so far. Raises :class:`DeliveryError` if some failed or ``TimeoutError``."""
        left = self._producer.flush(timeout)
        if left:
            raise TimeoutError(
                f"{left} frame(s) still undelivered after {timeout} s; is the broker at"
                f" {self.settings['bootstrap.servers']} reachable?"
            )
        if self._failures:
            failures, self._failures = self._failures, []
            raise DeliveryError(failures)
        return list(self._sent)

    def close(self, timeout=120.0):
        """Flushes (see :meth:`flush`)."""
        return self.flush(timeout)

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.close()
        else:
            # Already failing: deliver what can be delivered, keep the original error.
            self._producer.flush(10)


@dataclasses.dataclass
class PushResult:
    """What :func:`push_folder` did: ``sent`` frames and ``skipped`` ``(file, reason)``."""

    sent: list
    skipped: list


def push_folder(
    bootstrap_servers,
    folder,
    *,
    topic="images",
    source_id="python",
    batch_id=None,
    attributes=None,
    config=None,
    wire_format=wire.SINGLE_OBJECT,
    schema_id=None,
):
    """Sends every image file (PNG, JPEG, BMP, TIFF, as they are) and ``.npy`` array (RAW) of
    ``folder``, sorted by name, as ImageFrames with sequence numbers 0, 1, ...; returns a
    :class:`PushResult`. A file that is not what its suffix says is skipped with the reason."""
    files = frames.image_files(folder)
    skipped = []
    with FrameProducer(
        bootstrap_servers,
        topic=topic,
        config=config,
        wire_format=wire_format,
        schema_id=schema_id,
    ) as producer:
        seq = 0
        for path in files:
            try:
                frame = frames.frame_from_file(
                    path,
                    source_id=source_id,
                    sequence=seq,
                    batch_id=batch_id,
                    attributes=attributes,
                )
            except (ValueError, OSError) as e:
                skipped.append((str(path), str(e)))
                continue
            producer.send(frame, origin=str(path))
            seq += 1
        sent = producer.flush()
    return PushResult(sent, skipped)


# ---------------------------------------------------------------------------------- reading


@dataclasses.dataclass
class EdgeMap:
    """A complete feature map (:class:`edgestream.maps.FeatureMap`) with its EdgeStats record
    (a dict, or ``None`` when the reader has no stats topic)."""

    map: maps.FeatureMap
    stats: dict

    @property
    def image_id(self):
        return self.map.image_id

    @property
    def filter(self):
        return self.map.filter

    @property
    def array(self):
        """float32 ``(height, width, channels)``."""
        return self.map.array

    @property
    def raw(self):
        """The samples as stored (the map's ``data_type``)."""
        return self.map.raw


@dataclasses.dataclass
class DeadLetter:
    """A record of the dead-letter topic: ``record`` is the DeadLetter dict (``reason``,
    ``message``, ``payload``, ``sourceTopic``/``sourcePartition``/``sourceOffset``, ...);
    ``topic``, ``partition``, ``offset`` say where it was read."""

    record: dict
    topic: str
    partition: int
    offset: int

    @property
    def reason(self):
        return self.record["reason"]

    @property
    def message(self):
        return self.record["message"]

    @property
    def image_id(self):
        return self.record.get("imageId")


class RecordError(wire.WireFormatError):
    """A record of an output topic that does not decode; says where it is."""

    def __init__(self, cause, topic, partition, offset):
        super().__init__(cause.reason, f"{topic}[{partition}]@{offset}: {cause}")
        self.topic = topic
        self.partition = partition
        self.offset = offset


class EdgeReader:
    """Reads the job's outputs and yields :class:`EdgeMap` (a complete map with its EdgeStats)
    and :class:`DeadLetter` items.

    ::

        with EdgeReader("localhost:9092") as reader:
            for item in reader.read(max_maps=6, timeout=120):
                if isinstance(item, EdgeMap):
                    np.save(f"{item.filter}.npy", item.array)

    A map is yielded once all its tiles and its EdgeStats have arrived (without a
    ``stats_topic``, once its tiles have). Incomplete maps are bounded: at most ``max_pending``
    at a time and none older than ``max_age_s`` seconds, the same for complete maps waiting for
    their stats and stats waiting for their map; each one given up is passed to ``on_evict``
    (default: a warning on the ``edgestream`` logger) and kept in ``evictions``. Pass
    ``dlq_topic=None`` to skip dead letters, ``maps_topic=None`` to read dead letters only.

    The reader joins no group that commits offsets: it starts at ``start`` (``earliest`` or
    ``latest``) every time. ``config`` adds librdkafka settings (security); the isolation level
    stays ``read_committed``. ``registry`` (:class:`edgestream.registry.SchemaRegistry`) lets it
    read registry-framed outputs too. A record that does not decode raises :class:`RecordError`
    from :meth:`poll` (the reader is past it: polling again goes on).
    """

    def __init__(
        self,
        bootstrap_servers,
        *,
        maps_topic="edge-maps",
        stats_topic="edge-stats",
        dlq_topic="images-dlq",
        start="earliest",
        config=None,
        registry=None,
        max_pending=64,
        max_age_s=300.0,
        on_evict=None,
        clock=time.monotonic,
    ):
        settings = {
            "bootstrap.servers": bootstrap_servers,
            # A throwaway group: this reader commits nothing, every run starts at `start`.
            "group.id": f"edgestream-py-{uuid.uuid4()}",
            "enable.auto.commit": False,
            "auto.offset.reset": start,
            # Only what the job committed: its results, once each.
            "isolation.level": "read_committed",
            # Whole map tiles and dead letters carrying an image are large records.
            "max.partition.fetch.bytes": TOPIC_MAX_MESSAGE_BYTES,
        }
        settings.update(config or {})
        if settings["isolation.level"] != "read_committed":
            raise ValueError(
                "the reader needs isolation.level=read_committed: the job's outputs are"
                " transactional, and uncommitted ones are not results"
            )
        self.topics = {"maps": maps_topic, "stats": stats_topic, "dlq": dlq_topic}
        subscribed = [t for t in self.topics.values() if t]
        if not subscribed:
            raise ValueError("no topic to read: give maps_topic, stats_topic or dlq_topic")
        self.settings = settings
        self.clock = clock
        self._codec = wire.Codec(registry)
        self._join = maps.MapStatsJoin(max_pending, max_age_s, on_evict=on_evict, clock=clock)
        self._consumer = Consumer(settings)
        self._consumer.subscribe(subscribed)
        self._closed = False
        self._backlog = collections.deque()
        #: Records consumed so far, of every topic.
        self.records = 0

    # -- items

    def poll(self, timeout=1.0):
        """Waits up to ``timeout`` seconds for records; returns the items they complete (a
        list of :class:`EdgeMap` and :class:`DeadLetter`, maybe empty)."""
        if self._closed:
            raise RuntimeError("the reader is closed")
        if not self._backlog:
            self._backlog.extend(self._consumer.consume(num_messages=500, timeout=timeout))
        out = []
        while self._backlog:
            # Taken off first: a record that raises is not seen again, the rest stay queued.
            msg = self._backlog.popleft()
            err = msg.error()
            if err is not None:
                raise KafkaException(err)
            out.extend(self._record(msg))
        self._join.expire()
        return out

    def read(self, max_maps=None, max_dead_letters=None, timeout=None, idle_timeout=None):
        """Yields items until ``max_maps`` maps and ``max_dead_letters`` dead letters have come
        (each when given), or ``timeout`` seconds in total, or ``idle_timeout`` seconds without
        any record; without any of them, forever."""
        start = last = self.clock()
        maps_seen = dls_seen = 0
        while True:
            if max_maps is not None or max_dead_letters is not None:
                if (max_maps is None or maps_seen >= max_maps) and (
                    max_dead_letters is None or dls_seen >= max_dead_letters
                ):
                    return
            now = self.clock()
            if timeout is not None and now - start >= timeout:
                return
            if idle_timeout is not None and now - last >= idle_timeout:
                return
            wait = 1.0
            if timeout is not None:
                wait = min(wait, max(0.0, timeout - (now - start)))
            before = self.records
            items = self.poll(wait)
            if self.records != before:
                last = self.clock()
            for item in items:
                if isinstance(item, EdgeMap):
                    maps_seen += 1
                else:
                    dls_seen += 1
                yield item

    def __iter__(self):
        return self.read()

    # -- internals

    def _record(self, msg):
        self.records += 1
        topic = msg.topic()
        kind = next(k for k, t in self.topics.items() if t == topic)
        expected = {"maps": "FeatureMapTile", "stats": "EdgeStats", "dlq": "DeadLetter"}[kind]
        try:
            decoded = self._codec.decode(msg.value(), expected)
        except wire.WireFormatError as e:
            raise RecordError(e, topic, msg.partition(), msg.offset()) from e
        record = decoded.record
        if kind == "dlq":
            return [DeadLetter(record, topic, msg.partition(), msg.offset())]
        if kind == "stats":
            pairs = self._join.add_stats(record)
        elif self.topics["stats"] is None:
            done = self._join.assembler.add(record)
            pairs = [] if done is None else [(done, None)]
        else:
            pairs = self._join.add_tile(record)
        return [EdgeMap(m, st) for m, st in pairs]

    @property
    def evictions(self):
        """The maps given up on (the last 1000), as :class:`edgestream.maps.Eviction`."""
        return self._join.evictions

    @property
    def pending(self):
        """Maps in progress, complete maps waiting for stats, stats waiting for maps."""
        return self._join.pending

    def close(self):
        """Leaves the group and closes the consumer (idempotent)."""
        if not self._closed:
            self._closed = True
            self._consumer.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        self.close()

