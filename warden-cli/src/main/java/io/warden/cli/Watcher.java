package io.warden.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Follows a watch across dropped connections. Each event's {@code id} is the resourceVersion of
 * the change; after a disconnect the watch resumes with {@code resourceVersion=<last id>} (and
 * {@code Last-Event-ID}), so the server replays exactly the changes that were missed.
 *
 * <p>The first connection must succeed: a wrong server or kind is reported at once rather than
 * retried. Later failures are retried per {@link WatchPolicy}; 4xx answers are not retried.
 */
final class Watcher {

    /** Receives each event: its type, the resource, and the whole event as sent. */
    interface Sink {
        void event(String type, JsonNode object, JsonNode event);
    }

    private final WardenClient client;
    private final WatchPolicy policy;
    private final Consumer<String> log;

    Watcher(WardenClient client, WatchPolicy policy, Consumer<String> log) {
        this.client = client;
        this.policy = policy;
        this.log = log;
    }

    /** Runs until the watch is lost for good (throws) or the thread is interrupted (returns). */
    void run(ResourceRef collection, String selector, Sink sink) {
        String lastId = null;
        boolean connected = false;
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            boolean progressed = false;
            String problem = "no answer";
            InputStream body = null;
            try {
                body = client.watch(collection, selector, lastId);
                connected = true;
            } catch (UnreachableException e) {
                if (!connected) {
                    throw e;
                }
                problem = e.reason();
            } catch (ApiException e) {
                if (!connected || e.status() < 500) {
                    throw e;
                }
                problem = e.problem().summary();
            }
            if (body != null) {
                IdleWatchdog watchdog = new IdleWatchdog(policy.idleTimeout(), body);
                try (watchdog; InputStream in = watchdog.wrap(body)) {
                    SseReader reader = new SseReader(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
                    for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
                        if (event.id() != null && !event.id().isEmpty()) {
                            lastId = event.id();
                        }
                        if (event.data() != null && deliver(event, sink)) {
                            progressed = true;
                        }
                    }
                    problem = watchdog.fired() ? silence() : "the server closed the stream";
                } catch (IOException e) {
                    problem = watchdog.fired() ? silence() : UnreachableException.reason(e);
                }
            }
            failures = progressed ? 0 : failures + 1;
            if (failures >= policy.maxFailures()) {
                throw CliException.error("lost the watch on " + client.target().server() + " after " + failures
                        + " attempts to reconnect: " + problem);
            }
            Duration wait = policy.backoff(failures);
            log.accept("watch interrupted (" + problem + "); reconnecting"
                    + (lastId == null ? "" : " from resourceVersion " + lastId)
                    + (wait.isZero() ? "" : " in " + wait.toMillis() + " ms"));
            if (!sleep(wait)) {
                return;
            }
        }
    }

    private String silence() {
        return "no data for " + policy.idleTimeout().toSeconds() + " s";
    }

    /** Parses and hands on one event; false when its data is not a watch event (logged, skipped). */
    private boolean deliver(SseReader.Event event, Sink sink) {
        JsonNode json;
        try {
            json = Json.JSON.readTree(event.data());
        } catch (JacksonException e) {
            log.accept("skipping an event that is not JSON: " + Json.describe(e));
            return false;
        }
        JsonNode object = json.path("object");
        if (!object.isObject()) {
            log.accept("skipping an event without an object");
            return false;
        }
        String type = Text.firstNonNull(Json.text(json, "type"), event.type(), "?");
        sink.event(type, object, json);
        return true;
    }

    private static boolean sleep(Duration wait) {
        if (wait.isZero()) {
            return true;
        }
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
