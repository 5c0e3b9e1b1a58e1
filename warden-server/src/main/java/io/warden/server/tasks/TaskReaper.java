package io.warden.server.tasks;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every {@code reap-interval}: requeues (or dead-letters) tasks whose worker stopped renewing its
 * lease, and fails queued tasks past their deadline. On PostgreSQL one replica reaps at a time
 * (advisory lock, {@link TaskStore#tryReaperLock()}); locked rows are skipped, never waited on.
 */
@Component
class TaskReaper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskReaper.class);

    private final Tasks tasks;
    private volatile ScheduledExecutorService executor;

    TaskReaper(Tasks tasks) {
        this.tasks = tasks;
    }

    private void reap() {
        try {
            while (tasks.reap() >= 100) {
                // a full batch: there may be more
            }
        } catch (RuntimeException e) {
            log.error("task reaper failed; it runs again at its next interval", e);
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("task-reaper").daemon().factory());
        long every = tasks.settings().reapInterval().toMillis();
        ex.scheduleWithFixedDelay(this::reap, every, every, TimeUnit.MILLISECONDS);
        executor = ex;
    }

    @Override
    public void stop() {
        ScheduledExecutorService ex = executor;
        executor = null;
        if (ex != null) {
            ex.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
