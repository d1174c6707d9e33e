package io.tedeesync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files as Javalin's static-file handler served them: types, the dashboard's headers, ETag and 304, 404 else. */
class DashboardFilesTest {
    @TempDir
    Path data;

    private StreamBed bed;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bed.port() + path));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyFileOfPublicIsServed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/public"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrderElementsOf(DashboardFiles.FILES);
        }
    }

    @Test
    void filesComeWithTheirTypeTheDashboardHeadersAndAnETagThatAnswers304() throws IOException, InterruptedException {
        bed = new StreamBed(data);

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.body()).contains("app.js").isEqualTo(get("/index.html").body());
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(get("/app.css").headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
        HttpResponse<String> script = get("/app.js");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=utf-8");
        assertThat(script.body()).isEqualTo(new String(Files.readAllBytes(Path.of("src/main/resources/public/app.js")),
                java.nio.charset.StandardCharsets.UTF_8));

        String etag = script.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).as("weak: the file goes out gzipped or not under it").startsWith("W/\"");
        HttpResponse<String> again = get("/app.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/app.js", "If-None-Match", "\"something-else\"").statusCode()).isEqualTo(200);
    }

    @Test
    void aGzippedFileHasTheSameTagAndBothCodingsVaryByAcceptEncoding() throws IOException, InterruptedException {
        bed = new StreamBed(data);

        HttpResponse<String> identity = get("/app.js");
        HttpResponse<String> gzip = get("/app.js", "Accept-Encoding", "gzip");
        String etag = identity.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> identity304 = get("/app.js", "If-None-Match", etag);
        HttpResponse<String> gzip304 = get("/app.js", "If-None-Match", etag, "Accept-Encoding", "gzip");

        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzip.headers().firstValue("ETag")).hasValue(etag);
        assertThat(identity304.statusCode()).isEqualTo(304);
        assertThat(gzip304.statusCode()).isEqualTo(304);
        for (HttpResponse<String> answer : java.util.List.of(identity, gzip, identity304, gzip304)) {
            assertThat(answer.headers().allValues("Vary")).as(answer.headers().map().toString()).contains("Accept-Encoding");
        }
    }

    @Test
    void anythingElseIsTheJsonNotFound() throws IOException, InterruptedException {
        bed = new StreamBed(data);

        for (String path : new String[] {"/nothing.js", "/public/app.js", "/app.js/x"}) {
            HttpResponse<String> missing = get(path);
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(missing.body()).contains("\"error\":\"not_found\"");
        }
    }
}
