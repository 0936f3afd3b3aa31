package io.edgestream.clients.consume;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which records a consumer group must not commit past yet: every record of a map that is not
 * written, held under the map's key, per partition. A partition's safe commit offset is its first
 * held offset, or its position when nothing is held (see {@link #safe}); once a map's files are
 * written its holds are released together. A map's tiles and stats spread over partitions and
 * topics, so committing a partition past a record of an unwritten map would lose that record on a
 * restart; holding it instead means the map is read again from that record on, whole.
 *
 * <p>No Kafka: partitions are any {@code P} (a {@code TopicPartition} in the tool). Not
 * thread-safe.
 *
 * @param <P> the partition type
 */
final class OffsetHolds<P> {
    private record Held<P>(P partition, long offset) {}

    private final Map<P, TreeSet<Long>> byPartition = new HashMap<>();
    private final Map<Object, List<Held<P>>> byKey = new HashMap<>();

    /** Holds {@code offset} of {@code partition} until {@code key} is released. */
    void hold(P partition, long offset, Object key) {
        byPartition.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Held<>(partition, offset));
    }

    /** Releases every offset held for {@code key} (nothing if none is). */
    void release(Object key) {
        List<Held<P>> held = byKey.remove(key);
        if (held == null) {
            return;
        }
        for (Held<P> h : held) {
            TreeSet<Long> offsets = byPartition.get(h.partition());
            offsets.remove(h.offset());
            if (offsets.isEmpty()) {
                byPartition.remove(h.partition());
            }
        }
    }

    /** The first offset of {@code partition} that is held, if any. */
    OptionalLong firstHeld(P partition) {
        TreeSet<Long> offsets = byPartition.get(partition);
        return offsets == null ? OptionalLong.empty() : OptionalLong.of(offsets.first());
    }

    /**
     * The offset a group may commit for {@code partition} whose next record to read is at {@code
     * position}: nothing before it belongs to a map that is not written.
     */
    long safe(P partition, long position) {
        OptionalLong first = firstHeld(partition);
        return first.isPresent() ? Math.min(first.getAsLong(), position) : position;
    }

    /** Keys with held records. */
    int keys() {
        return byKey.size();
    }
}
