package io.edgestream.bench.pipeline;

import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.AvroWire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What the edge job wrote for one input image: how many records of which key and value size went to
 * the maps topic and to the statistics topic, and the sample type of each filter's map. Measured
 * from the edge job's own output ({@link #measure}), so it follows whatever the job does (tile
 * size, filters, map encodings, routing) without this benchmark knowing how.
 *
 * <p>It drives the two comparisons that must write the same bytes: the byte-matched copy job
 * ({@link CopyJob}, one set of these records per input) and the Kafka ceiling ({@link
 * KafkaCeiling}, these records times the number of images). Its text form ({@link #spec}, {@link
 * #parse}) is {@code maps:14:262154*48,maps:14:254218*12,stats:14:1093*3}: role, key bytes, value
 * bytes, count.
 */
public record OutputProfile(List<Entry> entries, Map<String, String> mapTypes) {

    /** The maps topic's role. */
    public static final String MAPS = "maps";

    /** The statistics topic's role. */
    public static final String STATS = "stats";

    /** {@code count} records of this key and value size per image, to the topic of {@code role}. */
    public record Entry(String role, int keyBytes, int valueBytes, int count) {
        public Entry {
            if (!role.equals(MAPS) && !role.equals(STATS)) {
                throw new IllegalArgumentException(
                        "role must be maps or stats, got '" + role + "'");
            }
            if (keyBytes < 0 || valueBytes < 0 || count < 1) {
                throw new IllegalArgumentException(
                        "want key and value sizes >= 0 and count >= 1, got "
                                + keyBytes
                                + ", "
                                + valueBytes
                                + ", "
                                + count);
            }
        }
    }

    /** One record the edge job wrote: its role and sizes. */
    public record Written(String role, int keyBytes, int valueBytes) {}

    public OutputProfile {
        entries = List.copyOf(entries);
        mapTypes = Map.copyOf(mapTypes);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an output profile needs at least one record");
        }
    }

    /**
     * The profile of one image's records: records of one role and key size whose value sizes lie
     * within 1% (the Avro varints of a tile's position make equal tiles differ by a few bytes) are
     * counted together at their mean size (so the bytes per image stay the same to within a byte
     * per group); maps first, larger values first.
     */
    public static OutputProfile of(List<Written> records, Map<String, String> mapTypes) {
        List<Written> sorted = new ArrayList<>(records);
        sorted.sort(
                Comparator.comparing((Written w) -> w.role().equals(MAPS) ? 0 : 1)
                        .thenComparing(Written::keyBytes)
                        .thenComparing(Written::valueBytes, Comparator.reverseOrder()));
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            Written first = sorted.get(i);
            long sum = 0;
            int j = i;
            while (j < sorted.size()
                    && sorted.get(j).role().equals(first.role())
                    && sorted.get(j).keyBytes() == first.keyBytes()
                    && sorted.get(j).valueBytes() >= first.valueBytes() * 0.99) {
                sum += sorted.get(j).valueBytes();
                j++;
            }
            entries.add(
                    new Entry(
                            first.role(),
                            first.keyBytes(),
                            (int) Math.round((double) sum / (j - i)),
                            j - i));
            i = j;
        }
        entries.sort(
                Comparator.comparing((Entry e) -> e.role().equals(MAPS) ? 0 : 1)
                        .thenComparing(Entry::valueBytes, Comparator.reverseOrder())
                        .thenComparing(Entry::keyBytes));
        return new OutputProfile(entries, mapTypes);
    }

    /** Records per image. */
    public int records() {
        return entries.stream().mapToInt(Entry::count).sum();
    }

    /** Records per image to the topic of {@code role}. */
    public int records(String role) {
        return entries.stream().filter(e -> e.role().equals(role)).mapToInt(Entry::count).sum();
    }

    /** Key plus value bytes per image. */
    public long bytes() {
        return entries.stream()
                .mapToLong(e -> (long) (e.keyBytes() + e.valueBytes()) * e.count())
                .sum();
    }

    /** Value bytes per image. */
    public long valueBytes() {
        return entries.stream().mapToLong(e -> (long) e.valueBytes() * e.count()).sum();
    }

    /** Bytes per sample of each map type ({@code FeatureMapTile.dataType}); NONE writes no map. */
    static final Map<String, Integer> BYTES_PER_SAMPLE =
            Map.of("FLOAT32_LE", 4, "FLOAT16_LE", 2, "INT16_LE", 2, "UINT8", 1);

    /** The map type of a filter whose maps are not written (the job's {@code map.encoding}). */
    static final String NO_MAP = "NONE";

    /**
     * The same bytes per image written as the Python service writes them: one maps record per map
     * (the whole map as one tile) instead of the job's tiles, and the statistics entries unchanged.
     * The maps role's value bytes are split over one record per filter (a filter is one statistics
     * record) that writes a map; keys keep the profile's sizes.
     *
     * <p>The profile does not say which tile belongs to which filter, so the split follows the map
     * types: when {@link #mapTypes} names a known type for every filter, each filter's map gets a
     * share in proportion to its bytes per sample ({@link #BYTES_PER_SAMPLE}; INT16 maps half of a
     * FLOAT32 map's bytes; a NONE filter gets no map record), which assumes the maps have the same
     * number of samples (true for kernels of one size). Otherwise (a profile {@link #parse}d from
     * its spec, which has no map types) the bytes are split equally over the statistics records.
     * Each record is rounded to whole bytes, so the total stays the same to within half a byte per
     * map. The Avro fields besides the samples that the job repeats in each tile (ids, filter,
     * position, times) stay counted in, so a record is that much per tile larger than the Python
     * service's map record.
     */
    public OutputProfile perMap() {
        int filters = records(STATS);
        long mapBytes =
                entries.stream()
                        .filter(e -> e.role().equals(MAPS))
                        .mapToLong(e -> (long) e.valueBytes() * e.count())
                        .sum();
        List<Entry> stats = entries.stream().filter(e -> e.role().equals(STATS)).toList();
        Entry firstMap =
                entries.stream().filter(e -> e.role().equals(MAPS)).findFirst().orElse(null);
        if (firstMap == null) {
            return new OutputProfile(stats, mapTypes);
        }
        if (filters == 0) {
            throw new IllegalStateException(
                    "profile "
                            + spec()
                            + " has no statistics records, so no filter count to split its maps"
                            + " by; measure it from the edge job's output");
        }
        List<Integer> weights = new ArrayList<>();
        boolean typed =
                mapTypes.size() == filters
                        && mapTypes.values().stream()
                                .allMatch(t -> t.equals(NO_MAP) || BYTES_PER_SAMPLE.containsKey(t))
                        && mapTypes.values().stream().anyMatch(t -> !t.equals(NO_MAP));
        if (typed) {
            mapTypes.values().stream()
                    .filter(t -> !t.equals(NO_MAP))
                    .forEach(t -> weights.add(BYTES_PER_SAMPLE.get(t)));
        } else {
            for (int i = 0; i < filters; i++) {
                weights.add(1);
            }
        }
        long weightSum = weights.stream().mapToLong(Integer::longValue).sum();
        Map<Integer, Integer> countBySize = new HashMap<>();
        for (int w : weights) {
            long size = Math.round((double) mapBytes * w / weightSum);
            if (size > Integer.MAX_VALUE) {
                throw new IllegalStateException(
                        "one record per map of profile "
                                + spec()
                                + " would be "
                                + size
                                + " bytes, more than a Kafka record can hold");
            }
            countBySize.merge((int) size, 1, Integer::sum);
        }
        List<Entry> out = new ArrayList<>();
        countBySize.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.reverseOrder()))
                .forEach(
                        e ->
                                out.add(
                                        new Entry(
                                                MAPS,
                                                firstMap.keyBytes(),
                                                e.getKey(),
                                                e.getValue())));
        out.addAll(stats);
        return new OutputProfile(out, mapTypes);
    }

    /**
     * Every record of one image, in profile order (the order the copy job and ceiling write them).
     */
    public List<Entry> expand() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            for (int i = 0; i < e.count(); i++) {
                out.add(new Entry(e.role(), e.keyBytes(), e.valueBytes(), 1));
            }
        }
        return out;
    }

    /**
     * {@code size} bytes: {@code source} repeated (zeros if it is empty). The records the copy job
     * and the ceiling write are made of it.
     */
    static byte[] filled(byte[] source, int size) {
        byte[] b = new byte[size];
        if (source == null || source.length == 0) {
            return b;
        }
        for (int i = 0; i < size; i += source.length) {
            System.arraycopy(source, 0, b, i, Math.min(source.length, size - i));
        }
        return b;
    }

    /** The text form, e.g. {@code maps:14:262154*48,stats:14:1093*3} (map types are not in it). */
    public String spec() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e.role())
                    .append(':')
                    .append(e.keyBytes())
                    .append(':')
                    .append(e.valueBytes())
                    .append('*')
                    .append(e.count());
        }
        return sb.toString();
    }

    /** Parses {@link #spec()}'s form. */
    public static OutputProfile parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] f = part.trim().split("[:*]");
            if (f.length != 4) {
                throw new IllegalArgumentException(
                        "output profile entry '"
                                + part
                                + "' is not role:keyBytes:valueBytes*count (e.g. maps:14:262154*48)");
            }
            try {
                entries.add(
                        new Entry(
                                f[0],
                                Integer.parseInt(f[1]),
                                Integer.parseInt(f[2]),
                                Integer.parseInt(f[3])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "output profile entry '"
                                + part
                                + "' has a size or count that is not a whole number",
                        e);
            }
        }
        return new OutputProfile(entries, Map.of());
    }

    /**
     * Measures the profile of one complete image from the edge job's output topics
     * (read_committed): the statistics topic is read to its end and the image with the most
     * statistics records is taken (one per filter); then its partition of the maps topic is read
     * until every tile of each of its filters was seen (or the partition ends: an encoding that
     * writes no maps).
     */
    public static OutputProfile measure(
            String bootstrap, String mapsTopic, String statsTopic, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        AvroWire<EdgeStats> statsWire = AvroWire.edgeStats();
        AvroWire<FeatureMapTile> mapsWire = AvroWire.featureMapTiles();
        Map<String, List<Written>> statsByImage = new LinkedHashMap<>();
        Map<String, Integer> partitionOf = new HashMap<>();
        Map<String, List<String>> filtersOf = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = Collector.readCommitted(bootstrap, 500)) {
            for (ConsumerRecord<byte[], byte[]> r :
                    readToEnd(c, statsTopic, null, deadline, null)) {
                EdgeStats s = statsWire.decode(r.value());
                String id = s.getImageId();
                statsByImage
                        .computeIfAbsent(id, k -> new ArrayList<>())
                        .add(new Written(STATS, r.serializedKeySize(), r.serializedValueSize()));
                partitionOf.put(id, r.partition());
                filtersOf.computeIfAbsent(id, k -> new ArrayList<>()).add(s.getFilter());
            }
            String image =
                    statsByImage.entrySet().stream()
                            .max(
                                    Comparator.comparingInt(
                                            (Map.Entry<String, List<Written>> e) ->
                                                    e.getValue().size()))
                            .map(Map.Entry::getKey)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "the edge job wrote no statistics to "
                                                            + statsTopic
                                                            + ": nothing to measure"));
            List<String> filters = filtersOf.get(image);
            List<Written> records = new ArrayList<>(statsByImage.get(image));
            Map<String, String> types = new LinkedHashMap<>();
            Map<String, Set<Integer>> tilesSeen = new HashMap<>();
            Map<String, Integer> tileCount = new HashMap<>();
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> done =
                    r -> {
                        FeatureMapTile t = mapsWire.decode(r.value());
                        if (t.getImageId().equals(image)) {
                            records.add(
                                    new Written(
                                            MAPS, r.serializedKeySize(), r.serializedValueSize()));
                            types.put(t.getFilter(), t.getDataType().name());
                            tilesSeen
                                    .computeIfAbsent(t.getFilter(), k -> new HashSet<>())
                                    .add(t.getTileIndex());
                            tileCount.put(t.getFilter(), t.getTileCount());
                        }
                        return filters.stream()
                                .allMatch(
                                        f ->
                                                tileCount.containsKey(f)
                                                        && tilesSeen.get(f).size()
                                                                == tileCount.get(f));
                    };
            readToEnd(c, mapsTopic, partitionOf.get(image), deadline, done);
            for (String f : filters) {
                types.putIfAbsent(f, "NONE");
            }
            return of(records, types);
        }
    }

    /**
     * Reads {@code topic} (one partition, or all if null) from the beginning to its end offsets as
     * of now, or until {@code stop} says so; returns the records read when {@code stop} is null.
     */
    private static List<ConsumerRecord<byte[], byte[]>> readToEnd(
            KafkaConsumer<byte[], byte[]> c,
            String topic,
            Integer partition,
            long deadline,
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> stop) {
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(30))) {
            if (partition == null || pi.partition() == partition) {
                tps.add(new TopicPartition(topic, pi.partition()));
            }
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        Map<TopicPartition, Long> end = c.endOffsets(tps);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "measuring the output profile of " + topic + " took too long");
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (stop == null) {
                    out.add(r);
                } else if (stop.test(r)) {
                    return out;
                }
            }
        }
        return out;
    }
}
