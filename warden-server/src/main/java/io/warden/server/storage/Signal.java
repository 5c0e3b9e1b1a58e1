package io.warden.server.storage;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.context.SmartLifecycle;

/**
 * Wakes threads waiting for something this replica committed (a resource change, a queued
 * task), and tells them to end when the server stops, before the web server waits for open
 * requests. Waiters compare a tick count, so a signal fired between their check and their wait
 * is never lost. What other replicas commit is found by the waiters' own periodic look (or a
 * PostgreSQL notification that fires the signal).
 */
public abstract class Signal implements SmartLifecycle {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long ticks;
    private volatile boolean running;

    public void fire() {
        lock.lock();
        try {
            ticks++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public long ticks() {
        lock.lock();
        try {
            return ticks;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a signal after {@code seen} ticks, the timeout, or shutdown. */
    public void await(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (ticks == seen && running && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isOpen() {
        return running;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        fire();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first, so that graceful shutdown does not wait on open streams and long polls. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
