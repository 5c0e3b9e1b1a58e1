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
 * Follows a server-sent event stream across dropped connections: a watch, where each event's
 * {@code id} is the resourceVersion of the change, or the events of a task, where it is the
 * event's seq. After a disconnect the stream is opened again after the last id (the watch with
 * {@code resourceVersion=<last id>}, both with {@code Last-Event-ID}), so the server replays
 * exactly the events that were missed.
 *
 * <p>The first connection must succeed: a wrong server, kind or task is reported at once rather
 * than retried. Later failures are retried per {@link WatchPolicy}; 4xx answers are not retried.
 */
final class Watcher {

    /** Receives each event of a watch: its type, the resource, and the whole event as sent. */
    interface Sink {
        void event(String type, JsonNode object, JsonNode event);
    }

    /** Opens the stream, after the event with id {@code lastEventId} (null: from the start). */
    interface Source {
        InputStream open(String lastEventId);
    }

    /** What an event was to the follower: skipped (not counted as progress), delivered, or the last one. */
    enum Delivery { SKIPPED, DELIVERED, END }

    /** Takes each event that carries data. */
    interface Handler {
        Delivery event(SseReader.Event event);
    }

    private final WardenClient client;
    private final WatchPolicy policy;
    private final Consumer<String> log;

    Watcher(WardenClient client, WatchPolicy policy, Consumer<String> log) {
        this.client = client;
        this.policy = policy;
        this.log = log;
    }

    /** Watches a collection until the watch is lost for good (throws) or the thread is interrupted (returns). */
    void run(ResourceRef collection, String selector, Sink sink) {
        follow("the watch", lastId -> client.watch(collection, selector, lastId), event -> deliver(event, sink));
    }

    /**
     * Follows {@code source} until {@code handler} says an event was the last one (true), the
     * thread is interrupted (false) or the stream is lost for good (throws). {@code what} names
     * the stream in messages: "the watch", "the events of task X".
     */
    boolean follow(String what, Source source, Handler handler) {
        String lastId = null;
        boolean connected = false;
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            boolean progressed = false;
            String problem = "no answer";
            InputStream body = null;
            try {
                body = source.open(lastId);
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
                        if (event.data() == null) {
                            continue;
                        }
                        Delivery delivery = handler.event(event);
                        if (delivery == Delivery.END) {
                            return true;
                        }
                        progressed |= delivery == Delivery.DELIVERED;
                    }
                    problem = watchdog.fired() ? silence() : "the server closed the stream";
                } catch (IOException e) {
                    problem = watchdog.fired() ? silence() : UnreachableException.reason(e);
                }
            }
            failures = progressed ? 0 : failures + 1;
            if (failures >= policy.maxFailures()) {
                throw CliException.error("lost " + what + " on " + client.target().server() + " after " + failures
                        + " attempts to reconnect: " + problem);
            }
            Duration wait = policy.backoff(failures);
            log.accept(what + " interrupted (" + problem + "); reconnecting"
                    + (lastId == null ? "" : " after event id " + lastId)
                    + (wait.isZero() ? "" : " in " + wait.toMillis() + " ms"));
            if (!sleep(wait)) {
                return false;
            }
        }
        return false;
    }

    private String silence() {
        return "no data for " + policy.idleTimeout().toSeconds() + " s";
    }

    /** Parses and hands on one watch event; skipped when its data is not a watch event (logged). */
    private Delivery deliver(SseReader.Event event, Sink sink) {
        JsonNode json;
        try {
            json = Json.JSON.readTree(event.data());
        } catch (JacksonException e) {
            log.accept("skipping an event that is not JSON: " + Json.describe(e));
            return Delivery.SKIPPED;
        }
        JsonNode object = json.path("object");
        if (!object.isObject()) {
            log.accept("skipping an event without an object");
            return Delivery.SKIPPED;
        }
        String type = Text.firstNonNull(Json.text(json, "type"), event.type(), "?");
        sink.event(type, object, json);
        return Delivery.DELIVERED;
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
