package io.warden.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A reverse proxy whose Warden behind it is down or broken, answering as nginx or a load balancer
 * does then: every request gets the same page of its own (an HTML 502, a plain-text 503), not a
 * Warden problem document. Warden itself never answers like this; the CLI must still print one
 * readable line.
 */
final class BrokenProxy implements AutoCloseable {

    private final HttpServer server;

    private BrokenProxy(int status, String contentType, String body, String... headerPairs) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; OutputStream out = exchange.getResponseBody()) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
                for (int i = 0; i < headerPairs.length; i += 2) {
                    exchange.getResponseHeaders().set(headerPairs[i], headerPairs[i + 1]);
                }
                exchange.sendResponseHeaders(status, bytes.length);
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Answers every request with this status, body and headers (name, value, name, value...). */
    static BrokenProxy answering(int status, String contentType, String body, String... headerPairs) throws IOException {
        return new BrokenProxy(status, contentType, body, headerPairs);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
