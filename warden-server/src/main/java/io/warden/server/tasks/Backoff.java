package io.warden.server.tasks;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): after the n-th failed attempt, wait a uniformly random time in
 * {@code [0, min(max, base * 2^(n-1))]}, so retries of many tasks spread out instead of
 * arriving together.
 */
final class Backoff {

    private Backoff() {
    }

    static long delayMillis(long baseMs, long maxMs, int failedAttempts, RandomGenerator random) {
        int shift = Math.min(Math.max(failedAttempts - 1, 0), 62);
        long exponential = baseMs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseMs << shift;
        long ceiling = Math.min(maxMs, exponential);
        return ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
    }
}
