package io.edgestream.clients.consume;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.wire.MapSamples;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts feature maps back together from the job's records, one map per image and filter: the map's
 * {@link FeatureMapTile}s (samples of any data type, in any order) and its {@link EdgeStats}
 * (before, between or after the tiles). A map is complete once its stats have arrived and all
 * {@code tileCount} tiles are there, covering every output pixel; it is then handed out once, as
 * float32 (float16 and int16 samples widen exactly, UINT8 samples are dequantized). A tile whose
 * index was seen before, and any record of a map already handed out, is a duplicate and ignored
 * (counted in {@link #duplicates()}). A record that cannot be placed (samples of the wrong length,
 * a rectangle outside the map or overlapping another tile, a map size that disagrees with the map's
 * other tiles) is refused with a reason and changes nothing.
 *
 * <p>No Kafka and no files: records in, maps out. Not thread-safe.
 */
public final class MapReassembly {

    /** A map whose tiles and stats are all there. */
    public record CompletedMap(String imageId, String filter, ImageF32 map, EdgeStats stats) {}

    /**
     * What one record did.
     *
     * @param duplicate the record was ignored as a duplicate
     * @param problem why the record is suspect (it is then counted as unreadable), or null
     * @param completed the map this record completed, or null
     */
    public record Outcome(boolean duplicate, String problem, CompletedMap completed) {
        static final Outcome DUPLICATE = new Outcome(true, null, null);
        static final Outcome ACCEPTED = new Outcome(false, null, null);

        static Outcome refused(String problem) {
            return new Outcome(false, problem, null);
        }
    }

    private record MapKey(String imageId, String filter) {}

    /** A map being collected: its tiles so far and, once it arrived, its stats. */
    private static final class Pending {
        final MapKey key;
        MapAssembler assembler;
        int mapWidth;
        int mapHeight;
        int channels;
        int tileCount = -1;
        final Set<Integer> tileIndices = new HashSet<>();
        EdgeStats stats;

        Pending(MapKey key) {
            this.key = key;
        }

        boolean complete() {
            return stats != null
                    && assembler != null
                    && tileIndices.size() == stats.getTileCount()
                    && assembler.isComplete();
        }

        String describe() {
            return key.imageId()
                    + "/"
                    + key.filter()
                    + ": "
                    + tileIndices.size()
                    + "/"
                    + (stats != null ? stats.getTileCount() : tileCount >= 0 ? tileCount : "?")
                    + " tiles"
                    + (stats == null ? ", no stats yet" : "");
        }
    }

    private final Map<MapKey, Pending> pending = new LinkedHashMap<>();
    private final Set<MapKey> done = new HashSet<>();
    private long duplicates;

    /** Adds one tile. */
    public Outcome addTile(FeatureMapTile t) {
        MapKey key = new MapKey(t.getImageId(), t.getFilter());
        if (done.contains(key)) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        Pending p = pending.get(key);
        if (p != null && p.tileIndices.contains(t.getTileIndex())) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        String problem = place(p, t);
        if (problem != null) {
            return Outcome.refused(
                    "tile " + t.getTileIndex() + " of " + name(key) + ": " + problem);
        }
        return completeIfReady(pending.get(key), null);
    }

    /**
     * Checks the tile against the map's earlier tiles, and adds its samples; null if it was placed,
     * else why not (the map then stays as it was).
     */
    private String place(Pending existing, FeatureMapTile t) {
        MapAssembler assembler;
        if (existing == null || existing.assembler == null) {
            try {
                assembler = new MapAssembler(t.getMapWidth(), t.getMapHeight(), t.getChannels());
            } catch (IllegalArgumentException | ArithmeticException e) {
                return e.getMessage();
            }
        } else {
            if (existing.mapWidth != t.getMapWidth()
                    || existing.mapHeight != t.getMapHeight()
                    || existing.channels != t.getChannels()
                    || existing.tileCount != t.getTileCount()) {
                return "it says a "
                        + geometry(t.getMapWidth(), t.getMapHeight(), t.getChannels())
                        + " map of "
                        + t.getTileCount()
                        + " tiles, the map's earlier tiles a "
                        + geometry(existing.mapWidth, existing.mapHeight, existing.channels)
                        + " map of "
                        + existing.tileCount;
            }
            assembler = existing.assembler;
        }
        try {
            assembler.add(t.getX(), t.getY(), t.getWidth(), t.getHeight(), samples(t));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        Pending p =
                existing != null
                        ? existing
                        : pending.computeIfAbsent(
                                new MapKey(t.getImageId(), t.getFilter()), Pending::new);
        if (p.assembler == null) {
            p.assembler = assembler;
            p.mapWidth = t.getMapWidth();
            p.mapHeight = t.getMapHeight();
            p.channels = t.getChannels();
            p.tileCount = t.getTileCount();
        }
        p.tileIndices.add(t.getTileIndex());
        return null;
    }

    /** Adds a map's statistics (a later one for the same pending map replaces the earlier). */
    public Outcome addStats(EdgeStats s) {
        MapKey key = new MapKey(s.getImageId(), s.getFilter());
        if (done.contains(key)) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        Pending p = pending.computeIfAbsent(key, Pending::new);
        p.stats = s;
        String problem = null;
        if (p.assembler != null
                && (p.tileCount != s.getTileCount()
                        || p.assembler.tileCount() > s.getTileCount())) {
            problem =
                    "stats of "
                            + name(key)
                            + " say "
                            + s.getTileCount()
                            + " tiles but the tiles say "
                            + p.tileCount;
        }
        return completeIfReady(p, problem);
    }

    private Outcome completeIfReady(Pending p, String problem) {
        if (!p.complete()) {
            return problem == null ? Outcome.ACCEPTED : Outcome.refused(problem);
        }
        pending.remove(p.key);
        done.add(p.key);
        return new Outcome(
                false,
                problem,
                new CompletedMap(p.key.imageId(), p.key.filter(), p.assembler.result(), p.stats));
    }

    /**
     * Counts {@code imageId}'s {@code filter} map as handed out already (by an earlier run): its
     * records are duplicates from now on. True if it was not counted so already.
     */
    public boolean markWritten(String imageId, String filter) {
        MapKey key = new MapKey(imageId, filter);
        pending.remove(key);
        return done.add(key);
    }

    /** True while some map of {@code imageId} has records but is not complete. */
    public boolean hasPending(String imageId) {
        for (MapKey k : pending.keySet()) {
            if (k.imageId().equals(imageId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The maps still missing tiles or stats, in the order their first record came: {@code
     * imageId/filter: have/need tiles[, no stats yet]}.
     */
    public List<String> incomplete() {
        List<String> out = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            out.add(p.describe());
        }
        return out;
    }

    /** Records ignored as duplicates so far. */
    public long duplicates() {
        return duplicates;
    }

    /**
     * The tile's samples as float32, whatever its data type: float16 and int16 widen exactly, UINT8
     * is dequantized with the tile's scale and offset ({@link MapSamples}).
     *
     * @throws IllegalArgumentException if the data is not a whole number of samples
     */
    public static float[] samples(FeatureMapTile t) {
        return MapSamples.decode(t);
    }

    private static String name(MapKey k) {
        return k.imageId() + "/" + k.filter();
    }

    private static String geometry(int w, int h, int c) {
        return w + "x" + h + "x" + c;
    }
}
