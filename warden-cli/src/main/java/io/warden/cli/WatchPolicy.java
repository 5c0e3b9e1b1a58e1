package io.warden.cli;

import java.time.Duration;

/**
 * How a watch reconnects: it gives up after {@code maxFailures} connections in a row that fail or
 * end without delivering an event, waiting {@code initialBackoff} doubled each time up to
 * {@code maxBackoff} in between. A connection silent for {@code idleTimeout} counts as dropped;
 * the server sends a keep-alive comment every 15 seconds, so a minute of silence means the
 * connection is gone even if TCP has not noticed.
 */
record WatchPolicy(int maxFailures, Duration initialBackoff, Duration maxBackoff, Duration idleTimeout) {

    WatchPolicy {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + maxFailures);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be 0 <= initial (" + initialBackoff + ") <= max (" + maxBackoff + ")");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, not " + idleTimeout);
        }
    }

    static final WatchPolicy DEFAULT = new WatchPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60));

    Duration backoff(int failures) {
        if (initialBackoff.isZero() || failures <= 0) {
            return Duration.ZERO;
        }
        Duration d = initialBackoff.multipliedBy(1L << Math.min(failures - 1, 20));
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
