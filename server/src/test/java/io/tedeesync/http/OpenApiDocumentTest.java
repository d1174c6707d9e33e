package io.tedeesync.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /openapi.json} is a valid OpenAPI 3.1 document, and describes exactly the routes the running service
 * registers: none missing, none stale.
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @TempDir
    Path data;

    private static String document() {
        return new String(OpenApiRoute.load(), StandardCharsets.UTF_8);
    }

    @Test
    void theDocumentParsesAsOpenApi31WithoutAnyMessage() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document(), null, options);

        assertThat(result.getMessages()).as("swagger-parser's messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api).isNotNull();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getSpecVersion()).isEqualTo(io.swagger.v3.oas.models.SpecVersion.V31);
        assertThat(api.getComponents().getSchemas()).containsKeys("LockView", "LockPage", "Summary", "History", "Event", "Error",
                "Account", "WebhookEndpoint", "Health");
        assertThat(api.getComponents().getSecuritySchemes()).containsKeys("apiToken", "adminToken");
    }

    @Test
    void everyOperationHasAnIdASummaryAndItsErrorsAndEveryIdIsUnique() throws Exception {
        JsonNode paths = ApiJson.MAPPER.readTree(document()).path("paths");
        Set<String> ids = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String name = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
            JsonNode node = operation.getValue();
            if (!ids.add(node.path("operationId").asText())) {
                problems.add(name + ": operationId " + node.path("operationId") + " is used twice");
            }
            if (node.path("summary").asText().isBlank() || node.path("description").asText().isBlank()) {
                problems.add(name + ": no summary or description");
            }
            if (!node.path("responses").has("500")) {
                problems.add(name + ": the 500 every route may answer is not described");
            }
        }));
        assertThat(problems).isEmpty();
    }

    /**
     * The routes as Javalin has them ({@code {param}}) are the document's paths (OpenAPI's {@code {param}} too: the
     * same spelling, so no conversion but the method's case). The dashboard's files, one route each, are the one path
     * {@code /{file}}, whose parameter names each of them.
     */
    @Test
    void everyRegisteredRouteIsDescribedAndEveryDescribedOneIsRegistered() throws Exception {
        Set<String> registered = new TreeSet<>();
        try (StreamBed bed = new StreamBed(data)) {
            for (String route : bed.api.routes()) {
                boolean file = DashboardFiles.FILES.stream().anyMatch(name -> route.equals("GET /" + name));
                registered.add(file ? "GET /{file}" : route);
            }
        }
        JsonNode files = ApiJson.MAPPER.readTree(document()).path("paths").path("/{file}").path("get").path("parameters").path(0)
                .path("schema").path("enum");
        Set<String> describedFiles = new TreeSet<>();
        files.forEach(name -> describedFiles.add(name.asText()));
        assertThat(describedFiles).as("the dashboard's files in openapi.json's /{file}").isEqualTo(new TreeSet<>(DashboardFiles.FILES));
        Set<String> described = new TreeSet<>();
        ApiJson.MAPPER.readTree(document()).path("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> {
                    if (METHODS.contains(method)) {
                        described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));

        assertThat(registered).as("the service's routes").contains("GET /openapi.json", "GET /api/locks", "GET /api/summary",
                "GET /api/locks/{serialNumber}/history", "POST /webhooks/tedee/{secret}");
        Set<String> undescribed = new TreeSet<>(registered);
        undescribed.removeAll(described);
        Set<String> stale = new TreeSet<>(described);
        stale.removeAll(registered);
        assertThat(undescribed).as("routes the service registers that openapi.json does not describe").isEmpty();
        assertThat(stale).as("operations openapi.json describes that the service does not register").isEmpty();
    }
}
