package io.warden.server.tasks;

import io.warden.server.identity.WorkerCredentials;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.AuthenticationFilter;
import io.warden.server.web.Caller;
import io.warden.server.web.JsonBodies;
import io.warden.server.web.RequestContext;
import io.warden.server.web.Requires;
import io.warden.server.web.Verb;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker protocol (docs/reference/tasks.md#the-worker-protocol), open to a Worker's own
 * credential only, and the registration of that credential (for people who may create Workers).
 */
@RestController
class WorkerController {

    private static final String TASK = "/v1/workers/tasks/{id}";
    private static final String EVENT_TYPE = "[a-z][a-z0-9-]{0,31}";

    private final Tasks tasks;
    private final WorkerCredentials credentials;
    private final JsonBodies bodies;
    private final JsonMapper json;

    WorkerController(Tasks tasks, WorkerCredentials credentials, JsonBodies bodies, JsonMapper json) {
        this.tasks = tasks;
        this.credentials = credentials;
        this.bodies = bodies;
        this.json = json;
    }

    /** Issues a credential for a Worker (revoking its earlier ones); the token is shown this once. */
    @PostMapping("/v1/namespaces/{ns}/workers/{name}/credentials")
    @Requires(value = Verb.CREATE, resource = "workers")
    ResponseEntity<WorkerCredentials.Issued> register(@PathVariable String ns, @PathVariable String name,
            HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(credentials.issue(RequestContext.of(request), ns, name));
    }

    private static Tasks.WorkerIdentity worker(HttpServletRequest request) {
        Caller caller = AuthenticationFilter.callerOf(request);
        if (caller.credential() instanceof Caller.Credential.WorkerToken w) {
            return new Tasks.WorkerIdentity(w.namespace(), w.worker());
        }
        throw ApiProblem.forbidden("only a worker credential may call this");
    }

    private JsonNode body(byte[] raw, String contentType) {
        JsonNode body = bodies.parse(raw, contentType);
        if (!body.isObject()) {
            throw ApiProblem.badRequest("the body must be a JSON object");
        }
        return body;
    }

    private static int integer(JsonNode body, String field, int min, int max, Integer dflt) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() && dflt != null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw ApiProblem.badRequest("'" + field + "' must be an integer from " + min + " to " + max);
        }
        return v.asInt();
    }

    @PostMapping("/v1/workers/claim")
    @Requires(Verb.WORKER)
    Map<String, Object> claim(HttpServletRequest request, @RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType)
            throws InterruptedException {
        JsonNode body = body(raw, contentType);
        int max = integer(body, "max", 1, 256, 1);
        int wait = integer(body, "waitSeconds", 0, 30, 0);
        return Map.of("tasks", tasks.claim(RequestContext.of(request), worker(request), max, Duration.ofSeconds(wait)));
    }

    @PostMapping("/v1/workers/heartbeat")
    @Requires(Verb.WORKER)
    Map<String, Object> heartbeat(HttpServletRequest request, @RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        JsonNode body = body(raw, contentType);
        List<Tasks.Beat> held = new ArrayList<>();
        JsonNode list = body.path("tasks");
        if (!list.isArray() || list.size() > 1024) {
            throw ApiProblem.badRequest("'tasks' must be a list of at most 1024 {id, attempt}");
        }
        for (JsonNode t : list) {
            held.add(new Tasks.Beat(t.path("id").asString(""), integer(t, "attempt", 1, Integer.MAX_VALUE, null), null, null));
        }
        return Map.of("tasks", tasks.heartbeat(worker(request), held));
    }

    @PostMapping(TASK + "/events")
    @Requires(Verb.WORKER)
    ResponseEntity<Void> events(@PathVariable String id, HttpServletRequest request, @RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        JsonNode body = body(raw, contentType);
        int attempt = integer(body, "attempt", 1, Integer.MAX_VALUE, null);
        JsonNode list = body.path("events");
        if (!list.isArray() || list.size() > 1000) {
            throw ApiProblem.badRequest("'events' must be a list of at most 1000 {type, data}");
        }
        List<Map.Entry<String, String>> events = new ArrayList<>();
        for (JsonNode e : list) {
            String type = e.path("type").asString("");
            if (!type.matches(EVENT_TYPE) || type.equals(Tasks.EVENT_PHASE)) {
                throw ApiProblem.badRequest("an event type is 1-32 of a-z, 0-9 and '-', and not 'phase'");
            }
            JsonNode data = e.path("data");
            events.add(Map.entry(type, json.writeValueAsString(data.isMissingNode() ? json.createObjectNode() : data)));
        }
        tasks.report(worker(request), id, attempt, events);
        return ResponseEntity.noContent().build();
    }

    /** How a worker ends its hold on an attempt. */
    private interface Ending {
        TaskRow apply(RequestContext ctx, Tasks.WorkerIdentity worker, String id, int attempt, JsonNode body);
    }

    private Map<String, Object> end(String id, HttpServletRequest request, byte[] raw, String contentType, Ending ending) {
        JsonNode body = body(raw, contentType);
        TaskRow t = ending.apply(RequestContext.of(request), worker(request), id,
                integer(body, "attempt", 1, Integer.MAX_VALUE, null), body);
        return Map.of("phase", t.phase().name());
    }

    @PostMapping(TASK + "/complete")
    @Requires(Verb.WORKER)
    Map<String, Object> complete(@PathVariable String id, HttpServletRequest request, @RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        return end(id, request, raw, contentType, (ctx, w, task, attempt, b) -> tasks.complete(ctx, w, task, attempt, outcome(b)));
    }

    @PostMapping(TASK + "/fail")
    @Requires(Verb.WORKER)
    Map<String, Object> fail(@PathVariable String id, HttpServletRequest request, @RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        return end(id, request, raw, contentType, (ctx, w, task, attempt, b) -> tasks.fail(ctx, w, task, attempt, outcome(b)));
    }

    @PostMapping(TASK + "/release")
    @Requires(Verb.WORKER)
    Map<String, Object> release(@PathVariable String id, HttpServletRequest request, @RequestBody(required = false) byte[] raw,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        return end(id, request, raw, contentType, (ctx, w, task, attempt, b) -> tasks.release(ctx, w, task, attempt));
    }

    private static Tasks.Outcome outcome(JsonNode b) {
        JsonNode exit = b.path("exitCode");
        String errorClass = b.path("errorClass").asString(null);
        if (errorClass != null && !errorClass.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw ApiProblem.badRequest("'errorClass' is 1-64 of a-z, 0-9, '.', '_', '-'");
        }
        String message = b.path("message").asString(null);
        if (message != null && message.length() > 4096) {
            message = message.substring(0, 4096);
        }
        return new Tasks.Outcome(exit.isIntegralNumber() ? exit.asInt() : null, b.path("stdout").asString(null),
                b.path("stderr").asString(null), b.path("stdoutTruncated").asBoolean(false),
                b.path("stderrTruncated").asBoolean(false), b.has("result") ? b.get("result") : null, errorClass, message);
    }
}
