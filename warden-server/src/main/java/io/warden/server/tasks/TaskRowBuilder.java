package io.warden.server.tasks;

/** A copy of a {@link TaskRow} with its mutable state changed; what was submitted stays as it was. */
final class TaskRowBuilder {

    private final TaskRow t;
    private Phase phase;
    private int attempt;
    private int retryBase;
    private String worker;
    private Long leaseExpiresAt;
    private long runAfter;
    private boolean cancelRequested;
    private Integer exitCode;
    private String result;
    private String errorClass;
    private String error;
    private long updatedAt;
    private Long startedAt;
    private Long finishedAt;
    private long lastEvent;

    TaskRowBuilder(TaskRow t) {
        this.t = t;
        phase = t.phase();
        attempt = t.attempt();
        retryBase = t.retryBase();
        worker = t.worker();
        leaseExpiresAt = t.leaseExpiresAt();
        runAfter = t.runAfter();
        cancelRequested = t.cancelRequested();
        exitCode = t.exitCode();
        result = t.result();
        errorClass = t.errorClass();
        error = t.error();
        updatedAt = t.updatedAt();
        startedAt = t.startedAt();
        finishedAt = t.finishedAt();
        lastEvent = t.lastEvent();
    }

    TaskRowBuilder phase(Phase v) { phase = v; return this; }
    TaskRowBuilder attempt(int v) { attempt = v; return this; }
    TaskRowBuilder retryBase(int v) { retryBase = v; return this; }
    TaskRowBuilder worker(String v) { worker = v; return this; }
    TaskRowBuilder leaseExpiresAt(Long v) { leaseExpiresAt = v; return this; }
    TaskRowBuilder runAfter(long v) { runAfter = v; return this; }
    TaskRowBuilder cancelRequested(boolean v) { cancelRequested = v; return this; }
    TaskRowBuilder exitCode(Integer v) { exitCode = v; return this; }
    TaskRowBuilder result(String v) { result = v; return this; }
    TaskRowBuilder errorClass(String v) { errorClass = v; return this; }
    TaskRowBuilder error(String v) { error = v; return this; }
    TaskRowBuilder updatedAt(long v) { updatedAt = v; return this; }
    TaskRowBuilder startedAt(Long v) { startedAt = v; return this; }
    TaskRowBuilder finishedAt(Long v) { finishedAt = v; return this; }
    TaskRowBuilder lastEvent(long v) { lastEvent = v; return this; }

    TaskRow build() {
        return new TaskRow(t.id(), t.namespace(), t.form(), t.tool(), t.toolSpec(), t.agent(), t.args(), t.input(), phase,
                t.priority(), t.deadline(), t.maxAttempts(), t.backoffBaseMs(), t.backoffMaxMs(), t.nonRetryable(),
                t.selector(), t.labels(), t.idempotencyKey(), t.requestHash(), t.submitter(), attempt, retryBase, worker,
                leaseExpiresAt, runAfter, cancelRequested, t.timeoutSeconds(), exitCode, result, errorClass, error,
                lastEvent, t.createdAt(), updatedAt, startedAt, finishedAt);
    }
}
