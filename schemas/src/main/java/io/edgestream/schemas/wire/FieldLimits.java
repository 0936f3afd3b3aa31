package io.edgestream.schemas.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Upper bounds on the size of top-level fields of a record, checked by {@link
 * AvroWire#decode(byte[], FieldLimits)} while it walks the body and before Avro materialises
 * anything. A value may be well under the record-size limit and still be hostile: a 600 KB id is
 * copied into every output record derived from it, and a few MB of one-character map entries become
 * millions of objects on the heap. Limits make both a clean {@code FIELD_TOO_LARGE} instead.
 *
 * <p>What is measured: for a string or bytes field its length in bytes (UTF-8 for strings), for a
 * map or array the sum over its entries (keys and values) plus one byte per entry, so that a
 * million empty entries are not free, for a union the branch present (0 for null). Immutable.
 *
 * <pre>{@code
 * FieldLimits limits = FieldLimits.none()
 *         .with("imageId", 512, "max.id.bytes")
 *         .with("attributes", 65536, "max.attributes.bytes");
 * ImageFrame frame = AvroWire.imageFrames().decode(value, limits);
 * }</pre>
 */
public final class FieldLimits {
    /**
     * The largest size of one field.
     *
     * @param maxBytes largest accepted size in bytes
     * @param setting the name of the setting that holds the limit, for the message
     */
    public record Limit(long maxBytes, String setting) {
        public Limit {
            if (maxBytes < 0) {
                throw new IllegalArgumentException(
                        "a field limit must be 0 or more bytes, got " + maxBytes);
            }
            Objects.requireNonNull(setting, "setting");
        }
    }

    private static final FieldLimits NONE = new FieldLimits(Map.of());

    private final Map<String, Limit> byField;

    private FieldLimits(Map<String, Limit> byField) {
        this.byField = Collections.unmodifiableMap(byField);
    }

    /** No limits: every field is only bounded by the record size. */
    public static FieldLimits none() {
        return NONE;
    }

    /** These limits plus one on top-level field {@code field}. */
    public FieldLimits with(String field, long maxBytes, String setting) {
        Map<String, Limit> m = new LinkedHashMap<>(byField);
        m.put(Objects.requireNonNull(field, "field"), new Limit(maxBytes, setting));
        return new FieldLimits(m);
    }

    /** The limit on {@code field}, or null if it has none. */
    public Limit of(String field) {
        return byField.get(field);
    }

    /** True if no field is limited. */
    public boolean isEmpty() {
        return byField.isEmpty();
    }

    /** Every limit, by field name. */
    public Map<String, Limit> all() {
        return byField;
    }

    @Override
    public String toString() {
        return "FieldLimits" + byField;
    }
}
