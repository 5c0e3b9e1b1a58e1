package io.warden.server.tasks;

import io.warden.server.storage.Signal;
import org.springframework.stereotype.Component;

/**
 * Fired after a task's history grows (here, or on another replica through
 * {@link TaskNotifications}): wakes event followers. Apart from {@link TaskSignal}, so that a
 * stream of output events does not wake every waiting claim.
 */
@Component
class TaskEventSignal extends Signal {
}
