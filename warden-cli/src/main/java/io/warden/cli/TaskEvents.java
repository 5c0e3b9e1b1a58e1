package io.warden.cli;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The history of one task ({@code GET .../tasks/{id}/events}): read page by page, or followed as
 * server-sent events until the task has finished. Each event is handed on as the API shows it,
 * {@code {"seq", "time", "type", "attempt", "data"}}.
 */
final class TaskEvents {

    static final int PAGE_SIZE = 1000;

    private final Session session;
    private final TaskRef task;

    TaskEvents(Session session, TaskRef task) {
        this.session = session;
        this.task = task;
    }

    /** Every event so far, oldest first. */
    void read(Consumer<JsonNode> sink) {
        long after = 0;
        while (true) {
            JsonNode items;
            try {
                items = session.client().get(task.path("events"),
                        Map.of("after", Long.toString(after), "limit", Integer.toString(PAGE_SIZE))).path("items");
            } catch (ApiException e) {
                throw task.explain(e);
            }
            for (JsonNode event : items) {
                sink.accept(event);
                after = Math.max(after, event.path("seq").asLong());
            }
            if (items.size() < PAGE_SIZE) {
                return;
            }
        }
    }

    /**
     * Every event, then each new one as it is recorded, until the task has finished and its last
     * event was handed on (true) or the thread is interrupted (false). A dropped connection is
     * resumed after the last event received ({@code Last-Event-ID}), so none is missed or repeated.
     */
    boolean follow(Consumer<JsonNode> sink) {
        Watcher watcher = new Watcher(session.client(), session.watchPolicy(), session.log());
        return watcher.follow("the events of " + task.display(), this::open, event -> {
            if ("end".equals(event.type())) {
                return Watcher.Delivery.END;
            }
            JsonNode json;
            try {
                json = Json.JSON.readTree(event.data());
            } catch (JacksonException e) {
                session.log().accept("skipping an event that is not JSON: " + Json.describe(e));
                return Watcher.Delivery.SKIPPED;
            }
            sink.accept(json);
            return Watcher.Delivery.DELIVERED;
        });
    }

    private InputStream open(String lastEventId) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("follow", "true");
        if (lastEventId != null) {
            query.put("after", lastEventId);
        }
        try {
            return session.client().eventStream(task.path("events"), query, lastEventId);
        } catch (ApiException e) {
            throw e.status() == 404 ? task.explain(e) : e;
        }
    }
}
