package io.warden.worker;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The worker protocol of docs/reference/tasks.md, spoken with the worker's own credential. */
final class WorkerApi {

    /** A task handed to this worker. */
    record Claimed(String id, String namespace, int attempt, long leaseExpiresAt, String tool, JsonNode toolSpec,
            JsonNode args, int timeoutSeconds) {
    }

    /** The server's answer about one held attempt: {@code ok}, {@code cancel} or {@code lost}. */
    record Beat(String id, int attempt, String status, long leaseExpiresAt) {
    }

    /** What the worker reports at the end of an attempt. */
    record Report(Integer exitCode, String stdout, String stderr, boolean stdoutTruncated, boolean stderrTruncated,
            JsonNode result, String errorClass, String message) {
    }

    /** A call that did not succeed: {@code status} 0 means no HTTP answer at all. */
    static final class CallFailed extends IOException {
        private final int status;

        CallFailed(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }

        /** 409: the lease of this attempt is gone; nothing the worker says about it counts. */
        boolean leaseLost() {
            return status == 409;
        }

        /** 401/403: the credential was revoked or its Worker deleted. */
        boolean refused() {
            return status == 401 || status == 403;
        }

        /** Worth trying again: no answer, overload, or a server error. */
        boolean retryable() {
            return status == 0 || status == 429 || status == 502 || status == 503 || status == 504 || status == 500;
        }
    }

    private static final String USER_AGENT = "warden-worker/"
            + java.util.Objects.requireNonNullElse(WorkerApi.class.getPackage().getImplementationVersion(), "dev");

    private final ServerEndpoint endpoint;
    private final String credential;
    private final JsonMapper json;

    WorkerApi(ServerEndpoint endpoint, String credential, JsonMapper json) {
        this.endpoint = endpoint;
        this.credential = credential;
        this.json = json;
    }

    List<Claimed> claim(int max, int waitSeconds) throws IOException, InterruptedException {
        JsonNode answer = post("/v1/workers/claim", json.createObjectNode().put("max", max).put("waitSeconds", waitSeconds),
                Duration.ofSeconds(waitSeconds + 30L));
        List<Claimed> tasks = new ArrayList<>();
        for (JsonNode t : answer.path("tasks")) {
            tasks.add(new Claimed(t.path("id").asString(), t.path("namespace").asString(), t.path("attempt").asInt(),
                    t.path("leaseExpiresAt").asLong(), t.path("tool").asString(), t.path("toolSpec"), t.path("args"),
                    t.path("timeoutSeconds").asInt(300)));
        }
        return tasks;
    }

    List<Beat> heartbeat(Map<String, Integer> held) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        var list = body.putArray("tasks");
        held.forEach((id, attempt) -> list.addObject().put("id", id).put("attempt", attempt));
        List<Beat> beats = new ArrayList<>();
        for (JsonNode b : post("/v1/workers/heartbeat", body, Duration.ofSeconds(30)).path("tasks")) {
            beats.add(new Beat(b.path("id").asString(), b.path("attempt").asInt(), b.path("status").asString(),
                    b.path("leaseExpiresAt").asLong(0)));
        }
        return beats;
    }

    /** Output streamed while the task runs: {@code events} are (type, text) pairs. */
    void events(String id, int attempt, List<Map.Entry<String, String>> events) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("attempt", attempt);
        var list = body.putArray("events");
        for (Map.Entry<String, String> e : events) {
            list.addObject().put("type", e.getKey()).putObject("data").put("text", e.getValue());
        }
        post(task(id, "events"), body, Duration.ofSeconds(30));
    }

    String complete(String id, int attempt, Report report) throws IOException, InterruptedException {
        return post(task(id, "complete"), reportBody(attempt, report), Duration.ofSeconds(60)).path("phase").asString();
    }

    String fail(String id, int attempt, Report report) throws IOException, InterruptedException {
        ObjectNode body = reportBody(attempt, report).put("errorClass", report.errorClass()).put("message", report.message());
        return post(task(id, "fail"), body, Duration.ofSeconds(60)).path("phase").asString();
    }

    String release(String id, int attempt) throws IOException, InterruptedException {
        return post(task(id, "release"), json.createObjectNode().put("attempt", attempt), Duration.ofSeconds(30))
                .path("phase").asString();
    }

    private static String task(String id, String what) {
        if (!id.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("not a task id");
        }
        return "/v1/workers/tasks/" + id + "/" + what;
    }

    private ObjectNode reportBody(int attempt, Report r) {
        ObjectNode body = json.createObjectNode().put("attempt", attempt);
        if (r.exitCode() != null) {
            body.put("exitCode", r.exitCode());
        }
        body.put("stdout", r.stdout()).put("stderr", r.stderr())
                .put("stdoutTruncated", r.stdoutTruncated()).put("stderrTruncated", r.stderrTruncated());
        if (r.result() != null) {
            body.set("result", r.result());
        }
        return body;
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = endpoint.client().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CallFailed(0, "cannot reach " + endpoint.base() + ": " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
        }
        int status = response.statusCode();
        if (status == 204) {
            return json.createObjectNode();
        }
        JsonNode answer;
        try {
            answer = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
        } catch (JacksonException e) {
            throw new CallFailed(status >= 400 ? status : 502, "the server answered " + status + " with a body that is not JSON");
        }
        if (status >= 200 && status < 300) {
            return answer;
        }
        String detail = answer.path("detail").asString(answer.path("title").asString("no detail"));
        throw new CallFailed(status, path.replaceAll("/tasks/[^/]+/", "/tasks/{id}/") + " answered " + status + ": " + detail);
    }
}
