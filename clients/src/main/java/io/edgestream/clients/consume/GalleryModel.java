package io.edgestream.clients.consume;

import io.edgestream.schemas.EdgeStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the gallery shows, collected while the consumer runs: an entry per image (in the order the
 * images first appeared) with its maps and whether it has a thumbnail, and the dead letters. It
 * also decides when the page is worth rewriting: when something changed, at most every {@link
 * #REWRITE_INTERVAL_NANOS}, so a busy run does not rewrite {@code index.html} for every map.
 */
public final class GalleryModel {

    /** The shortest time between two rewrites while running: 2 s. */
    public static final long REWRITE_INTERVAL_NANOS = 2_000_000_000L;

    private final Map<String, Gallery.ImageView> images = new LinkedHashMap<>();
    private final List<Gallery.DeadView> deadLetters = new ArrayList<>();
    private boolean changed = true;
    private boolean written;
    private long lastWrittenNanos;

    /** Adds (or replaces) {@code filter}'s map of {@code imageId}. */
    public void addMap(String imageId, String filter, EdgeStats stats) {
        view(imageId, stats.getSourceName())
                .put(new Gallery.MapView(filter, OutputDir.fileBase(filter), stats));
        changed = true;
    }

    /** Notes that {@code imageId} has an {@code original.png}. */
    public void addOriginal(String imageId) {
        addOriginal(imageId, null);
    }

    /** Notes that {@code imageId}, called {@code name} (or null), has an {@code original.png}. */
    public void addOriginal(String imageId, String name) {
        view(imageId, name).setHasOriginal(true);
        changed = true;
    }

    public void addDeadLetter(Gallery.DeadView d) {
        deadLetters.add(d);
        changed = true;
    }

    private Gallery.ImageView view(String imageId, String name) {
        return images.computeIfAbsent(
                imageId, id -> new Gallery.ImageView(id, name, OutputDir.dirName(id, name)));
    }

    /** True if the page changed since it was last written, and it was not written just now. */
    public boolean rewriteDue(long nowNanos) {
        return changed && (!written || nowNanos - lastWrittenNanos > REWRITE_INTERVAL_NANOS);
    }

    /** Notes that the page was written at {@code nowNanos}. */
    public void written(long nowNanos) {
        changed = false;
        written = true;
        lastWrittenNanos = nowNanos;
    }

    public List<Gallery.ImageView> images() {
        return new ArrayList<>(images.values());
    }

    public List<Gallery.DeadView> deadLetters() {
        return List.copyOf(deadLetters);
    }
}
