package io.warden.server.resources;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes watch streams when this replica commits a resource change, and tells them to end when
 * the server stops (before the web server waits for open requests). Changes committed by other
 * replicas are found by the streams' periodic poll.
 */
@Component
class ChangeSignal implements SmartLifecycle {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long ticks;
    private volatile boolean running;

    void fire() {
        lock.lock();
        try {
            ticks++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long ticks() {
        lock.lock();
        try {
            return ticks;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a change after {@code seen} ticks, the timeout, or shutdown. */
    void await(long seen, Duration timeout) throws InterruptedException {
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

    boolean isOpen() {
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

    /** Stops first, so that graceful shutdown does not wait on open watch streams. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

}
