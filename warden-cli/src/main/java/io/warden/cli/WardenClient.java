package io.warden.cli;

import io.warden.api.ApplyResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Warden HTTP API as the CLI uses it (docs/reference/api.md). Every method either returns
 * what the server sent or throws {@link ApiException} (the server said no) or
 * {@link UnreachableException} (no answer).
 */
final class WardenClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final int PAGE_SIZE = 500;

    /** Error bodies of a watch are read up to this size; a problem document is far smaller. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClient http;
    private final Target target;
    private final String userAgent;
    private final Consumer<String> log;

    WardenClient(HttpClient http, Target target, String userAgent, Consumer<String> log) {
        this.http = http;
        this.target = target;
        this.userAgent = userAgent;
        this.log = log;
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                // A redirect would be a misconfigured server URL; following it could carry the token elsewhere.
                .followRedirects(HttpClient.Redirect.NEVER)
                // Plain HTTP/1.1: no h2c upgrade dance with servers and proxies that do not expect it.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    Target target() {
        return target;
    }

    /** PUTs a manifest; says whether it was created, configured or left unchanged. */
    ApplyResult apply(ResourceRef ref, JsonNode manifest) {
        HttpResponse<byte[]> response = send(request(uri(ref.path(), Map.of()))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.JSON.writeValueAsBytes(manifest))));
        String header = response.headers().firstValue(ApplyResult.HEADER).orElse("");
        try {
            return ApplyResult.valueOf(header.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // A server without the header: the status still tells created from updated.
            return response.statusCode() == 201 ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
        }
    }

    ObjectNode get(ResourceRef ref) {
        return object(send(request(uri(ref.path(), Map.of())).timeout(REQUEST_TIMEOUT).GET()));
    }

    ObjectNode listPage(ResourceRef collection, String selector, String continueToken) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", Integer.toString(PAGE_SIZE));
        if (continueToken != null) {
            query.put("continue", continueToken);
        }
        if (selector != null) {
            query.put("labelSelector", selector);
        }
        return object(send(request(uri(collection.path(), query)).timeout(REQUEST_TIMEOUT).GET()));
    }

    void delete(ResourceRef ref) {
        send(request(uri(ref.path(), Map.of())).timeout(REQUEST_TIMEOUT).DELETE());
    }

    ObjectNode version() {
        return object(send(request(uri("/v1/version", Map.of())).timeout(REQUEST_TIMEOUT).GET()));
    }

    /** Whether a request carries the context's token; setup and login must not send a stale one. */
    enum Auth { BEARER, NONE }

    /**
     * POSTs a JSON body (null: an empty body) to an API path such as {@code /v1/auth/token}. The
     * body may hold a password: it is never logged, and the caller wipes it after this returns.
     */
    ObjectNode post(String path, byte[] body, Auth auth) {
        HttpRequest.Builder builder = request(uri(path, Map.of()), auth).timeout(REQUEST_TIMEOUT);
        if (body == null) {
            builder.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<byte[]> response = send(builder);
        // Actions such as disable answer with the user or with nothing; both are a success.
        return response.body().length == 0 ? Json.JSON.createObjectNode() : object(response);
    }

    /** A JSON answer with the headers it came with, for callers that read one (Idempotent-Replay). */
    record Answer(int status, HttpHeaders headers, ObjectNode body) {
    }

    /** POSTs {@code body} as JSON to an API path, with extra request headers such as Idempotency-Key. */
    Answer post(String path, JsonNode body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(uri(path, Map.of())).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.JSON.writeValueAsBytes(body)));
        headers.forEach(builder::header);
        HttpResponse<byte[]> response = send(builder);
        return new Answer(response.statusCode(), response.headers(), object(response));
    }

    /** POSTs without a body to an API path with a query, such as {@code /v1/audit/checkpoints?cluster=true}. */
    ObjectNode post(String path, Map<String, String> query) {
        HttpResponse<byte[]> response = send(request(uri(path, query)).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()));
        return response.body().length == 0 ? Json.JSON.createObjectNode() : object(response);
    }

    /**
     * GETs a text document, such as the PEM of {@code /v1/audit/public-key}, accepting
     * {@code mediaType} (and a problem document when the server refuses).
     */
    String text(String path, String mediaType) {
        HttpResponse<byte[]> response = send(request(uri(path, Map.of())).timeout(REQUEST_TIMEOUT)
                .setHeader("Accept", mediaType + ", application/problem+json")
                .GET());
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /**
     * GETs a long answer as a stream, such as the JSON Lines of {@code /v1/audit/verify}. No request
     * timeout: the server answers as it goes, for as long as the work takes. The caller closes
     * the stream.
     */
    InputStream stream(String path, Map<String, String> query, String mediaType) {
        HttpRequest request = request(uri(path, query))
                .setHeader("Accept", mediaType + ", application/problem+json")
                .GET()
                .build();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            throw new ApiException(Problem.from(response.statusCode(), response.headers(), errorBody(response.body())));
        }
        return response.body();
    }

    private static byte[] errorBody(InputStream body) {
        try (InputStream in = body) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** GETs a JSON object from an API path that is not a resource, such as {@code /v1/auth/whoami}. */
    ObjectNode get(String path, Map<String, String> query) {
        return object(send(request(uri(path, query)).timeout(REQUEST_TIMEOUT).GET()));
    }

    /** DELETEs an API path that is not a resource, such as {@code /v1/tokens/{id}}. */
    void delete(String path) {
        send(request(uri(path, Map.of())).timeout(REQUEST_TIMEOUT).DELETE());
    }

    /**
     * Opens a watch and returns the event stream. No request timeout: the stream is meant to stay
     * open; {@link Watcher} notices a silent connection through the server's keep-alives.
     */
    InputStream watch(ResourceRef collection, String selector, String resourceVersion) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("watch", "true");
        if (resourceVersion != null) {
            query.put("resourceVersion", resourceVersion);
        }
        if (selector != null) {
            query.put("labelSelector", selector);
        }
        return eventStream(collection.path(), query, resourceVersion);
    }

    /**
     * GETs a {@code text/event-stream}, such as a watch or the events of a task, resuming after
     * {@code lastEventId} (sent as {@code Last-Event-ID}) when it is not null. No request timeout,
     * as for {@link #watch}. The caller closes the stream.
     */
    InputStream eventStream(String path, Map<String, String> query, String lastEventId) {
        HttpRequest.Builder builder = request(uri(path, query)).setHeader("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            throw new ApiException(Problem.from(response.statusCode(), response.headers(), errorBody(response.body())));
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            closeQuietly(response.body());
            throw CliException.error("the server at " + target.server() + " did not answer GET " + path
                    + " with an event stream (Content-Type: " + Text.cell(contentType) + ")");
        }
        return response.body();
    }

    private HttpRequest.Builder request(URI uri) {
        return request(uri, Auth.BEARER);
    }

    /** Headers are never logged, so the Authorization header cannot reach a --verbose log. */
    private HttpRequest.Builder request(URI uri, Auth auth) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (auth == Auth.BEARER && target.token() != null) {
            builder.header("Authorization", "Bearer " + target.token());
        }
        return builder;
    }

    private URI uri(String path, Map<String, String> query) {
        StringBuilder sb = new StringBuilder(target.server().toString()).append(path);
        if (!query.isEmpty()) {
            StringJoiner joiner = new StringJoiner("&", "?", "");
            query.forEach((k, v) -> joiner.add(encode(k) + "=" + encode(v)));
            sb.append(joiner);
        }
        return URI.create(sb.toString());
    }

    /** Form encoding, but with %20 for spaces: {@code key in (a, b)} must not arrive as {@code key+in}. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends one request: verbose logging, and transport failures as CLI errors. */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        log.accept("> " + request.method() + " " + request.uri());
        long start = System.nanoTime();
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (IOException e) {
            throw UnreachableException.of(target.server(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.error("interrupted");
        }
        logResponse(response, start);
        return response;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder) {
        HttpResponse<byte[]> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw new ApiException(Problem.from(response.statusCode(), response.headers(), response.body()));
        }
        return response;
    }

    private void logResponse(HttpResponse<?> response, long startNanos) {
        long millis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        String requestId = response.headers().firstValue("X-Request-Id").map(id -> ", request id " + Text.cell(id)).orElse("");
        log.accept("< " + response.statusCode() + " (" + millis + " ms" + requestId + ")");
    }

    private ObjectNode object(HttpResponse<byte[]> response) {
        JsonNode node;
        try {
            node = response.body().length == 0 ? null : Json.JSON.readTree(response.body());
        } catch (JacksonException e) {
            node = null;
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        if (response.statusCode() == 204) {
            return Json.JSON.createObjectNode();
        }
        throw CliException.error("unexpected answer from " + target.server() + " to " + response.request().method() + " "
                + response.request().uri().getRawPath() + ": not a JSON object");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Nothing to do: the stream is being abandoned anyway.
        }
    }
}
