package io.warden.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.warden.server.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The SQL-only ceiling: everything Warden makes durable for a task, written with the statements
 * Warden issues, in the same transactions and order, over bare JDBC to the same schema (the
 * server's own migrations: tables, indexes, triggers), with no HTTP, no authentication, no JSON,
 * and no Warden code:
 *
 * <ul>
 *   <li>the queue's statements ({@code TaskStore}: the row, its guarded transitions, the claim's
 *       count and {@code SKIP LOCKED} pick, the task's history events);</li>
 *   <li>one audit row per transition ({@code task.submit}, {@code task.queue}, {@code task.claim},
 *       {@code task.succeed}) inserted into {@code audit_events} in the change's transaction, as
 *       a raw row: the ledger's bookkeeping (chain head, HMAC and digest, PostgreSQL's staging
 *       and group commit) is Warden's work, so the ceiling does not do it.</li>
 * </ul>
 *
 * On SQLite the pool keeps compiled statements per connection, as the server's does (a hand-written
 * JDBC program would prepare each statement once, too).
 *
 * <p>Idle claimers wait on an in-process monitor that a submission's commit notifies, as Warden's
 * in-process signal does. The ratio Warden / ceiling says how much of the database's speed
 * Warden keeps for the same durable work.
 */
final class SqlTaskQueue implements QueueUnderTest {

    private static final String SET = "UPDATE tasks SET phase = ?, attempt = ?, retry_base = ?, worker = ?,"
            + " lease_expires_at = ?, run_after = ?, cancel_requested = ?, exit_code = ?, result = ?, error_class = ?,"
            + " error = ?, last_event = ?, updated_at = ?, started_at = ?, finished_at = ? WHERE id = ?";
    private static final String EVENT = "INSERT INTO task_events (task_id, seq, at, type, attempt, data) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String AUDIT = "INSERT INTO audit_events (chain, seq, at, actor_kind, actor_id, actor_via, action,"
            + " target_kind, target_namespace, target_name, outcome, request_id, client_address, details, prev_hash, hash,"
            + " prev_digest, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String LINK = "a5".repeat(32);
    private static final long LEASE_MS = 30_000;

    private final HikariDataSource hikari;
    /** The pool as the server uses it: on SQLite with its compiled statements kept per connection. */
    private final DataSource pool;
    private final String lock;
    private final String skipLocked;
    private final AtomicLong auditSeq = new AtomicLong();
    private final Object queuedMonitor = new Object();
    private long queuedTicks;

    SqlTaskQueue(TrialDatabase database) {
        // As the server sizes its pools: 8 connections on SQLite, 10 (the default) on PostgreSQL.
        this.hikari = database.postgres() ? database.postgresPool("bench-ceiling", 10) : database.sqlitePool("bench-ceiling");
        this.pool = database.postgres() ? hikari : Database.withStatementCache(hikari);
        this.lock = database.postgres() ? " FOR UPDATE" : "";
        this.skipLocked = database.postgres() ? " FOR UPDATE SKIP LOCKED" : "";
        // The server's schema, from the server's migrations, as the server applies them.
        Flyway.configure().dataSource(pool)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + (database.postgres() ? "postgresql" : "sqlite"))
                .load().migrate();
    }

    @Override
    public String submit() throws SQLException {
        String id;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            long now = System.currentTimeMillis();
            try (PreparedStatement insert = c.prepareStatement(TaskBacklog.INSERT)) {
                id = TaskBacklog.bind(insert, "Queued", 2, now);
                insert.executeUpdate();
            }
            try (PreparedStatement events = c.prepareStatement(EVENT)) {
                bindEvent(events, id, 1, now, 0, "{\"phase\":\"Pending\"}");
                events.addBatch();
                bindEvent(events, id, 2, now, 0, "{\"phase\":\"Queued\"}");
                events.addBatch();
                events.executeBatch();
            }
            audit(c, now, id, "task.submit", "{\"taskId\":\"" + id + "\",\"phase\":\"Pending\",\"tool\":\"noop\",\"args\":"
                    + "{\"length\":2,\"hmac\":\"" + LINK + "\"}}");
            audit(c, now, id, "task.queue", "{\"taskId\":\"" + id + "\",\"phase\":\"Queued\"}");
            c.commit();
        }
        synchronized (queuedMonitor) {
            queuedTicks++;
            queuedMonitor.notifyAll();
        }
        return id;
    }

    @Override
    public List<Claim> claim(int max) throws Exception {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (true) {
            long seen;
            synchronized (queuedMonitor) {
                seen = queuedTicks;
            }
            List<Claim> claimed = claimOnce(max);
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (!claimed.isEmpty() || left <= 0) {
                return claimed;
            }
            synchronized (queuedMonitor) {
                if (queuedTicks == seen) {
                    queuedMonitor.wait(left);
                }
            }
        }
    }

    /** Tasks.claimOnce: the running count, then up to four candidates a slot, locked, each taken with its event and audit row. */
    private List<Claim> claimOnce(int max) throws SQLException {
        List<Claim> out = new ArrayList<>(max);
        try (Connection c = pool.getConnection()) {
            long now = System.currentTimeMillis();
            try (PreparedStatement any = c.prepareStatement(
                    "SELECT 1 FROM tasks WHERE namespace = ? AND phase = 'Queued' AND run_after <= ? LIMIT 1")) {
                any.setString(1, TaskBacklog.NAMESPACE);
                any.setLong(2, now);
                try (ResultSet rs = any.executeQuery()) {
                    if (!rs.next()) {
                        return out;
                    }
                }
            }
            c.setAutoCommit(false);
            try {
                int running;
                try (PreparedStatement count = c.prepareStatement(
                        "SELECT COUNT(*) FROM tasks WHERE phase = 'Running' AND namespace = ? AND worker = ?")) {
                    count.setString(1, TaskBacklog.NAMESPACE);
                    count.setString(2, TaskBacklog.WORKER);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        running = rs.getInt(1);
                    }
                }
                int room = Math.min(max, 256 - running);
                if (room <= 0) {
                    c.commit();
                    return out;
                }
                record Candidate(String id, int attempt, long lastEvent) {
                }
                List<Candidate> candidates = new ArrayList<>();
                try (PreparedStatement select = c.prepareStatement("SELECT " + TaskBacklog.COLUMNS
                        + " FROM tasks WHERE namespace = ? AND phase = 'Queued' AND run_after <= ?"
                        + " ORDER BY priority DESC, created_at, id LIMIT ?" + skipLocked)) {
                    select.setString(1, TaskBacklog.NAMESPACE);
                    select.setLong(2, now);
                    select.setInt(3, Math.min(room * 4, 200));
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            candidates.add(new Candidate(rs.getString(1), rs.getInt(21) + 1, rs.getLong(32)));
                        }
                    }
                }
                for (Candidate t : candidates.subList(0, Math.min(room, candidates.size()))) {
                    transition(c, t.id(), "Running", t.attempt(), TaskBacklog.WORKER, now + LEASE_MS, now, now, null, now, null,
                            null, t.lastEvent() + 1, "{\"phase\":\"Running\",\"worker\":\"" + TaskBacklog.WORKER + "\"}");
                    audit(c, now, t.id(), "task.claim", "{\"taskId\":\"" + t.id() + "\",\"phase\":\"Running\",\"attempt\":"
                            + t.attempt() + "}");
                    out.add(new Claim(t.id(), t.attempt()));
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return out;
    }

    @Override
    public void complete(Claim claim) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                long startedAt;
                long lastEvent;
                try (PreparedStatement select = c.prepareStatement("SELECT " + TaskBacklog.COLUMNS + " FROM tasks WHERE id = ?" + lock)) {
                    select.setString(1, claim.id());
                    try (ResultSet rs = select.executeQuery()) {
                        if (!rs.next() || !"Running".equals(rs.getString(9)) || rs.getInt(21) != claim.attempt()) {
                            throw new IllegalStateException("task " + claim.id() + " is not held at attempt " + claim.attempt());
                        }
                        lastEvent = rs.getLong(32);
                        startedAt = rs.getLong(35);
                    }
                }
                long now = System.currentTimeMillis();
                transition(c, claim.id(), "Succeeded", claim.attempt(), TaskBacklog.WORKER, null, now, startedAt, now, now, 0,
                        "{\"exitCode\":0,\"stdout\":\"\",\"stderr\":\"\",\"stdoutTruncated\":false,\"stderrTruncated\":false}",
                        lastEvent + 1, "{\"phase\":\"Succeeded\"}");
                audit(c, now, claim.id(), "task.succeed", "{\"taskId\":\"" + claim.id() + "\",\"phase\":\"Succeeded\",\"attempt\":"
                        + claim.attempt() + ",\"exitCode\":\"0\"}");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** TaskStore.transition: the mutable columns of a locked row (its history's length included), then the event. */
    private static void transition(Connection c, String id, String phase, int attempt, String worker, Long lease, long runAfter,
            Long startedAt, Long finishedAt, long now, Integer exitCode, String result, long seq, String eventData)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SET)) {
            Object[] values = {phase, attempt, 0, worker, lease, runAfter, false, exitCode, result, null, null, seq, now,
                    startedAt, finishedAt, id};
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(EVENT)) {
            bindEvent(insert, id, seq, now, attempt, eventData);
            insert.executeUpdate();
        }
    }

    private static void bindEvent(PreparedStatement ps, String id, long seq, long now, int attempt, String data) throws SQLException {
        ps.setString(1, id);
        ps.setLong(2, seq);
        ps.setLong(3, now);
        ps.setString(4, "phase");
        ps.setInt(5, attempt);
        ps.setString(6, data);
    }

    /** The audit row of a transition, as the ledger stores it (the hashes are placeholders of the same size). */
    private void audit(Connection c, long now, String taskId, String action, String details) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(AUDIT)) {
            Object[] values = {TaskBacklog.NAMESPACE, auditSeq.incrementAndGet(), now, "worker", TaskBacklog.WORKER,
                    "worker-credential:00000000-0000-0000-0000-000000000000", action, "Task", TaskBacklog.NAMESPACE, taskId,
                    "success", "0123456789abcdef0123456789abcdef", "127.0.0.1", details, LINK, LINK, LINK, LINK};
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    @Override
    public void preload(int n) throws SQLException {
        TaskBacklog.preload(pool, n);
    }

    @Override
    public long queued() throws SQLException {
        return TaskBacklog.queued(pool);
    }

    @Override
    public String name() {
        return "sql-ceiling";
    }

    @Override
    public void close() {
        hikari.close();
    }
}
