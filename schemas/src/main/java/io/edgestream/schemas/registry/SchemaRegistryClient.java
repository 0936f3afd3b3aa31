package io.edgestream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small client of the Confluent Schema Registry REST API (served by Confluent, by Apicurio under
 * {@code /apis/ccompat/v7}, by Karapace and Redpanda), on {@link java.net.http}: register a schema,
 * look one up by id, read and set a subject's compatibility rule, test a schema against it.
 *
 * <p>Schemas by id are cached for the client's lifetime (a registry never changes the schema behind
 * an id), and so are the ids returned by {@link #register} per subject and schema, so a codec can
 * call both per record. Thread-safe; one client per registry per process (or Flink subtask) is
 * enough.
 *
 * <p>Failures are typed ({@link RegistryException} and its subclasses): unreachable registry,
 * unknown schema id, incompatible schema, refused credentials. Messages name the URL and the
 * request, never the credentials.
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of(url));
 * String subject = SubjectNames.topicValue("images");
 * registry.setCompatibility(subject, Compatibility.BACKWARD);
 * int id = registry.register(subject, ImageFrame.getClassSchema());
 * Schema writer = registry.schemaById(id);
 * }</pre>
 */
public final class SchemaRegistryClient {
    /** The Confluent API's content type. */
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** Error code of "schema not found" (HTTP 404). */
    public static final int SCHEMA_NOT_FOUND = 40403;

    /** Error code of "subject not found" (HTTP 404). */
    public static final int SUBJECT_NOT_FOUND = 40401;

    /** Error code of "subject has no compatibility level" (HTTP 404). */
    public static final int SUBJECT_LEVEL_NOT_FOUND = 40408;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistryConfig config) {
        this.config = config;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(config.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    public RegistryConfig config() {
        return config;
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds it there) and returns its global id.
     *
     * @throws IncompatibleSchemaException if the subject's rule refuses it (HTTP 409)
     * @throws RegistryUnreachableException, RegistryAuthException, RegistryException as their names
     *     say
     */
    public int register(String subject, Schema schema) {
        String text = schema.toString();
        String key = subject + '\0' + text;
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", text);
        String what = "registering a " + schema.getFullName() + " schema under '" + subject + "'";
        JsonNode answer =
                call("POST", "/subjects/" + encode(subject) + "/versions", body, what, subject);
        int id = requireInt(answer, "id", what);
        schemasById.putIfAbsent(id, schema);
        idsBySubjectAndSchema.put(key, id);
        return id;
    }

    /**
     * The schema with global id {@code id}; cached after the first call.
     *
     * @throws UnknownSchemaIdException if the registry has no such id (HTTP 404, 40403)
     * @throws RegistryException if the schema is not Avro, or as {@link #register}
     */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String what = "looking up schema id " + id;
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, what, null);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new RegistryException(
                    "Schema id "
                            + id
                            + " at "
                            + config.url()
                            + " is a "
                            + type
                            + " schema, not Avro; the producer uses another serializer",
                    200,
                    0,
                    null);
        }
        String text = answer.path("schema").asText(null);
        Schema schema;
        try {
            // Named types the schema references (Confluent schema references; Apicurio's serde
            // registers nested types that way) are parsed first, into the same parser.
            Schema.Parser parser = new Schema.Parser();
            parseReferences(answer.path("references"), parser, new java.util.HashSet<>(), what);
            if (text == null) {
                throw new SchemaParseException("the answer has no 'schema'");
            }
            schema = parser.parse(text);
        } catch (RuntimeException e) {
            if (e instanceof RegistryException re) {
                throw re;
            }
            throw new RegistryException(
                    "Schema id " + id + " at " + config.url() + " is not a valid Avro schema: " + e,
                    200,
                    0,
                    e);
        }
        Schema known = schemasById.putIfAbsent(id, schema);
        return known != null ? known : schema;
    }

    /**
     * Parses the schemas behind {@code references} ({@code [{name, subject, version}]}), their own
     * references first, each subject version once.
     */
    private void parseReferences(
            JsonNode references, Schema.Parser parser, java.util.Set<String> seen, String what) {
        if (!references.isArray()) {
            return;
        }
        for (JsonNode ref : references) {
            String subject = ref.path("subject").asText();
            String version = ref.path("version").asText();
            if (!seen.add(subject + '/' + version)) {
                continue;
            }
            String refWhat = what + ", reference " + subject + " version " + version;
            JsonNode answer =
                    call(
                            "GET",
                            "/subjects/" + encode(subject) + "/versions/" + encode(version),
                            null,
                            refWhat,
                            subject);
            parseReferences(answer.path("references"), parser, seen, refWhat);
            parser.parse(answer.path("schema").asText());
        }
    }

    /**
     * The compatibility rule of {@code subject}, or the registry's global rule if the subject has
     * none of its own.
     */
    public Compatibility compatibility(String subject) {
        String what = "reading the compatibility of '" + subject + "'";
        JsonNode answer;
        try {
            answer = call("GET", "/config/" + encode(subject), null, what, subject);
        } catch (RegistryException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
            answer = call("GET", "/config", null, "reading the global compatibility", null);
        }
        String level = answer.path("compatibilityLevel").asText(null);
        if (level == null) {
            level = answer.path("compatibility").asText(null);
        }
        if (level == null) {
            throw new RegistryException(
                    "The registry at " + config.url() + " answered " + what + " without a level",
                    200,
                    0,
                    null);
        }
        return Compatibility.valueOf(level);
    }

    /** Sets the compatibility rule of {@code subject} (the subject need not exist yet). */
    public void setCompatibility(String subject, Compatibility level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        call(
                "PUT",
                "/config/" + encode(subject),
                body,
                "setting the compatibility of '" + subject + "' to " + level,
                subject);
    }

    /**
     * Whether {@code schema} may be registered under {@code subject} by its rule, tested against
     * the latest version; true if the subject has no version yet.
     */
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        String what = "testing a " + schema.getFullName() + " schema against '" + subject + "'";
        JsonNode answer;
        try {
            answer =
                    call(
                            "POST",
                            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                            body,
                            what,
                            subject);
        } catch (RegistryException e) {
            if (e.httpStatus() == 404 && !(e instanceof UnknownSchemaIdException)) {
                return true;
            }
            throw e;
        }
        JsonNode v = answer.get("is_compatible");
        if (v == null || !v.isBoolean()) {
            throw new RegistryException(
                    "The registry at " + config.url() + " answered " + what + " without a verdict",
                    200,
                    0,
                    null);
        }
        return v.asBoolean();
    }

    private JsonNode call(String method, String path, JsonNode body, String what, String subject) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(config.url() + path))
                        .timeout(config.readTimeout())
                        .header("Accept", CONTENT_TYPE + ", application/json");
        String auth = config.authorizationHeader();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", CONTENT_TYPE);
            b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RegistryUnreachableException(
                    "Schema registry at "
                            + config.url()
                            + " is unreachable while "
                            + what
                            + " ("
                            + e
                            + "); check the registry URL and that the registry runs and is"
                            + " reachable from here",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnreachableException(
                    "Interrupted while " + what + " at " + config.url(), e);
        }
        int status = r.statusCode();
        JsonNode json = parse(r.body());
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new RegistryException(
                        "The registry at "
                                + config.url()
                                + " answered "
                                + what
                                + " with HTTP "
                                + status
                                + " but no JSON; is the URL the Confluent-compatible API (for"
                                + " Apicurio: .../apis/ccompat/v7)?",
                        status,
                        0,
                        null);
            }
            return json;
        }
        int code = json == null ? 0 : json.path("error_code").asInt(0);
        String serverMessage =
                json == null ? abbreviate(r.body()) : json.path("message").asText("");
        if (status == 401 || status == 403) {
            throw new RegistryAuthException(
                    "Schema registry at "
                            + config.url()
                            + (status == 401
                                    ? " refused the credentials (HTTP 401)"
                                    : " forbids the operation for these credentials (HTTP 403)")
                            + " while "
                            + what
                            + "; sent "
                            + config.authDescription()
                            + ": check the registry user:password or bearer token",
                    status,
                    code);
        }
        if (status == 404 && code == SCHEMA_NOT_FOUND && path.startsWith("/schemas/ids/")) {
            int id = Integer.parseInt(path.substring("/schemas/ids/".length()));
            throw new UnknownSchemaIdException(
                    "Schema id "
                            + id
                            + " is unknown to the registry at "
                            + config.url()
                            + " (HTTP 404, error "
                            + code
                            + "); the record was written against another registry, or is not"
                            + " registry-framed",
                    id,
                    status,
                    code);
        }
        if (status == 409) {
            throw new IncompatibleSchemaException(
                    "Schema registry at "
                            + config.url()
                            + " refused "
                            + what
                            + ": it is incompatible with the subject's rule ("
                            + serverMessage
                            + "); change the schema compatibly (e.g. new fields need defaults)"
                            + " or check the subject's compatibility rule",
                    subject,
                    code);
        }
        throw new RegistryException(
                "Schema registry at "
                        + config.url()
                        + " refused "
                        + what
                        + " with HTTP "
                        + status
                        + (code == 0 ? "" : ", error " + code)
                        + ": "
                        + serverMessage,
                status,
                code,
                null);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private int requireInt(JsonNode answer, String field, String what) {
        JsonNode v = answer.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new RegistryException(
                    "The registry at "
                            + config.url()
                            + " answered "
                            + what
                            + " without an integer '"
                            + field
                            + "'",
                    200,
                    0,
                    null);
        }
        return v.asInt();
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
