package io.warden.cli;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes a stream that has been silent for too long. A watch has no read timeout of its own, and
 * a connection whose peer vanished (laptop sleep, NAT timeout) can block a read forever; closing
 * the stream from another thread makes that read fail, so the watch reconnects.
 */
final class IdleWatchdog implements AutoCloseable {

    private final long timeoutNanos;
    private final Closeable target;
    private final Thread thread;
    private volatile long lastActivity;
    private volatile boolean closed;
    private volatile boolean fired;

    IdleWatchdog(Duration timeout, Closeable target) {
        this.timeoutNanos = timeout.toNanos();
        this.target = target;
        this.lastActivity = System.nanoTime();
        this.thread = Thread.ofVirtual().name("warden-watch-idle").start(this::watch);
    }

    /** {@code in}, noting every read as activity. */
    InputStream wrap(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastActivity = System.nanoTime();
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                lastActivity = System.nanoTime();
                return n;
            }
        };
    }

    /** True when the watchdog closed the stream. */
    boolean fired() {
        return fired;
    }

    private void watch() {
        while (!closed) {
            long idle = System.nanoTime() - lastActivity;
            if (idle >= timeoutNanos) {
                fired = true;
                try {
                    target.close();
                } catch (IOException e) {
                    // The reader sees the closed stream either way.
                }
                return;
            }
            LockSupport.parkNanos(this, timeoutNanos - idle);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
