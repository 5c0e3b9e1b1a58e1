package io.warden.server.tasks;

import io.warden.server.storage.Signal;
import org.springframework.stereotype.Component;

/**
 * Fired after this replica commits a change to the queue (a task queued, an event appended, a
 * cancellation) and, on PostgreSQL, when another replica's NOTIFY arrives
 * ({@link TaskNotifications}): wakes long-polling claims and event followers.
 */
@Component
class TaskSignal extends Signal {
}
