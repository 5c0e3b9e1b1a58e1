package io.warden.server.tasks;

import io.warden.server.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the queue. State changes are guarded updates ({@code WHERE phase = ... AND attempt =
 * ...}) so a stale caller changes nothing; claims and the reaper lock rows with
 * {@link Database#forUpdateSkipLocked()} (PostgreSQL replicas and workers share the queue;
 * SQLite has one writer anyway).
 */
@Repository
class TaskStore {

    static final String COLUMNS = "id, namespace, form, tool, tool_spec, agent, args, input, phase, priority, deadline,"
            + " max_attempts, backoff_base_ms, backoff_max_ms, non_retryable, selector, labels, idempotency_key,"
            + " request_hash, submitter, attempt, retry_base, worker, lease_expires_at, run_after, cancel_requested,"
            + " timeout_seconds, exit_code, result, error_class, error, last_event, created_at, updated_at, started_at,"
            + " finished_at";

    private static final RowMapper<TaskRow> ROWS = TaskStore::row;

    record Event(String taskId, long seq, long at, String type, int attempt, String data) {
    }

    private static final RowMapper<Event> EVENTS = (rs, i) -> new Event(rs.getString(1), rs.getLong(2), rs.getLong(3),
            rs.getString(4), rs.getInt(5), rs.getString(6));

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final Database database;

    TaskStore(JdbcClient jdbc, JdbcTemplate batches, Database database) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.database = database;
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static TaskRow row(ResultSet rs, int i) throws SQLException {
        int exit = rs.getInt(28);
        Integer exitCode = rs.wasNull() ? null : exit;
        return new TaskRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), Phase.valueOf(rs.getString(9)), rs.getInt(10),
                nullableLong(rs, 11), rs.getInt(12), rs.getLong(13), rs.getLong(14), rs.getString(15), rs.getString(16),
                rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20), rs.getInt(21), rs.getInt(22),
                rs.getString(23), nullableLong(rs, 24), rs.getLong(25), rs.getBoolean(26), rs.getInt(27), exitCode,
                rs.getString(29), rs.getString(30), rs.getString(31), rs.getLong(32), rs.getLong(33), rs.getLong(34),
                nullableLong(rs, 35), nullableLong(rs, 36));
    }

    void insert(TaskRow t) {
        jdbc.sql("INSERT INTO tasks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(t.id(), t.namespace(), t.form(), t.tool(), t.toolSpec(), t.agent(), t.args(), t.input(),
                        t.phase().name(), t.priority(), t.deadline(), t.maxAttempts(), t.backoffBaseMs(), t.backoffMaxMs(),
                        t.nonRetryable(), t.selector(), t.labels(), t.idempotencyKey(), t.requestHash(), t.submitter(),
                        t.attempt(), t.retryBase(), t.worker(), t.leaseExpiresAt(), t.runAfter(), t.cancelRequested(),
                        t.timeoutSeconds(), t.exitCode(), t.result(), t.errorClass(), t.error(), t.lastEvent(),
                        t.createdAt(), t.updatedAt(), t.startedAt(), t.finishedAt())
                .update();
    }

    Optional<TaskRow> find(String namespace, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE namespace = ? AND id = ?").params(namespace, id)
                .query(ROWS).optional();
    }

    /** The task, locked until the transaction ends. */
    Optional<TaskRow> lock(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = ?" + database.forUpdate()).param(id)
                .query(ROWS).optional();
    }

    Optional<TaskRow> byIdempotencyKey(String namespace, String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE namespace = ? AND idempotency_key = ?")
                .params(namespace, key).query(ROWS).optional();
    }

    record ListFilter(Phase phase, String tool, String submitter) {
    }

    /** Newest first, after the (created_at, id) cursor. */
    List<TaskRow> list(String namespace, ListFilter f, Long beforeCreated, String beforeId, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE namespace = ?");
        params.add(namespace);
        if (f.phase() != null) {
            sql.append(" AND phase = ?");
            params.add(f.phase().name());
        }
        if (f.tool() != null) {
            sql.append(" AND tool = ?");
            params.add(f.tool());
        }
        if (f.submitter() != null) {
            sql.append(" AND submitter = ?");
            params.add(f.submitter());
        }
        if (beforeCreated != null) {
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            params.add(beforeCreated);
            params.add(beforeCreated);
            params.add(beforeId);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(ROWS).list();
    }

    /** Queued tasks of a namespace that may run now, best first, locked (others skip them). */
    List<TaskRow> claimable(String namespace, long now, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE namespace = ? AND phase = 'Queued' AND run_after <= ?"
                        + " ORDER BY priority DESC, created_at, id LIMIT ?" + database.forUpdateSkipLocked())
                .params(namespace, now, limit).query(ROWS).list();
    }

    /** Whether a claim could find anything: a plain read, before taking locks. */
    boolean anyClaimable(String namespace, long now) {
        return !jdbc.sql("SELECT 1 FROM tasks WHERE namespace = ? AND phase = 'Queued' AND run_after <= ? LIMIT 1")
                .params(namespace, now).query(Integer.class).list().isEmpty();
    }

    /** Running tasks whose lease ran out, locked. */
    List<TaskRow> expiredLeases(long now, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE phase = 'Running' AND lease_expires_at < ?"
                        + " ORDER BY lease_expires_at LIMIT ?" + database.forUpdateSkipLocked())
                .params(now, limit).query(ROWS).list();
    }

    /** Queued or pending tasks whose deadline passed, locked. */
    List<TaskRow> pastDeadline(long now, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE phase IN ('Queued', 'Pending') AND deadline IS NOT NULL"
                        + " AND deadline < ? ORDER BY deadline LIMIT ?" + database.forUpdateSkipLocked())
                .params(now, limit).query(ROWS).list();
    }

    private static final long REAPER_LOCK = 0x5741524445_4E02L; // "WARDEN" 2

    /** Only one replica reaps at a time (advisory lock on PostgreSQL). */
    boolean tryReaperLock() {
        return database.tryTransactionLock(jdbc, REAPER_LOCK);
    }

    int runningOn(String namespace, String worker) {
        return jdbc.sql("SELECT COUNT(*) FROM tasks WHERE phase = 'Running' AND namespace = ? AND worker = ?")
                .params(namespace, worker).query(Integer.class).single();
    }

    /** Replaces the mutable state of a task locked in this transaction (its history's length included). */
    void update(TaskRow t) {
        jdbc.sql("UPDATE tasks SET phase = ?, attempt = ?, retry_base = ?, worker = ?, lease_expires_at = ?, run_after = ?,"
                        + " cancel_requested = ?, exit_code = ?, result = ?, error_class = ?, error = ?, last_event = ?,"
                        + " updated_at = ?, started_at = ?, finished_at = ? WHERE id = ?")
                .params(t.phase().name(), t.attempt(), t.retryBase(), t.worker(), t.leaseExpiresAt(), t.runAfter(),
                        t.cancelRequested(), t.exitCode(), t.result(), t.errorClass(), t.error(), t.lastEvent(),
                        t.updatedAt(), t.startedAt(), t.finishedAt(), t.id())
                .update();
    }

    /**
     * Stores a locked task's new state and one more event of its history: two statements. The
     * event's seq follows the row's {@code last_event} as this transaction read it under the lock
     * (or wrote it, for a new row), so no other writer can take the same seq.
     */
    TaskRow transition(TaskRow next, long at, String type, int attempt, String data) {
        TaskRow stored = Tasks.copy(next).lastEvent(next.lastEvent() + 1).build();
        update(stored);
        insertEvents(List.of(new Event(stored.id(), stored.lastEvent(), at, type, attempt, data)));
        return stored;
    }

    /** Appends events to the history of a task locked in this transaction. */
    void appendEvents(TaskRow locked, long at, int attempt, List<Map.Entry<String, String>> typedData) {
        List<Event> events = new ArrayList<>(typedData.size());
        long seq = locked.lastEvent();
        for (Map.Entry<String, String> e : typedData) {
            events.add(new Event(locked.id(), ++seq, at, e.getKey(), attempt, e.getValue()));
        }
        jdbc.sql("UPDATE tasks SET last_event = ? WHERE id = ?").params(seq, locked.id()).update();
        insertEvents(events);
    }

    /** Inserts events (one JDBC batch); their task row holds the matching {@code last_event}. */
    void insertEvents(List<Event> events) {
        batches.batchUpdate("INSERT INTO task_events (task_id, seq, at, type, attempt, data) VALUES (?, ?, ?, ?, ?, ?)",
                events.stream().map(e -> new Object[] {e.taskId(), e.seq(), e.at(), e.type(), e.attempt(), e.data()}).toList());
    }

    List<Event> events(String taskId, long afterSeq, int limit) {
        return jdbc.sql("SELECT task_id, seq, at, type, attempt, data FROM task_events WHERE task_id = ? AND seq > ?"
                        + " ORDER BY seq LIMIT ?")
                .params(taskId, afterSeq, limit).query(EVENTS).list();
    }
}
