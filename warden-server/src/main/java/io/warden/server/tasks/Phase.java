package io.warden.server.tasks;

/**
 * Where a task is in its life. {@code Pending -> Queued -> Running -> Succeeded | Failed |
 * DeadLettered | Cancelled}; {@code AwaitingApproval} and {@code Denied} belong to governance.
 */
public enum Phase {
    Pending, AwaitingApproval, Queued, Running, Succeeded, Failed, DeadLettered, Cancelled, Denied;

    public boolean terminal() {
        return this == Succeeded || this == Failed || this == DeadLettered || this == Cancelled || this == Denied;
    }
}
