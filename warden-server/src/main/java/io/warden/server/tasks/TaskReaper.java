package io.warden.server.tasks;

import io.warden.server.storage.BackgroundJobs;
import org.springframework.stereotype.Component;

/**
 * Every {@code reap-interval}: requeues (or dead-letters) tasks whose worker stopped renewing its
 * lease, and fails queued tasks past their deadline. On PostgreSQL one replica reaps at a time
 * (advisory lock, {@link TaskStore#tryReaperLock()}); locked rows are skipped, never waited on.
 */
@Component
class TaskReaper extends BackgroundJobs {

    private final Tasks tasks;

    TaskReaper(Tasks tasks) {
        super("task-reaper");
        this.tasks = tasks;
    }

    @Override
    protected void schedule() {
        every(tasks.settings().reapInterval(), "task reaper", () -> {
            while (tasks.reap() >= 100) {
                // a full batch: there may be more
            }
        });
    }
}
