package io.warden.server.tasks;

import io.warden.api.Names;
import io.warden.server.WardenProperties;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.JsonBodies;
import io.warden.server.web.RequestContext;
import io.warden.server.web.Requires;
import io.warden.server.web.Verb;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The task API for people and agents (docs/reference/tasks.md). */
@RestController
class TaskController {

    private static final String TASKS = "/v1/namespaces/{ns}/tasks";
    private static final String TASK = "/v1/namespaces/{ns}/tasks/{id}";

    private final Tasks tasks;
    private final JsonBodies bodies;
    private final JsonMapper json;
    private final int maxListLimit;
    private final Duration keepAlive;

    TaskController(Tasks tasks, JsonBodies bodies, JsonMapper json, WardenProperties props) {
        this.tasks = tasks;
        this.bodies = bodies;
        this.json = json;
        this.maxListLimit = props.limits().maxListLimit();
        this.keepAlive = props.watch().keepAlive();
    }

    @PostMapping(TASKS)
    @Requires(value = Verb.SUBMIT, resource = "tasks")
    ResponseEntity<TaskView> submit(@PathVariable String ns, HttpServletRequest request,
            @RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        JsonNode body = bodies.parse(raw, contentType);
        Tasks.Submitted s = tasks.submit(RequestContext.of(request), ns, body, idempotencyKey);
        TaskView view = TaskView.of(s.task(), json);
        if (s.created()) {
            return ResponseEntity.created(URI.create("/v1/namespaces/" + ns + "/tasks/" + view.id())).body(view);
        }
        return ResponseEntity.ok().header("Idempotent-Replay", "true").body(view);
    }

    @GetMapping(TASKS)
    @Requires(value = Verb.LIST, resource = "tasks")
    Map<String, Object> list(@PathVariable String ns, @RequestParam(required = false) String phase,
            @RequestParam(required = false) String tool, @RequestParam(required = false) String submitter,
            @RequestParam(required = false) String label, @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String cursor) {
        Phase p = null;
        if (phase != null) {
            try {
                p = Phase.valueOf(phase);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("unknown phase '" + phase + "'");
            }
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > maxListLimit) {
            throw ApiProblem.badRequest("'limit' must be between 1 and " + maxListLimit);
        }
        Tasks.Page page = tasks.list(ns, new TaskStore.ListFilter(p, tool, submitter), labels(label), n, cursor);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.items().stream().map(t -> TaskView.of(t, json)).toList());
        out.put("continue", page.continueToken());
        return out;
    }

    /** {@code k=v,k2=v2}: tasks carrying all of these labels. */
    private static Map<String, String> labels(String selector) {
        Map<String, String> out = new LinkedHashMap<>();
        if (selector == null || selector.isBlank()) {
            return out;
        }
        for (String part : selector.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw ApiProblem.badRequest("'label' is a list of key=value pairs separated by commas");
            }
            out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return out;
    }

    @GetMapping(TASK)
    @Requires(value = Verb.GET, resource = "tasks")
    TaskView get(@PathVariable String ns, @PathVariable String id) {
        return TaskView.of(tasks.get(ns, id), json);
    }

    @PostMapping(TASK + "/cancel")
    @Requires(value = Verb.UPDATE, resource = "tasks")
    TaskView cancel(@PathVariable String ns, @PathVariable String id, HttpServletRequest request) {
        return TaskView.of(tasks.cancel(RequestContext.of(request), ns, id), json);
    }

    @PostMapping(TASK + "/retry")
    @Requires(value = Verb.UPDATE, resource = "tasks")
    TaskView retry(@PathVariable String ns, @PathVariable String id, HttpServletRequest request) {
        return TaskView.of(tasks.retry(RequestContext.of(request), ns, id), json);
    }

    record EventView(long seq, String time, String type, int attempt, JsonNode data) {
    }

    private EventView view(TaskStore.Event e) {
        return new EventView(e.seq(), TaskView.time(e.at()), e.type(), e.attempt(), json.readTree(e.data()));
    }

    /**
     * The task's history: a page of events after {@code after}, or with {@code follow=true} a
     * server-sent event stream (event id = seq, resumable with Last-Event-ID) that ends once the
     * task has finished and every event was sent.
     */
    @GetMapping(TASK + "/events")
    @Requires(value = Verb.GET, resource = "tasks")
    Object events(@PathVariable String ns, @PathVariable String id, @RequestParam(required = false) Long after,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) boolean follow,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId, HttpServletResponse response)
            throws IOException {
        tasks.get(ns, id); // 404 before anything
        long from = after == null ? 0 : after;
        if (lastEventId != null) {
            try {
                from = Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw ApiProblem.badRequest("Last-Event-ID must be an event seq");
            }
        }
        if (!follow) {
            int n = limit == null ? 1000 : limit;
            if (n < 1 || n > 10_000) {
                throw ApiProblem.badRequest("'limit' must be between 1 and 10000");
            }
            return Map.of("items", tasks.events(id, from, n).stream().map(this::view).toList());
        }
        follow(ns, id, from, response);
        return null;
    }

    private void follow(String ns, String id, long from, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        OutputStream out = response.getOutputStream();
        TaskEventSignal signal = tasks.eventSignal();
        long after = from;
        long lastWrite = System.nanoTime(); // intervals on the monotonic clock
        try {
            out.write(": following\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (signal.isOpen()) {
                long seen = signal.ticks();
                boolean finished = tasks.get(ns, id).phase().terminal();
                // Read after looking at the phase: a finished task's last event committed with it.
                List<TaskStore.Event> page;
                do {
                    page = tasks.events(id, after, 500);
                    for (TaskStore.Event e : page) {
                        String frame = "id: " + e.seq() + "\nevent: " + e.type() + "\ndata: "
                                + json.writeValueAsString(view(e)) + "\n\n";
                        out.write(frame.getBytes(StandardCharsets.UTF_8));
                        after = e.seq();
                    }
                    if (!page.isEmpty()) {
                        out.flush();
                        lastWrite = System.nanoTime();
                    }
                } while (page.size() == 500);
                if (finished) {
                    out.write("event: end\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                if (System.nanoTime() - lastWrite >= keepAlive.toNanos()) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = System.nanoTime();
                }
                signal.await(seen, Duration.ofSeconds(1));
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
