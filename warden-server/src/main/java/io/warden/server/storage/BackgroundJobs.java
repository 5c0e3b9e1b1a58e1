package io.warden.server.storage;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Jobs a feature runs in the background on one thread of its own, each at a fixed delay after
 * its last run, started and stopped with the server. A job that throws is logged and runs
 * again at its next interval. Subclasses say what runs and how often in {@link #schedule}.
 */
public abstract class BackgroundJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundJobs.class);

    private final String threadName;
    private volatile ScheduledExecutorService executor;

    protected BackgroundJobs(String threadName) {
        this.threadName = threadName;
    }

    /** Calls {@link #every} for each job. */
    protected abstract void schedule();

    /** Runs {@code job} every {@code interval}, first after one interval. */
    protected final void every(Duration interval, String name, Runnable job) {
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.error("background job '{}' failed; it runs again at its next interval", name, e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon().factory());
        schedule();
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
