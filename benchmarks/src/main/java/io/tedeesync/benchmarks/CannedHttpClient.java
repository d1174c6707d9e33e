package io.tedeesync.benchmarks;

import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link HttpClient} that answers every request with HTTP 200 and the body set by {@link #answerWith},
 * without a socket. It lets a benchmark run the real {@code TedeeClient} parsing (envelope, wire DTOs,
 * timestamps, mapping to domain records) through the client's public {@code httpClient(..)} setting,
 * while measuring no network, no server thread and no HTTP framing.
 *
 * <p>The body goes through the caller's own {@link HttpResponse.BodyHandler}, as the JDK client would
 * feed it, so the client sees exactly the {@code byte[]} it would get from a real response. Not
 * thread-safe: one per benchmark thread.
 */
final class CannedHttpClient extends HttpClient {
    private static final HttpHeaders JSON = HttpHeaders.of(
            Map.of("Content-Type", List.of("application/json; charset=utf-8")), (name, value) -> true);

    private byte[] body = new byte[0];

    /** The body of the next answers. */
    void answerWith(byte[] body) {
        this.body = body;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(new Info());
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                // Everything is delivered at once below; demand does not matter.
            }

            @Override
            public void cancel() {
                // Nothing to release.
            }
        });
        subscriber.onNext(List.of(ByteBuffer.wrap(body)));
        subscriber.onComplete();
        T value = subscriber.getBody().toCompletableFuture().join();
        return new Answer<>(request, value);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return CompletableFuture.completedFuture(send(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return sendAsync(request, handler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    @Override
    public SSLParameters sslParameters() {
        return new SSLParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public Version version() {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
        return Optional.empty();
    }

    private static final class Info implements HttpResponse.ResponseInfo {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public HttpHeaders headers() {
            return JSON;
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }
    }

    private record Answer<T>(HttpRequest request, T body) implements HttpResponse<T> {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return JSON;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }
    }
}
