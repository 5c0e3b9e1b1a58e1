package io.warden.server.tasks;

import io.warden.api.FieldError;
import io.warden.api.Kinds;
import io.warden.api.Resource;
import io.warden.core.audit.AuditRecord;
import io.warden.core.crypto.Tokens;
import io.warden.core.exec.CommandTemplate;
import io.warden.core.manifest.ManifestValidator;
import io.warden.server.WardenProperties;
import io.warden.server.audit.AuditLog;
import io.warden.server.resources.Resources;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The task queue's facade: submission, the worker protocol (claim, heartbeat, report) and the
 * reaper's transitions. Work is submitted once, runs at least once and completes at most once:
 * every state change is a guarded update of a locked row, every claim raises the fencing token
 * ({@code attempt}), and only the holder of the current attempt's lease may report. Every
 * transition appends a task event and stages an audit event in the same transaction.
 */
@Service
public class Tasks {

    /** A worker, as its credential and its Worker resource describe it. */
    public record WorkerIdentity(String namespace, String name) {
    }

    /** What a worker reports at the end of an attempt. */
    public record Outcome(Integer exitCode, String stdout, String stderr, boolean stdoutTruncated,
            boolean stderrTruncated, JsonNode result, String errorClass, String message) {
    }

    /** A task handed to a worker. */
    public record Claimed(String id, String namespace, int attempt, long leaseExpiresAt, String tool, JsonNode toolSpec,
            JsonNode args, int timeoutSeconds) {
    }

    /** The answer to a heartbeat, per task: {@code ok}, {@code cancel} (stop it) or {@code lost} (no longer yours). */
    public record Beat(String id, int attempt, String status, Long leaseExpiresAt) {
    }

    record Page(List<TaskRow> items, String continueToken) {
    }

    static final String EVENT_PHASE = "phase";
    private static final int MAX_EVENT_BYTES = 256 * 1024;

    private final TaskStore store;
    private final Resources resources;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JsonMapper json;
    private final TaskSignal signal;
    private final TaskEventSignal eventSignal;
    private final TaskNotifications notifications;
    private final ManifestValidator validator;
    private final WardenProperties.Tasks settings;
    private final RandomGenerator random = RandomGenerator.getDefault();

    Tasks(TaskStore store, Resources resources, AuditLog audit, TransactionTemplate tx, Clock clock,
            JsonMapper json, TaskSignal signal, TaskEventSignal eventSignal, TaskNotifications notifications,
            ManifestValidator validator, WardenProperties props) {
        this.eventSignal = eventSignal;
        this.store = store;
        this.resources = resources;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
        this.signal = signal;
        this.notifications = notifications;
        this.validator = validator;
        this.settings = props.tasks();
    }

    WardenProperties.Tasks settings() {
        return settings;
    }

    /** Fired when a task's history grows: what event followers wait on. */
    TaskEventSignal eventSignal() {
        return eventSignal;
    }

    // --- submission -----------------------------------------------------------------------

    /** The result of a submission: the task, and whether it was created now (else: an idempotent repeat). */
    record Submitted(TaskRow task, boolean created) {
    }

    Submitted submit(RequestContext ctx, String namespace, JsonNode body, String idempotencyKey) {
        if (resources.find(Kinds.NAMESPACE, "", namespace).isEmpty()) {
            throw ApiProblem.notFound("namespace '" + namespace + "' does not exist");
        }
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,128}")) {
            throw ApiProblem.badRequest("Idempotency-Key must be 1-128 printable ASCII characters");
        }
        TaskRequest request = TaskRequest.parse(body, settings);
        String requestHash = Tokens.sha256Hex(TaskRequest.canonical(body, json));
        if (idempotencyKey != null) {
            Optional<TaskRow> earlier = store.byIdempotencyKey(namespace, idempotencyKey);
            if (earlier.isPresent()) {
                return repeat(earlier.get(), requestHash);
            }
        }
        Resource tool = resources.find(Kinds.TOOL, namespace, request.tool()).orElseThrow(() -> ApiProblem.invalid(
                "Invalid task", List.of(new FieldError("tool", "no Tool '" + request.tool() + "' in namespace '" + namespace + "'"))));
        JsonNode spec = tool.spec();
        if (!"exec".equals(spec.path("type").asString())) {
            throw ApiProblem.invalid("Invalid task", List.of(new FieldError("tool",
                    "tool '" + request.tool() + "' is of type '" + spec.path("type").asString()
                            + "'; only exec tools run until the egress guard arrives")));
        }
        if (spec.path("inputSchema").isObject()) {
            List<FieldError> errors = validator.validateArgs(spec.path("inputSchema"), request.args());
            if (!errors.isEmpty()) {
                throw ApiProblem.invalid("Invalid args", errors);
            }
        }
        checkTemplate(spec, request.args());
        long now = clock.millis();
        TaskRow row = new TaskRow(UUID.randomUUID().toString(), namespace, "job", request.tool(), json.writeValueAsString(spec),
                null, json.writeValueAsString(request.args()), null, Phase.Pending, request.priority(), request.deadline(),
                request.maxAttempts(), request.backoffMs(), request.maxBackoffMs(), json.writeValueAsString(request.nonRetryable()),
                json.writeValueAsString(request.selector()), json.writeValueAsString(request.labels()), idempotencyKey,
                requestHash, submitter(ctx), 0, 0, null, null, now, false, spec.path("timeoutSeconds").asInt(300), null,
                null, null, null, 0, now, now, null, null);
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        try {
            TaskRow queued = tx.execute(s -> {
                // Governance (a later issue) decides between Pending and Queued; until then every
                // valid task is queued at once, so the row is stored queued with both events.
                TaskRow q = copy(with(row, Phase.Queued, now)).lastEvent(2).build();
                store.insert(q);
                store.insertEvents(List.of(
                        new TaskStore.Event(row.id(), 1, now, EVENT_PHASE, 0, phaseData(Phase.Pending, null)),
                        new TaskStore.Event(row.id(), 2, now, EVENT_PHASE, 0, phaseData(Phase.Queued, null))));
                audited.add(event(ctx, row, "task.submit", Map.of("tool", row.tool(), "args", audit.fingerprint(row.args()))));
                audited.add(event(ctx, q, "task.queue", Map.of()));
                wakeAfterCommit();
                return q;
            });
            audit.settle(audited);
            return new Submitted(queued, true);
        } catch (DuplicateKeyException e) {
            // Another request with the same key won the race: answer as a repeat of it.
            return repeat(store.byIdempotencyKey(namespace, idempotencyKey).orElseThrow(), requestHash);
        }
    }

    private static Submitted repeat(TaskRow earlier, String requestHash) {
        if (!Tokens.constantTimeEquals(earlier.requestHash(), requestHash)) {
            throw ApiProblem.conflict("this Idempotency-Key was used for a different request (task " + earlier.id() + ")");
        }
        return new Submitted(earlier, false);
    }

    private static String submitter(RequestContext ctx) {
        return ctx.actorKind() + ":" + ctx.actorId();
    }

    // --- reading ----------------------------------------------------------------------------

    TaskRow get(String namespace, String id) {
        return store.find(namespace, id).orElseThrow(() -> ApiProblem.notFound("no task '" + id + "' in namespace '" + namespace + "'"));
    }

    Page list(String namespace, TaskStore.ListFilter filter, Map<String, String> labels, int limit, String continueToken) {
        TaskCursor.Position after = TaskCursor.decode(continueToken);
        List<TaskRow> out = new ArrayList<>();
        Long beforeCreated = after == null ? null : after.createdAt();
        String beforeId = after == null ? null : after.id();
        // Labels are JSON: filter in Java, reading on until the page is full.
        while (out.size() < limit) {
            List<TaskRow> rows = store.list(namespace, filter, beforeCreated, beforeId, Math.max(limit, 100));
            for (TaskRow r : rows) {
                if (hasLabels(r, labels)) {
                    out.add(r);
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
            if (rows.size() < Math.max(limit, 100) || out.size() == limit) {
                boolean full = out.size() == limit;
                TaskRow last = full ? out.get(out.size() - 1) : null;
                return new Page(out, full ? TaskCursor.encode(last.createdAt(), last.id()) : null);
            }
            TaskRow last = rows.get(rows.size() - 1);
            beforeCreated = last.createdAt();
            beforeId = last.id();
        }
        TaskRow last = out.get(out.size() - 1);
        return new Page(out, TaskCursor.encode(last.createdAt(), last.id()));
    }

    private boolean hasLabels(TaskRow r, Map<String, String> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        JsonNode labels = json.readTree(r.labels());
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.path(e.getKey()).asString(null)));
    }

    List<TaskStore.Event> events(String taskId, long afterSeq, int limit) {
        return store.events(taskId, afterSeq, limit);
    }

    // --- people acting on a task --------------------------------------------------------------

    /** Cancels a queued task at once; asks the worker of a running one to stop (it is Cancelled when it does or its lease ends). */
    TaskRow cancel(RequestContext ctx, String namespace, String id) {
        get(namespace, id);
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        TaskRow out = tx.execute(s -> {
            TaskRow t = store.lock(id).orElseThrow();
            long now = clock.millis();
            if (t.phase().terminal()) {
                throw ApiProblem.conflict("task is already " + t.phase());
            }
            TaskRow next;
            if (t.phase() == Phase.Running) {
                if (t.cancelRequested()) {
                    return t;
                }
                next = store.transition(copy(t).cancelRequested(true).updatedAt(now).build(), now, "cancel-requested",
                        t.attempt(), "{}");
                audited.add(event(ctx, next, "task.cancel-request", Map.of()));
            } else {
                next = finish(t, Phase.Cancelled, now, "cancelled", "cancelled before it ran");
                audited.add(event(ctx, next, "task.cancel", Map.of()));
            }
            wakeAfterCommit();
            return next;
        });
        audit.settle(audited);
        return out;
    }

    /** Queues a dead-lettered task again with a fresh retry budget. */
    TaskRow retry(RequestContext ctx, String namespace, String id) {
        get(namespace, id);
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        TaskRow out = tx.execute(s -> {
            TaskRow t = store.lock(id).orElseThrow();
            if (t.phase() != Phase.DeadLettered) {
                throw ApiProblem.conflict("only a dead-lettered task can be retried; this one is " + t.phase());
            }
            long now = clock.millis();
            TaskRow next = store.transition(copy(t).phase(Phase.Queued).retryBase(t.attempt()).runAfter(now).worker(null)
                    .leaseExpiresAt(null).finishedAt(null).updatedAt(now).build(), now, EVENT_PHASE, t.attempt(),
                    phaseData(Phase.Queued, "manual retry"));
            audited.add(event(ctx, next, "task.retry", Map.of()));
            wakeAfterCommit();
            return next;
        });
        audit.settle(audited);
        return out;
    }

    // --- the worker protocol ----------------------------------------------------------------

    /**
     * Hands out up to {@code max} queued tasks of the worker's namespace whose selector its labels
     * satisfy, each with a lease and the next attempt number as fencing token. Waits up to
     * {@code wait} for work when there is none, woken when a task is queued.
     */
    List<Claimed> claim(RequestContext ctx, WorkerIdentity worker, int max, Duration wait) throws InterruptedException {
        // Waiting is measured on the monotonic clock; the injected Clock says what time it is.
        long deadline = System.nanoTime() + Math.min(wait.toNanos(), settings.maxClaimWait().toNanos());
        while (true) {
            long seen = signal.ticks();
            List<Claimed> claimed = claimOnce(ctx, worker, max);
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (!claimed.isEmpty() || left <= 0 || !signal.isOpen()) {
                return claimed;
            }
            // Woken by a queued task; also look every second for delayed retries and other replicas.
            signal.await(seen, Duration.ofMillis(Math.min(left, 1000)));
        }
    }

    private List<Claimed> claimOnce(RequestContext ctx, WorkerIdentity worker, int max) {
        if (!store.anyClaimable(worker.namespace(), clock.millis())) {
            return List.of(); // a read: an empty queue costs no write transaction
        }
        Resource workerResource = resources.find(Kinds.WORKER, worker.namespace(), worker.name())
                .orElseThrow(() -> ApiProblem.forbidden("this worker no longer exists"));
        Map<String, String> labels = workerResource.metadata().labels() == null ? Map.of() : workerResource.metadata().labels();
        int concurrency = workerResource.spec().path("concurrency").asInt(4);
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        List<Claimed> out = tx.execute(s -> {
            int room = Math.min(max, concurrency - store.runningOn(worker.namespace(), worker.name()));
            List<Claimed> claimed = new ArrayList<>();
            if (room <= 0) {
                return claimed;
            }
            long now = clock.millis();
            for (TaskRow t : store.claimable(worker.namespace(), now, Math.min(room * 4, 200))) {
                if (claimed.size() == room) {
                    break;
                }
                if (!selectorMatches(t, labels)) {
                    continue;
                }
                if (t.deadline() != null && t.deadline() < now) {
                    audited.add(event(ctx, finish(t, Phase.Failed, now, "deadline", "the deadline passed before it ran"),
                            "task.fail", Map.of("errorClass", "deadline")));
                    continue;
                }
                int attempt = t.attempt() + 1;
                long lease = now + settings.leaseDuration().toMillis();
                TaskRow running = store.transition(copy(t).phase(Phase.Running).attempt(attempt).worker(worker.name())
                        .leaseExpiresAt(lease).startedAt(now).updatedAt(now).build(), now, EVENT_PHASE, attempt,
                        phaseData(Phase.Running, null, worker.name()));
                audited.add(event(ctx, running, "task.claim", Map.of("attempt", attempt)));
                claimed.add(new Claimed(t.id(), t.namespace(), attempt, lease, t.tool(), json.readTree(t.toolSpec()),
                        json.readTree(t.args()), t.timeoutSeconds()));
            }
            if (!claimed.isEmpty()) {
                wakeFollowersAfterCommit(); // followers see "Running"
            }
            return claimed;
        });
        audit.settle(audited);
        return out;
    }

    private boolean selectorMatches(TaskRow t, Map<String, String> labels) {
        JsonNode selector = json.readTree(t.selector());
        for (var e : selector.properties()) {
            if (!e.getValue().asString().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Extends the leases the worker still holds and tells it which to stop. */
    List<Beat> heartbeat(WorkerIdentity worker, List<Beat> held) {
        return tx.execute(s -> {
            long now = clock.millis();
            List<Beat> out = new ArrayList<>();
            for (Beat b : held) {
                Optional<TaskRow> t = store.lock(b.id()).filter(x -> holds(x, worker, b.attempt()));
                if (t.isEmpty()) {
                    out.add(new Beat(b.id(), b.attempt(), "lost", null));
                    continue;
                }
                long lease = now + settings.leaseDuration().toMillis();
                store.update(copy(t.get()).leaseExpiresAt(lease).build());
                out.add(new Beat(b.id(), b.attempt(), t.get().cancelRequested() ? "cancel" : "ok", lease));
            }
            return out;
        });
    }

    private static boolean holds(TaskRow t, WorkerIdentity worker, int attempt) {
        return t.phase() == Phase.Running && t.attempt() == attempt && worker.name().equals(t.worker())
                && worker.namespace().equals(t.namespace());
    }

    /** Appends output the worker streamed. 409 unless the worker holds the attempt's lease. */
    void report(WorkerIdentity worker, String id, int attempt, List<Map.Entry<String, String>> events) {
        tx.executeWithoutResult(s -> {
            TaskRow t = lockHeld(worker, id, attempt);
            long now = clock.millis();
            for (Map.Entry<String, String> e : events) {
                if (e.getValue().length() > MAX_EVENT_BYTES) {
                    throw ApiProblem.badRequest("an event's data is limited to " + MAX_EVENT_BYTES + " characters");
                }
            }
            if (!events.isEmpty()) {
                store.appendEvents(t, now, attempt, events);
            }
            wakeFollowersAfterCommit();
        });
    }

    /** The attempt succeeded (exit code 0). 409 unless the worker holds the attempt's lease. */
    TaskRow complete(RequestContext ctx, WorkerIdentity worker, String id, int attempt, Outcome outcome) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        TaskRow out = tx.execute(s -> {
            TaskRow t = lockHeld(worker, id, attempt);
            long now = clock.millis();
            TaskRow done = store.transition(copy(t).phase(Phase.Succeeded).exitCode(outcome.exitCode())
                    .result(resultJson(outcome)).worker(t.worker()).leaseExpiresAt(null).finishedAt(now).updatedAt(now).build(),
                    now, EVENT_PHASE, attempt, phaseData(Phase.Succeeded, null));
            audited.add(event(ctx, done, "task.succeed", Map.of("attempt", attempt, "exitCode", String.valueOf(outcome.exitCode()))));
            wakeAfterCommit();
            return done;
        });
        audit.settle(audited);
        return out;
    }

    /**
     * The attempt failed. Cancelled if a cancel was asked for; Failed if the error class is
     * non-retryable; DeadLettered when the attempts are used up; otherwise queued again after a
     * backoff. 409 unless the worker holds the attempt's lease.
     */
    TaskRow fail(RequestContext ctx, WorkerIdentity worker, String id, int attempt, Outcome outcome) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        TaskRow out = tx.execute(s -> {
            TaskRow t = lockHeld(worker, id, attempt);
            TaskRow withResult = copy(t).exitCode(outcome.exitCode()).result(resultJson(outcome)).build();
            TaskRow next = afterFailure(ctx, withResult, clock.millis(), outcome.errorClass() == null ? "error" : outcome.errorClass(),
                    outcome.message(), audited);
            wakeAfterCommit();
            return next;
        });
        audit.settle(audited);
        return out;
    }

    /** The worker hands a task back unfinished (it is shutting down): queued again, the attempt not counted. */
    TaskRow release(RequestContext ctx, WorkerIdentity worker, String id, int attempt) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        TaskRow out = tx.execute(s -> {
            TaskRow t = lockHeld(worker, id, attempt);
            long now = clock.millis();
            TaskRow next = t.cancelRequested()
                    ? finish(t, Phase.Cancelled, now, "cancelled", "cancelled while its worker shut down")
                    : requeue(copy(t).retryBase(t.retryBase() + 1).build(), now, now, "handed back by its worker");
            audited.add(event(ctx, next, next.phase() == Phase.Cancelled ? "task.cancel" : "task.release", Map.of("attempt", attempt)));
            wakeAfterCommit();
            return next;
        });
        audit.settle(audited);
        return out;
    }

    private TaskRow lockHeld(WorkerIdentity worker, String id, int attempt) {
        TaskRow t = store.lock(id).filter(x -> x.namespace().equals(worker.namespace()))
                .orElseThrow(() -> ApiProblem.notFound("no task '" + id + "' in namespace '" + worker.namespace() + "'"));
        if (!holds(t, worker, attempt)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "lease-lost", "Conflict",
                    "this worker does not hold the lease of attempt " + attempt + " (the task is " + t.phase()
                            + " at attempt " + t.attempt() + "); its report was not accepted");
        }
        return t;
    }

    // --- the reaper -------------------------------------------------------------------------

    /** Requeues (or dead-letters) tasks whose lease expired, and fails queued tasks past their deadline. Returns how many moved. */
    int reap() {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        Integer moved = tx.execute(s -> {
            if (!store.tryReaperLock()) {
                return 0;
            }
            long now = clock.millis();
            int n = 0;
            for (TaskRow t : store.expiredLeases(now, 100)) {
                afterFailure(RequestContext.SYSTEM, t, now, "lease-expired",
                        "the lease of worker '" + t.worker() + "' expired (attempt " + t.attempt() + ")", audited);
                n++;
            }
            for (TaskRow t : store.pastDeadline(now, 100)) {
                audited.add(event(RequestContext.SYSTEM, finish(t, Phase.Failed, now, "deadline", "the deadline passed before it ran"),
                        "task.fail", Map.of("errorClass", "deadline")));
                n++;
            }
            if (n > 0) {
                wakeAfterCommit();
            }
            return n;
        });
        audit.settle(audited);
        return moved == null ? 0 : moved;
    }

    /** The args must fill the Tool's command template, as the worker will: a gap is a 422 now, not a failed run later. */
    private void checkTemplate(JsonNode spec, JsonNode args) {
        List<String> command = new ArrayList<>();
        spec.path("exec").path("command").forEach(e -> command.add(e.asString()));
        try {
            CommandTemplate.render(command, args);
        } catch (CommandTemplate.TemplateException e) {
            throw ApiProblem.invalid("Invalid args", List.of(new FieldError(e.arg() == null ? "tool" : "args." + e.arg(),
                    e.getMessage())));
        }
    }

    // --- transitions ------------------------------------------------------------------------

    private TaskRow afterFailure(RequestContext ctx, TaskRow t, long now, String errorClass, String message,
            List<CompletableFuture<AuditRecord>> audited) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attempt", t.attempt());
        details.put("errorClass", errorClass);
        TaskRow next;
        String action;
        if (t.cancelRequested()) {
            next = finish(t, Phase.Cancelled, now, "cancelled", message);
            action = "task.cancel";
        } else if (json.readTree(t.nonRetryable()).valueStream().anyMatch(n -> n.asString().equals(errorClass))) {
            next = finish(t, Phase.Failed, now, errorClass, message);
            action = "task.fail";
        } else if (t.attemptsUsed() >= t.maxAttempts()) {
            next = finish(t, Phase.DeadLettered, now, errorClass, message);
            action = "task.dead-letter";
        } else {
            long delay = Backoff.delayMillis(t.backoffBaseMs(), t.backoffMaxMs(), t.attemptsUsed(), random);
            next = requeue(copy(t).errorClass(errorClass).error(message).build(), now, now + delay, message);
            details.put("retryInMs", delay);
            action = "task.retry-scheduled";
        }
        audited.add(event(ctx, next, action, details));
        return next;
    }

    private TaskRow requeue(TaskRow t, long now, long runAfter, String reason) {
        return store.transition(copy(t).phase(Phase.Queued).worker(null).leaseExpiresAt(null).runAfter(runAfter)
                .updatedAt(now).build(), now, EVENT_PHASE, t.attempt(), phaseData(Phase.Queued, reason));
    }

    private TaskRow finish(TaskRow t, Phase phase, long now, String errorClass, String message) {
        return store.transition(copy(t).phase(phase).errorClass(errorClass).error(message).leaseExpiresAt(null)
                .finishedAt(now).updatedAt(now).build(), now, EVENT_PHASE, t.attempt(), phaseData(phase, message));
    }

    private static TaskRow with(TaskRow t, Phase phase, long now) {
        return copy(t).phase(phase).updatedAt(now).build();
    }

    private String resultJson(Outcome o) {
        ObjectNode r = json.createObjectNode();
        if (o.exitCode() != null) {
            r.put("exitCode", o.exitCode());
        }
        r.put("stdout", o.stdout() == null ? "" : o.stdout());
        r.put("stderr", o.stderr() == null ? "" : o.stderr());
        r.put("stdoutTruncated", o.stdoutTruncated());
        r.put("stderrTruncated", o.stderrTruncated());
        if (o.result() != null && !o.result().isNull()) {
            r.set("result", o.result());
        }
        return json.writeValueAsString(r);
    }

    private String phaseData(Phase phase, String reason) {
        return phaseData(phase, reason, null);
    }

    private String phaseData(Phase phase, String reason, String worker) {
        ObjectNode d = json.createObjectNode();
        d.put("phase", phase.name());
        if (reason != null) {
            d.put("reason", reason);
        }
        if (worker != null) {
            d.put("worker", worker);
        }
        return json.writeValueAsString(d);
    }

    private CompletableFuture<AuditRecord> event(RequestContext ctx, TaskRow t, String action, Map<String, ?> details) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("taskId", t.id());
        d.put("phase", t.phase().name());
        d.putAll(details);
        return audit.record(new AuditLog.Event(t.namespace(), ctx.actorKind(), ctx.actorId(), ctx.caller().credentialRef(), action,
                "Task", t.namespace(), t.id(), "success", ctx.requestId(), ctx.clientAddress(), json.writeValueAsString(d)));
    }

    /** After commit: wakes claimers (the queue changed) and followers (histories grew), here and on every replica. */
    private void wakeAfterCommit() {
        notifications.afterCommit(TaskNotifications.Change.QUEUE_AND_EVENTS);
    }

    /** After commit: wakes only followers (output was appended; the queue did not change). */
    private void wakeFollowersAfterCommit() {
        notifications.afterCommit(TaskNotifications.Change.EVENTS);
    }

    static TaskRowBuilder copy(TaskRow t) {
        return new TaskRowBuilder(t);
    }
}
