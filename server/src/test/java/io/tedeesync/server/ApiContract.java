package io.tedeesync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The service's {@code /openapi.json} as a contract the tests hold every answer to: finds the operation of a method
 * and path, the response of a status, and checks the answer against it: the status is described, the content type is
 * one the response describes (or there is no body where it describes none), and a JSON body validates against the
 * response's schema (JSON Schema 2020-12 in OpenAPI 3.1's dialect, {@code $ref}s to the components resolved in the
 * document itself, formats asserted). {@link HttpCalls#send} runs every answer of the suite through {@link #shared()}.
 *
 * <p>Requests to paths the document does not describe (the simulator's, an unknown route) are not checked here; the
 * test that holds the document to the registered routes covers those. Thread-safe: schemas are compiled once, per
 * response, and shared.
 */
final class ApiContract {
    static final String RESOURCE = "/io/tedeesync/http/openapi.json";
    /** The document's own address for the validator: never fetched, its text is given to the registry. */
    private static final String DOCUMENT_IRI = "https://tedee-sync.invalid/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_SHOWN = 600;
    private static volatile ApiContract shared;

    private final JsonNode document;
    private final List<PathTemplate> paths;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** What the document says of one answer, or why it says nothing. */
    record Operation(String method, String template, JsonNode node) {
    }

    private record PathTemplate(String template, Pattern pattern, int parameters) {
    }

    ApiContract(String documentText) {
        try {
            this.document = JSON.readTree(documentText);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.json is not JSON", e);
        }
        List<PathTemplate> templates = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(template -> templates.add(compile(template)));
        // A literal segment wins over a parameter: /api/locks/x/sync is not /api/locks/{serialNumber}.
        templates.sort(Comparator.comparingInt(PathTemplate::parameters));
        this.paths = List.copyOf(templates);
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(DOCUMENT_IRI, documentText))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The contract of the document in the service's jar (test classpath). */
    static ApiContract shared() {
        ApiContract contract = shared;
        if (contract == null) {
            synchronized (ApiContract.class) {
                if (shared == null) {
                    shared = new ApiContract(documentText());
                }
                contract = shared;
            }
        }
        return contract;
    }

    static String documentText() {
        try (InputStream in = ApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode document() {
        return document;
    }

    /** The documented operation for {@code method} and a request path (raw, without query), if the path is described. */
    Optional<Operation> operation(String method, String rawPath) {
        for (PathTemplate path : paths) {
            if (path.pattern().matcher(rawPath).matches()) {
                JsonNode node = document.path("paths").path(path.template()).path(method.toLowerCase(Locale.ROOT));
                return Optional.of(new Operation(method.toUpperCase(Locale.ROOT), path.template(), node.isMissingNode() ? null : node));
            }
        }
        return Optional.empty();
    }

    /** Whether the document describes this path at all. */
    boolean describes(String rawPath) {
        return paths.stream().anyMatch(path -> path.pattern().matcher(rawPath).matches());
    }

    /**
     * The problems of one answer (none when it conforms, or when its path is not described): each a line for people.
     */
    List<String> problems(String method, String rawPath, int status, Optional<String> contentType, String body) {
        Optional<Operation> found = operation(method, rawPath);
        if (found.isEmpty()) {
            return List.of();
        }
        Operation operation = found.get();
        if (operation.node() == null) {
            // Javalin's own answer to a method the path does not have: not an operation of the API.
            return status == 404 || status == 405 ? List.of()
                    : List.of(operation.method() + " " + operation.template() + " answered " + status + " but is not described");
        }
        JsonNode response = resolve(operation.node().path("responses").path(Integer.toString(status)));
        if (response.isMissingNode()) {
            return List.of("status " + status + " is not described (described: " + names(operation.node().path("responses")) + ")");
        }
        JsonNode content = response.path("content");
        boolean empty = body == null || body.isEmpty();
        if (content.isMissingNode() || content.isEmpty()) {
            return empty ? List.of() : List.of("status " + status + " is described without a body, but the answer has one");
        }
        String mediaType = contentType.map(type -> type.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
        JsonNode media = content.path(mediaType);
        if (media.isMissingNode()) {
            return List.of("content type '" + contentType.orElse("(none)") + "' is not described for " + status + " (described: "
                    + names(content) + ")");
        }
        if (!mediaType.equals("application/json") || media.path("schema").isMissingNode()) {
            return List.of();
        }
        Schema schema = schemas.computeIfAbsent(operation.method() + " " + operation.template() + " " + status,
                key -> compile(key, media.path("schema")));
        List<Error> errors;
        try {
            errors = schema.validate(body, InputFormat.JSON);
        } catch (RuntimeException e) {
            return List.of("the body is not JSON: " + e.getMessage());
        }
        return errors.stream().map(Error::toString).toList();
    }

    /** The problems of a JSON text as an instance of the component schema {@code name} (e.g. an SSE frame's {@code Event}). */
    List<String> schemaProblems(String name, String json) {
        if (document.path("components").path("schemas").path(name).isMissingNode()) {
            throw new IllegalArgumentException("openapi.json has no schema " + name);
        }
        Schema schema = schemas.computeIfAbsent("component " + name, key -> registry.getSchema(
                SchemaLocation.of(DOCUMENT_IRI + "#/components/schemas/" + name)));
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** Fails with a readable message when the answer does not conform. */
    void check(String method, String rawPath, HttpResponse<String> response) {
        List<String> problems = problems(method, rawPath, response.statusCode(), response.headers().firstValue("Content-Type"),
                response.body());
        if (!problems.isEmpty()) {
            String body = response.body() == null ? "" : response.body();
            throw new AssertionError("the answer to " + method + " " + rawPath + " (" + response.statusCode()
                    + ") does not match openapi.json:\n  - " + String.join("\n  - ", problems) + "\n  body: "
                    + (body.length() > BODY_SHOWN ? body.substring(0, BODY_SHOWN) + "..." : body));
        }
    }

    /** A response's schema as a schema of its own, its {@code $ref}s pointing into the document. */
    private Schema compile(String key, JsonNode schema) {
        JsonNode anchored = anchor(schema.deepCopy());
        String id = "https://tedee-sync.invalid/answers/" + key.replaceAll("[^A-Za-z0-9]+", "-");
        return registry.getSchema(SchemaLocation.of(id), anchored.toString(), InputFormat.JSON);
    }

    private static JsonNode anchor(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
                object.set("$ref", TextNode.valueOf(DOCUMENT_IRI + ref.asText()));
            }
            object.properties().forEach(field -> anchor(field.getValue()));
        } else if (node.isArray()) {
            node.forEach(ApiContract::anchor);
        }
        return node;
    }

    /** A response, or the component a {@code $ref} names. */
    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual() && ref.asText().startsWith("#/")) {
            return document.at(ref.asText().substring(1));
        }
        return node;
    }

    private static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return String.join(", ", names);
    }

    /** {@code /api/locks/{serialNumber}} as a pattern of raw paths: a parameter is one segment. */
    private static PathTemplate compile(String template) {
        StringBuilder regex = new StringBuilder();
        int parameters = 0;
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            if (part.startsWith("{") && part.endsWith("}")) {
                regex.append("[^/]+");
                parameters++;
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        return new PathTemplate(template, Pattern.compile(regex.toString()), parameters);
    }
}
