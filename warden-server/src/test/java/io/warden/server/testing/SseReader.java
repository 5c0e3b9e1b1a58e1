package io.warden.server.testing;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** Reads a server-sent event stream in the background; tests take events with a timeout. */
public final class SseReader implements AutoCloseable {

    public record Event(long id, String type, JsonNode data) {
        public String name() {
            return data.path("object").path("metadata").path("name").asString();
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile Stream<String> lines;

    public SseReader(HttpClient client, HttpRequest request) {
        this.response = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            lines = r.body();
            String id = null;
            String type = null;
            try {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(new Event(Long.parseLong(id), type, Api.JSON.readTree(line.substring(6))));
                    }
                }
            } catch (RuntimeException e) {
                // stream closed by the test
            }
        });
    }

    public int status() throws Exception {
        return response.get(10, TimeUnit.SECONDS).statusCode();
    }

    /** The next event, failing the test if none arrives within 10 s. */
    public Event next() throws InterruptedException {
        Event e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within 10 s");
        }
        return e;
    }

    /** An event if one arrives within the given milliseconds, else null. */
    public Event poll(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        response.cancel(true);
        Stream<String> l = lines;
        if (l != null) {
            l.close();
        }
    }
}
