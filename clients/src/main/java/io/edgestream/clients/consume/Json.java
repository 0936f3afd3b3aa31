package io.edgestream.clients.consume;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * A tiny JSON writer for Avro records and plain values, with exactly the field names of the schema
 * and no union wrappers (unlike Avro's own JSON encoding, which writes {@code {"string": "x"}} for
 * a nullable string): a null is {@code null}, a record an object, an array an array, a map an
 * object, an enum its symbol, bytes Base64. Non-finite floating-point values (NaN, ±Infinity),
 * which JSON cannot represent, are written as {@code null}.
 */
public final class Json {
    private Json() {}

    /** {@code value} as compact JSON on one line. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder(256);
        append(sb, value);
        return sb.toString();
    }

    /** Appends {@code value} as JSON. */
    public static void append(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof IndexedRecord r) {
            sb.append('{');
            boolean first = true;
            for (Schema.Field f : r.getSchema().getFields()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, f.name());
                sb.append(':');
                append(sb, r.get(f.pos()));
            }
            sb.append('}');
        } else if (value instanceof CharSequence s) {
            string(sb, s);
        } else if (value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            string(sb, value.toString());
        } else if (value instanceof Double d) {
            number(sb, d);
        } else if (value instanceof Float f) {
            if (Float.isFinite(f)) {
                sb.append(Float.toString(f));
            } else {
                sb.append("null");
            }
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof ByteBuffer b) {
            ByteBuffer d = b.duplicate();
            byte[] bytes = new byte[d.remaining()];
            d.get(bytes);
            string(sb, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof byte[] bytes) {
            string(sb, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                append(sb, o);
            }
            sb.append(']');
        } else if (value instanceof GenericContainer) {
            string(sb, value.toString());
        } else {
            string(sb, value.toString());
        }
    }

    private static void number(StringBuilder sb, double d) {
        // Double.toString gives "3.0" or "1.0E7": both valid JSON, and a double stays a float.
        sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
    }

    /** Appends {@code s} as a JSON string with the escapes RFC 8259 requires. */
    public static void string(StringBuilder sb, CharSequence s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        // U+2028/2029 are valid JSON but break JavaScript string literals.
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
