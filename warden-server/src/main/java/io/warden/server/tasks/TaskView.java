package io.warden.server.tasks;

import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A task as the API shows it (docs/reference/tasks.md). Times are RFC 3339. */
record TaskView(
        String id,
        String namespace,
        String tool,
        String agent,
        JsonNode args,
        String phase,
        int priority,
        String deadline,
        Retry retry,
        Map<String, String> selector,
        Map<String, String> labels,
        String idempotencyKey,
        String submitter,
        int attempt,
        int attemptsUsed,
        String worker,
        String leaseExpiresAt,
        boolean cancelRequested,
        String notBefore,
        Integer exitCode,
        JsonNode result,
        Error error,
        String createdAt,
        String updatedAt,
        String startedAt,
        String finishedAt) {

    record Retry(int maxAttempts, double backoffSeconds, double maxBackoffSeconds, JsonNode nonRetryable) {
    }

    record Error(String errorClass, String message) {
    }

    @SuppressWarnings("unchecked")
    static TaskView of(TaskRow t, JsonMapper json) {
        return new TaskView(t.id(), t.namespace(), t.tool(), t.agent(), t.args() == null ? null : json.readTree(t.args()),
                t.phase().name(), t.priority(), time(t.deadline()),
                new Retry(t.maxAttempts(), t.backoffBaseMs() / 1000.0, t.backoffMaxMs() / 1000.0, json.readTree(t.nonRetryable())),
                json.readValue(t.selector(), Map.class), json.readValue(t.labels(), Map.class), t.idempotencyKey(),
                t.submitter(), t.attempt(), t.attemptsUsed(), t.worker(), time(t.leaseExpiresAt()), t.cancelRequested(),
                t.phase() == Phase.Queued ? time(t.runAfter()) : null, t.exitCode(), t.result() == null ? null : json.readTree(t.result()),
                t.errorClass() == null ? null : new Error(t.errorClass(), t.error()), time(t.createdAt()),
                time(t.updatedAt()), time(t.startedAt()), time(t.finishedAt()));
    }

    static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }
}
