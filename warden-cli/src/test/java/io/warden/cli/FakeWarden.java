package io.warden.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that plays the Warden API for the few calls a test needs: routes by
 * method and exact path, records every request, and answers 404 problems for anything else.
 */
final class FakeWarden implements AutoCloseable {

    /** A request as the server saw it. */
    record Request(String method, String path, String rawQuery, Headers headers, String body) {

        Map<String, String> query() {
            Map<String, String> query = new LinkedHashMap<>();
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    int eq = pair.indexOf('=');
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return query;
        }

        String header(String name) {
            return headers.getFirst(name);
        }

        @Override
        public String toString() {
            return method + " " + path + (rawQuery == null ? "" : "?" + rawQuery);
        }
    }

    /** Answers one request. */
    @FunctionalInterface
    interface Handler {
        void handle(Request request, HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, List<Handler>> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile Handler fallback = (request, exchange) ->
            problem(exchange, 404, "Not Found", "no route for " + request, "fake-404");

    private FakeWarden() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // One thread per exchange: a watch holds its connection open while other calls go on.
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    static FakeWarden start() throws IOException {
        return new FakeWarden();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Routes {@code method path} (path without query). With several handlers the n-th call gets
     * the n-th handler, and the last one answers every call after that.
     */
    FakeWarden on(String method, String path, Handler... handlers) {
        routes.put(method + " " + path, List.of(handlers));
        return this;
    }

    /** Answers everything without a route. */
    FakeWarden otherwise(Handler handler) {
        fallback = handler;
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<String> requestLines() {
        List<String> lines = new ArrayList<>();
        requests.forEach(r -> lines.add(r.method() + " " + r.path()));
        return lines;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
            requests.add(request);
            String key = request.method() + " " + request.path();
            List<Handler> handlers = routes.get(key);
            if (handlers == null) {
                fallback.handle(request, exchange);
                return;
            }
            int n = calls.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
            handlers.get(Math.min(n, handlers.size() - 1)).handle(request, exchange);
        }
    }

    static void json(HttpExchange exchange, int status, String body, String... headerPairs) throws IOException {
        respond(exchange, status, "application/json", body, headerPairs);
    }

    static void problem(HttpExchange exchange, int status, String title, String detail, String requestId) throws IOException {
        respond(exchange, status, "application/problem+json", """
                {"type":"https://warden.dev/problems/x","title":"%s","status":%d,"detail":"%s","requestId":"%s"}"""
                .formatted(title, status, detail, requestId));
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body, String... headerPairs) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        for (int i = 0; i < headerPairs.length; i += 2) {
            exchange.getResponseHeaders().set(headerPairs[i], headerPairs[i + 1]);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Starts an event stream; the caller writes events with {@link #event} and returns to end it. */
    static OutputStream startEvents(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    static void event(OutputStream out, String id, String type, String json) throws IOException {
        out.write(("id: " + id + "\nevent: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
