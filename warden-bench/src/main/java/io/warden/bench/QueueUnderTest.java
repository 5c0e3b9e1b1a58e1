package io.warden.bench;

import java.util.List;

/** A queue the task benchmark drives: Warden over HTTP, or the same SQL over bare JDBC (the ceiling). */
interface QueueUnderTest extends AutoCloseable {

    /** A task handed to a worker: its id and fencing token. */
    record Claim(String id, int attempt) {
    }

    /** Submits one no-op task and returns its id once it is queued (committed). */
    String submit() throws Exception;

    /**
     * Claims up to {@code max} tasks (the worker's free slots) in one go, as {@code warden worker}'s
     * claimer does, waiting up to about a second when none is queued.
     */
    List<Claim> claim(int max) throws Exception;

    /** Reports the claimed task as succeeded. */
    void complete(Claim claim) throws Exception;

    /** Loads {@code n} queued tasks straight into the table (not measured). */
    void preload(int n) throws Exception;

    /** Tasks still queued. */
    long queued() throws Exception;

    /** What this queue is, for the report. */
    String name();

    /** Closes what the queue opened; the trial's database is the trial's to drop. */
    @Override
    void close();
}
