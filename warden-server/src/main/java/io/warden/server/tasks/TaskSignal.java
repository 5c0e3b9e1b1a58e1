package io.warden.server.tasks;

import io.warden.server.storage.Signal;
import org.springframework.stereotype.Component;

/**
 * Fired after this replica commits a change to the queue (a task queued or requeued) and, on
 * PostgreSQL, when another replica's NOTIFY arrives ({@link TaskNotifications}): wakes
 * long-polling claims.
 */
@Component
class TaskSignal extends Signal {
}
