package io.edgestream.clients.consume;

import io.edgestream.clients.cli.Progress;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.decode.ImageDecodeException;
import io.edgestream.imaging.decode.ImageDecoder;
import io.edgestream.schemas.DeadLetter;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.FeatureMapTile;
import io.edgestream.schemas.ImageFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code consume-edges} does with each record once it is decoded, without Kafka: tiles and
 * stats go to the {@link MapReassembly}, and each map it completes is written to the {@link
 * OutputDir} and shown in the gallery; input images become thumbnails; dead letters are printed and
 * written. It also keeps the run's counts for the {@link ConsumeEdges.Summary}, and decides when an
 * image is complete: once {@code --expect-filters} maps of it are written, or (without that option)
 * once a map of it is written and none of its other maps is waiting for records.
 */
final class EdgeCollector implements EdgeTopics.Handler {
    private final ConsumeEdges.Options o;
    private final OutputDir output;
    private final ConsumeReport report;
    private final Progress progress;
    private final MapReassembly maps = new MapReassembly();
    private final GalleryModel gallery = new GalleryModel();
    private final Map<String, List<ConsumeEdges.MapResult>> results = new LinkedHashMap<>();
    private final Set<String> completeImages = new HashSet<>();
    private final List<ConsumeEdges.DeadLetterSeen> deadLetters = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    private final List<Object> writtenKeys = new ArrayList<>();
    private final Set<String> deadLetterSources = new HashSet<>();

    /** Maps written per image, by this run and (with a group) the earlier ones. */
    private final Map<String, Integer> mapsPerImage = new HashMap<>();

    /** Each image's name ({@code EdgeStats.sourceName}, null if none), from its first map. */
    private final Map<String, String> names = new HashMap<>();

    private long tiles;
    private long stats;
    private long mapsWritten;
    private int resumedMaps;

    EdgeCollector(
            ConsumeEdges.Options o, OutputDir output, ConsumeReport report, Progress progress) {
        this.o = o;
        this.output = output;
        this.report = report;
        this.progress = progress;
    }

    @Override
    public Object tile(FeatureMapTile t, String where, int bytes) throws IOException {
        tiles++;
        MapReassembly.Outcome r = maps.addTile(t);
        if (r.problem() != null) {
            unreadable(where, r.problem());
        } else if (!r.duplicate()) {
            progress.add(0, bytes, null);
        }
        written(r.completed());
        // A placed tile of a map still waiting is needed again if the run stops now.
        return r.duplicate() || r.problem() != null || r.completed() != null
                ? null
                : mapKey(t.getImageId(), t.getFilter());
    }

    @Override
    public Object stats(EdgeStats s, String where) throws IOException {
        stats++;
        MapReassembly.Outcome r = maps.addStats(s);
        if (r.problem() != null) {
            unreadable(where, r.problem());
        }
        written(r.completed());
        // Stats are kept by their map even when they disagree with its tiles (then counted).
        return r.duplicate() || r.completed() != null
                ? null
                : mapKey(s.getImageId(), s.getFilter());
    }

    /** The key under which a map's records are held until it is written ({@link OffsetHolds}). */
    static Object mapKey(String imageId, String filter) {
        return List.of(imageId, filter);
    }

    /** Keys of the maps written since the last call: their records need not be read again. */
    List<Object> drainWritten() {
        List<Object> w = List.copyOf(writtenKeys);
        writtenKeys.clear();
        return w;
    }

    /**
     * Takes over what an earlier run of the same consumer group wrote to {@code OUT}: its maps
     * count as written (records of them are duplicates), and the gallery shows them again; its dead
     * letters are not appended twice.
     */
    void resume(OutputDir.Earlier earlier) {
        for (EdgeStats s : earlier.maps()) {
            if (maps.markWritten(s.getImageId(), s.getFilter())) {
                names.putIfAbsent(s.getImageId(), s.getSourceName());
                gallery.addMap(s.getImageId(), s.getFilter(), s);
                mapsPerImage.merge(s.getImageId(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> e : mapsPerImage.entrySet()) {
            if (o.expectFilters <= 0 || e.getValue() >= o.expectFilters) {
                completeImages.add(e.getKey());
            }
            String name = names.get(e.getKey());
            if (Files.exists(output.originalFile(e.getKey(), name))) {
                gallery.addOriginal(e.getKey(), name);
            }
        }
        for (Gallery.DeadView d : earlier.deadLetters()) {
            if (deadLetterSources.add(d.source())) {
                gallery.addDeadLetter(d);
            }
        }
        resumedMaps = earlier.maps().size();
    }

    /** Maps an earlier run of the consumer group had written ({@link #resume}). */
    int resumedMaps() {
        return resumedMaps;
    }

    private void written(MapReassembly.CompletedMap m) throws IOException {
        if (m == null) {
            return;
        }
        String name = m.stats().getSourceName();
        names.putIfAbsent(m.imageId(), name);
        OutputDir.MapFiles files = output.writeMapFiles(m.imageId(), name, m.filter(), m.map());
        TestHook.mapFilesWritten(mapsWritten + 1, false);
        output.appendStats(m.stats());
        mapsWritten++;
        writtenKeys.add(mapKey(m.imageId(), m.filter()));
        TestHook.mapFilesWritten(mapsWritten, true);
        results.computeIfAbsent(m.imageId(), k -> new ArrayList<>())
                .add(new ConsumeEdges.MapResult(m.filter(), files.npy(), files.png(), m.stats()));
        gallery.addMap(m.imageId(), m.filter(), m.stats());
        report.wrote(files.npy(), m.map());
        int written = mapsPerImage.merge(m.imageId(), 1, Integer::sum);
        if (!completeImages.contains(m.imageId())) {
            boolean complete =
                    o.expectFilters > 0
                            ? written >= o.expectFilters
                            : !maps.hasPending(m.imageId());
            if (complete) {
                completeImages.add(m.imageId());
                progress.add(1, 0, m.imageId());
            }
        }
    }

    @Override
    public void image(ImageFrame f, String where) throws IOException {
        DecodedImage img;
        try {
            byte[] bytes = new byte[f.getData().remaining()];
            f.getData().duplicate().get(bytes);
            img =
                    ImageDecoder.decode(
                            bytes,
                            f.getEncoding().name(),
                            f.getWidth(),
                            f.getHeight(),
                            f.getChannels(),
                            f.getPixelFormat() == null ? null : f.getPixelFormat().name(),
                            DecodeLimits.DEFAULT);
        } catch (ImageDecodeException e) {
            // The job dead-letters such images; the gallery simply has no thumbnail for it.
            report.noThumbnail(f.getImageId(), where, e.getMessage());
            return;
        }
        // The input's file name, as the job copies it into EdgeStats.sourceName: same folder.
        String name = f.getAttributes() == null ? null : f.getAttributes().get("file");
        output.writeOriginal(
                f.getImageId(), name, PngViews.thumbnail(Thumbnails.toImage(img), o.thumbnailSize));
        gallery.addOriginal(f.getImageId(), name);
    }

    @Override
    public void deadLetter(DeadLetter d, String where) throws IOException {
        ConsumeEdges.DeadLetterSeen seen =
                new ConsumeEdges.DeadLetterSeen(
                        d.getImageId(),
                        d.getReason().name(),
                        d.getMessage(),
                        d.getSourceTopic()
                                + "-"
                                + d.getSourcePartition()
                                + "@"
                                + d.getSourceOffset());
        if (!deadLetterSources.add(seen.source())) {
            // Written by an earlier run of the consumer group, before it stopped uncommitted.
            return;
        }
        deadLetters.add(seen);
        gallery.addDeadLetter(
                new Gallery.DeadView(seen.imageId(), seen.reason(), seen.message(), seen.source()));
        report.deadLetter(seen);
        output.appendDeadLetter(d);
    }

    @Override
    public void unreadable(String where, String reason) {
        String what = where + ": " + reason;
        unreadable.add(what);
        report.skipped(what);
    }

    /** Images counted as complete so far. */
    int completeImages() {
        return completeImages.size();
    }

    /** Rewrites {@code index.html} if it changed and was not rewritten in the last seconds. */
    void updateGallery(long nowNanos) throws IOException {
        if (gallery.rewriteDue(nowNanos)) {
            writeGallery(nowNanos);
        }
    }

    /** Rewrites {@code index.html} now. */
    void writeGallery(long nowNanos) throws IOException {
        output.writeGallery(gallery.images(), gallery.deadLetters());
        gallery.written(nowNanos);
    }

    /** Records ignored as duplicates. */
    long duplicates() {
        return maps.duplicates();
    }

    /** What the run did, for the summary. */
    ConsumeEdges.Summary summary(boolean targetReached, double seconds) {
        List<ConsumeEdges.ImageResult> images = new ArrayList<>();
        for (Map.Entry<String, List<ConsumeEdges.MapResult>> e : results.entrySet()) {
            images.add(
                    new ConsumeEdges.ImageResult(
                            e.getKey(),
                            output.imageDir(e.getKey(), names.get(e.getKey())),
                            List.copyOf(e.getValue())));
        }
        return new ConsumeEdges.Summary(
                List.copyOf(images),
                completeImages.size(),
                tiles,
                stats,
                List.copyOf(deadLetters),
                List.copyOf(unreadable),
                List.copyOf(maps.incomplete()),
                targetReached,
                seconds);
    }
}
