package io.edgestream.job.functions;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.ResponseRange;
import io.edgestream.schemas.MapDataType;
import io.edgestream.schemas.wire.MapSamples;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The encoding of each filter's maps (job option {@code map.encoding}): a default for every filter,
 * then overrides per filter, e.g. {@code INT16,sobel=UINT8,laplacian=NONE}.
 *
 * <p>{@link #check} runs at start-up: every override must name a configured filter, and INT16 is
 * refused for a filter whose response is not provably an exact integer on 8-bit grey input ({@link
 * ResponseRange#whyNotInteger}, {@link ResponseRange#exactIntegerRange}). {@link #choose} runs per
 * tile and picks what the tile is written as: INT16_LE only if the image's depth and channels prove
 * it too (else FLOAT32_LE for that image's map, a fallback), UINT8 with the filter's theoretical
 * output range for the image as its scale and offset. Every tile of a map gets the same choice,
 * since it depends on the image and the filter only.
 */
public final class MapEncodings implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final double INT16_MIN = Short.MIN_VALUE;
    private static final double INT16_MAX = Short.MAX_VALUE;

    private final MapEncoding defaultEncoding;

    /** Per-filter overrides, in the order given. */
    private final LinkedHashMap<String, MapEncoding> overrides;

    private MapEncodings(
            MapEncoding defaultEncoding, LinkedHashMap<String, MapEncoding> overrides) {
        this.defaultEncoding = defaultEncoding;
        this.overrides = overrides;
    }

    /** Every filter's maps as {@code e}. */
    public static MapEncodings of(MapEncoding e) {
        return new MapEncodings(e, new LinkedHashMap<>());
    }

    /**
     * Parses {@code ENC} or {@code ENC,filter=ENC,...}: the first entry without {@code =} is the
     * default (FLOAT32 if none is given), the others override it per filter. Encodings and filter
     * names are case-insensitive.
     *
     * @throws IllegalArgumentException for an empty entry, an unknown encoding, a default that is
     *     not first or a filter named twice
     */
    public static MapEncodings parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "option 'map.encoding' is empty; give an encoding such as FLOAT32, optionally"
                            + " followed by filter=ENCODING overrides (e.g. INT16,sobel=FLOAT32)");
        }
        MapEncoding def = null;
        LinkedHashMap<String, MapEncoding> overrides = new LinkedHashMap<>();
        String[] entries = value.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException(
                        "option 'map.encoding' = '" + value + "' has an empty entry");
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                if (i != 0) {
                    throw new IllegalArgumentException(
                            "option 'map.encoding' = '"
                                    + value
                                    + "': the default encoding '"
                                    + entry
                                    + "' must come first, before the filter=ENCODING overrides");
                }
                def = encoding(entry, value);
                continue;
            }
            String filter = entry.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (filter.isEmpty()) {
                throw new IllegalArgumentException(
                        "option 'map.encoding' = '"
                                + value
                                + "': the override '"
                                + entry
                                + "' names no filter; write filter=ENCODING");
            }
            if (overrides.put(filter, encoding(entry.substring(eq + 1), value)) != null) {
                throw new IllegalArgumentException(
                        "option 'map.encoding' = '"
                                + value
                                + "' gives filter '"
                                + filter
                                + "' twice");
            }
        }
        return new MapEncodings(def == null ? MapEncoding.FLOAT32 : def, overrides);
    }

    private static MapEncoding encoding(String name, String value) {
        try {
            return MapEncoding.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "option 'map.encoding' = '"
                            + value
                            + "': unknown encoding '"
                            + name.strip()
                            + "'; use one of "
                            + Arrays.toString(MapEncoding.values()),
                    e);
        }
    }

    /**
     * Checks the encodings against the job's filters and convolution parameters, at start-up.
     *
     * @throws IllegalArgumentException naming an override's unknown filter and the valid ones, or a
     *     filter whose INT16 maps cannot be proven exact (why, and what to use instead)
     */
    public void check(List<Filter> filters, ConvParams p) {
        List<String> names = new ArrayList<>();
        for (Filter f : filters) {
            names.add(f.name());
        }
        for (String name : overrides.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException(
                        "option 'map.encoding' sets the encoding of filter '"
                                + name
                                + "', which is not in option 'filters'; valid filters: "
                                + String.join(", ", names));
            }
        }
        for (Filter f : filters) {
            if (of(f.name()) != MapEncoding.INT16) {
                continue;
            }
            String why = ResponseRange.whyNotInteger(f, p);
            if (why == null) {
                double[] r = ResponseRange.exactIntegerRange(f, p, 1, 255);
                if (r == null || !fitsInt16(r)) {
                    why =
                            "its response on 8-bit grey input"
                                    + (r == null
                                            ? " has partial sums beyond 2^24, where float32 is not"
                                                    + " exact"
                                            : " spans [" + (long) r[0] + ", " + (long) r[1] + "]")
                                    + ", beyond int16 [-32768, 32767]";
                }
            }
            if (why != null) {
                throw new IllegalArgumentException(
                        "option 'map.encoding' asks for INT16 maps of filter '"
                                + f.name()
                                + "', but INT16 is written only where every sample is provably an"
                                + " exact integer in [-32768, 32767], and "
                                + why
                                + "; use FLOAT16 or FLOAT32 for it, e.g. --map.encoding '"
                                + withOverride(f.name())
                                + "'");
            }
        }
    }

    /** This configuration with {@code filter} set to FLOAT32, as text for a suggestion. */
    private String withOverride(String filter) {
        LinkedHashMap<String, MapEncoding> o = new LinkedHashMap<>(overrides);
        o.put(filter, MapEncoding.FLOAT32);
        return new MapEncodings(defaultEncoding, o).toString();
    }

    /** The encoding asked for {@code filter}'s maps. */
    public MapEncoding of(String filter) {
        return overrides.getOrDefault(filter, defaultEncoding);
    }

    /** The default encoding, for filters without an override. */
    public MapEncoding defaultEncoding() {
        return defaultEncoding;
    }

    /**
     * What one map of an image is written as.
     *
     * @param dataType the tiles' data type, or null if the map is not written (NONE)
     * @param scale {@code FeatureMapTile.scale}
     * @param offset {@code FeatureMapTile.offset}
     * @param fellBack true if INT16 was asked but the image did not prove it (FLOAT32_LE instead)
     */
    public record Choice(MapDataType dataType, float scale, float offset, boolean fellBack) {
        static final Choice NONE = new Choice(null, 1f, 0f, false);
        static final Choice FALLBACK = new Choice(MapDataType.FLOAT32_LE, 1f, 0f, true);
    }

    /**
     * The encoding of {@code f}'s map of one image.
     *
     * @param bitDepth the image's bits per sample: 8, 16, or 32 (float samples, never INT16)
     * @param channels the image's channels
     * @param rangeMin lower end of the filter's theoretical output range for this image (the
     *     statistics' histogram range)
     * @param rangeMax upper end of that range
     */
    public Choice choose(
            Filter f, ConvParams p, int bitDepth, int channels, double rangeMin, double rangeMax) {
        MapEncoding e = of(f.name());
        switch (e) {
            case NONE -> {
                return Choice.NONE;
            }
            case INT16 -> {
                if (bitDepth != 8 && bitDepth != 16) {
                    return Choice.FALLBACK;
                }
                double[] r = ResponseRange.exactIntegerRange(f, p, channels, (1 << bitDepth) - 1);
                return r != null && fitsInt16(r)
                        ? new Choice(MapDataType.INT16_LE, 1f, 0f, false)
                        : Choice.FALLBACK;
            }
            case UINT8 -> {
                float scale = MapSamples.uint8Scale(rangeMin, rangeMax);
                float offset = (float) rangeMin;
                if (Float.isInfinite(scale) || Float.isInfinite(offset)) {
                    // A float image whose range float32 cannot step through: keep it exact.
                    return new Choice(MapDataType.FLOAT32_LE, 1f, 0f, false);
                }
                return new Choice(MapDataType.UINT8, scale, offset, false);
            }
            default -> {
                return new Choice(e.dataType(), 1f, 0f, false);
            }
        }
    }

    private static boolean fitsInt16(double[] r) {
        return r[0] >= INT16_MIN && r[1] <= INT16_MAX;
    }

    /** The canonical option value, e.g. {@code INT16,sobel=UINT8}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(defaultEncoding.name());
        for (Map.Entry<String, MapEncoding> o : overrides.entrySet()) {
            sb.append(',').append(o.getKey()).append('=').append(o.getValue());
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapEncodings m
                && m.defaultEncoding == defaultEncoding
                && m.overrides.equals(overrides);
    }

    @Override
    public int hashCode() {
        return defaultEncoding.hashCode() * 31 + overrides.hashCode();
    }
}
