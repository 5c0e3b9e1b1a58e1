package io.warden.server.tasks;

/**
 * A task as stored. JSON columns are kept as text; times are epoch milliseconds (null: not yet).
 * {@code attempt} is the fencing token; {@code attempt - retryBase} is how many attempts count
 * against {@code maxAttempts}.
 */
record TaskRow(
        String id,
        String namespace,
        String form,
        String tool,
        String toolSpec,
        String agent,
        String args,
        String input,
        Phase phase,
        int priority,
        Long deadline,
        int maxAttempts,
        long backoffBaseMs,
        long backoffMaxMs,
        String nonRetryable,
        String selector,
        String labels,
        String idempotencyKey,
        String requestHash,
        String submitter,
        int attempt,
        int retryBase,
        String worker,
        Long leaseExpiresAt,
        long runAfter,
        boolean cancelRequested,
        int timeoutSeconds,
        Integer exitCode,
        String result,
        String errorClass,
        String error,
        long lastEvent,
        long createdAt,
        long updatedAt,
        Long startedAt,
        Long finishedAt) {

    int attemptsUsed() {
        return attempt - retryBase;
    }
}
