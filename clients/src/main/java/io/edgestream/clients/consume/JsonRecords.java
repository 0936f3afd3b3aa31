package io.edgestream.clients.consume;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads back what {@link Json} wrote for an Avro record: a line of {@code stats.jsonl} to the
 * {@code EdgeStats} it came from, so a consumer group resumed into the same {@code OUT} knows which
 * maps are written and can show them in the gallery again. The inverse of {@link Json}'s rules: a
 * {@code null} for a {@code double} or {@code float} field is NaN (JSON has no NaN), bytes are
 * Base64, an enum is its symbol, a nullable union is its value or {@code null}; a field missing
 * from the line (written by an older version) takes its schema default.
 */
final class JsonRecords {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonRecords() {}

    /**
     * The record of {@code type} that {@link Json#write} turned into {@code line}.
     *
     * @throws IllegalArgumentException if the line is not such a record
     */
    static <T extends SpecificRecord> T read(String line, Schema schema, Class<T> type) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        Object generic = value(node, schema, schema.getName());
        return type.cast(SpecificData.get().deepCopy(schema, generic));
    }

    /**
     * A line of {@code dead-letters.jsonl} ({@link OutputDir#deadLetterLine}) as the gallery shows
     * it.
     *
     * @throws IllegalArgumentException if the line is not such a line
     */
    static Gallery.DeadView deadView(String line) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        for (String f : List.of("sourceTopic", "sourcePartition", "sourceOffset", "reason")) {
            if (n == null || !n.hasNonNull(f)) {
                throw new IllegalArgumentException("no " + f);
            }
        }
        JsonNode id = n.get("imageId");
        JsonNode message = n.get("message");
        return new Gallery.DeadView(
                id == null || id.isNull() ? null : id.asText(),
                n.get("reason").asText(),
                message == null || message.isNull() ? "" : message.asText(),
                n.get("sourceTopic").asText()
                        + "-"
                        + n.get("sourcePartition").asInt()
                        + "@"
                        + n.get("sourceOffset").asLong());
    }

    private static Object value(JsonNode n, Schema s, String path) {
        switch (s.getType()) {
            case NULL:
                require(n == null || n.isNull(), n, s, path);
                return null;
            case BOOLEAN:
                require(n != null && n.isBoolean(), n, s, path);
                return n.booleanValue();
            case INT:
                require(n != null && n.canConvertToInt(), n, s, path);
                return n.intValue();
            case LONG:
                require(n != null && n.canConvertToLong(), n, s, path);
                return n.longValue();
            case FLOAT:
                return n == null || n.isNull() ? Float.NaN : (float) number(n, s, path);
            case DOUBLE:
                return n == null || n.isNull() ? Double.NaN : number(n, s, path);
            case STRING:
                require(n != null && n.isTextual(), n, s, path);
                return n.textValue();
            case BYTES:
                require(n != null && n.isTextual(), n, s, path);
                return ByteBuffer.wrap(Base64.getDecoder().decode(n.textValue()));
            case ENUM:
                require(n != null && n.isTextual() && s.hasEnumSymbol(n.textValue()), n, s, path);
                return new GenericData.EnumSymbol(s, n.textValue());
            case ARRAY:
                {
                    require(n != null && n.isArray(), n, s, path);
                    List<Object> out = new ArrayList<>(n.size());
                    for (int i = 0; i < n.size(); i++) {
                        out.add(value(n.get(i), s.getElementType(), path + "[" + i + "]"));
                    }
                    return new GenericData.Array<>(s, out);
                }
            case MAP:
                {
                    require(n != null && n.isObject(), n, s, path);
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        out.put(
                                e.getKey(),
                                value(e.getValue(), s.getValueType(), path + "." + e.getKey()));
                    }
                    return out;
                }
            case RECORD:
                {
                    require(n != null && n.isObject(), n, s, path);
                    GenericData.Record r = new GenericData.Record(s);
                    for (Schema.Field f : s.getFields()) {
                        JsonNode v = n.get(f.name());
                        if (v == null && f.hasDefaultValue()) {
                            r.put(f.pos(), GenericData.get().getDefaultValue(f));
                        } else {
                            r.put(f.pos(), value(v, f.schema(), path + "." + f.name()));
                        }
                    }
                    return r;
                }
            case UNION:
                {
                    IllegalArgumentException last = null;
                    for (Schema branch : s.getTypes()) {
                        if (branch.getType() == Schema.Type.NULL && (n == null || n.isNull())) {
                            return null;
                        }
                        if (branch.getType() == Schema.Type.NULL) {
                            continue;
                        }
                        try {
                            return value(n, branch, path);
                        } catch (IllegalArgumentException e) {
                            last = e;
                        }
                    }
                    throw last != null ? last : mismatch(n, s, path);
                }
            default:
                throw new IllegalArgumentException(
                        path + ": schema type " + s.getType() + " is not read back");
        }
    }

    private static double number(JsonNode n, Schema s, String path) {
        require(n.isNumber(), n, s, path);
        return n.doubleValue();
    }

    private static void require(boolean ok, JsonNode n, Schema s, String path) {
        if (!ok) {
            throw mismatch(n, s, path);
        }
    }

    private static IllegalArgumentException mismatch(JsonNode n, Schema s, String path) {
        return new IllegalArgumentException(
                path + ": expected " + s.getType() + ", found " + (n == null ? "nothing" : n));
    }
}
