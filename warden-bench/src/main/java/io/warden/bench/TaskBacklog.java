package io.warden.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The task rows both queues share: Warden's {@code tasks} table, filled the way
 * {@code Tasks.submit} fills it for a no-op job. Used to preload a backlog, and by the SQL
 * ceiling for its own submissions.
 */
final class TaskBacklog {

    static final String NAMESPACE = "bench";
    static final String TOOL = "noop";
    /** The Tool's spec as Warden stores it in each task. */
    static final String TOOL_SPEC = "{\"type\":\"exec\",\"exec\":{\"command\":[\"true\"]},\"timeoutSeconds\":10}";
    static final String WORKER = "bench-worker";

    static final String COLUMNS = "id, namespace, form, tool, tool_spec, agent, args, input, phase, priority, deadline,"
            + " max_attempts, backoff_base_ms, backoff_max_ms, non_retryable, selector, labels, idempotency_key,"
            + " request_hash, submitter, attempt, retry_base, worker, lease_expires_at, run_after, cancel_requested,"
            + " timeout_seconds, exit_code, result, error_class, error, last_event, created_at, updated_at, started_at,"
            + " finished_at";
    static final String INSERT = "INSERT INTO tasks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private TaskBacklog() {}

    /** Binds a new task row in {@code phase} whose history holds {@code lastEvent} events; returns its id. */
    static String bind(PreparedStatement ps, String phase, long lastEvent, long now) throws SQLException {
        String id = UUID.randomUUID().toString();
        Object[] values = {id, NAMESPACE, "job", TOOL, TOOL_SPEC, null, "{}", null, phase, 0, null, 3, 1000L, 300_000L,
                "[]", "{}", "{}", null, "5f".repeat(32), "user:bench", 0, 0, null, null, now, false, 10, null, null,
                null, null, lastEvent, now, now, null, null};
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
        return id;
    }

    /** Inserts {@code n} queued tasks in batches, committed every 10,000 rows (then ANALYZE on PostgreSQL). */
    static void preload(DataSource ds, int n) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            long now = System.currentTimeMillis() - 60_000;
            for (int i = 1; i <= n; i++) {
                bind(ps, "Queued", 0, now);
                ps.addBatch();
                if (i % 10_000 == 0 || i == n) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            c.setAutoCommit(true);
            if (c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
                // What autovacuum would soon do on its own; the graphile-worker peer does the same.
                try (var s = c.createStatement()) {
                    s.execute("ANALYZE tasks");
                }
            }
        }
    }

    static long queued(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM tasks WHERE phase = 'Queued'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
