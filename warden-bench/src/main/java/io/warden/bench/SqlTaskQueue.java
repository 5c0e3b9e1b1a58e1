package io.warden.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL-only ceiling: the statements Warden's task store issues for submit, claim and complete
 * ({@code TaskStore}, in the same transactions, in the same order), sent over bare JDBC to the
 * same tables and indexes, with no HTTP, no authentication, no JSON, no audit ledger and no Warden
 * code. Idle claimers wait on an in-process monitor that a submission's commit notifies, as
 * Warden's in-process signal does. What Warden adds on top of this is the price of its API and
 * its guarantees; the ratio Warden / ceiling says how much of the database's speed it keeps.
 */
final class SqlTaskQueue implements QueueUnderTest {

    private static final String SET = "UPDATE tasks SET phase = ?, attempt = ?, retry_base = ?, worker = ?,"
            + " lease_expires_at = ?, run_after = ?, cancel_requested = ?, exit_code = ?, result = ?, error_class = ?,"
            + " error = ?, updated_at = ?, started_at = ?, finished_at = ? WHERE id = ?";
    private static final long LEASE_MS = 30_000;

    private final HikariDataSource pool;
    private final String lock;
    private final String skipLocked;
    private final Object queuedMonitor = new Object();
    private long queuedTicks;

    SqlTaskQueue(TrialDatabase database) throws SQLException, IOException {
        // As the server sizes its pools: 8 connections on SQLite, 10 (the default) on PostgreSQL.
        this.pool = database.postgres() ? database.postgresPool("bench-ceiling", 10) : database.sqlitePool("bench-ceiling");
        this.lock = database.postgres() ? " FOR UPDATE" : "";
        this.skipLocked = database.postgres() ? " FOR UPDATE SKIP LOCKED" : "";
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String statement : migration()) {
                s.execute(statement);
            }
        }
    }

    /** The tasks migration's statements (V8__tasks.sql, from the server's classes), comments removed. */
    private static List<String> migration() throws IOException {
        try (InputStream in = SqlTaskQueue.class.getClassLoader().getResourceAsStream("db/migration/common/V8__tasks.sql")) {
            if (in == null) {
                throw new IllegalStateException("db/migration/common/V8__tasks.sql is not on the class path");
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int comment = line.indexOf("--");
                sql.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
            }
            List<String> out = new ArrayList<>();
            for (String s : sql.toString().split(";")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            return out;
        }
    }

    @Override
    public String submit() throws SQLException {
        String id;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            long now = System.currentTimeMillis();
            try (PreparedStatement insert = c.prepareStatement(TaskBacklog.INSERT)) {
                id = TaskBacklog.bind(insert, "Pending", now);
                insert.executeUpdate();
            }
            appendEvent(c, id, now, 0, "{\"phase\":\"Pending\"}");
            update(c, id, "Queued", 0, null, null, now, null, null, now, null, null);
            appendEvent(c, id, now, 0, "{\"phase\":\"Queued\"}");
            c.commit();
        }
        synchronized (queuedMonitor) {
            queuedTicks++;
            queuedMonitor.notifyAll();
        }
        return id;
    }

    @Override
    public List<Claim> claim(int worker) throws Exception {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (true) {
            long seen;
            synchronized (queuedMonitor) {
                seen = queuedTicks;
            }
            List<Claim> claimed = claimOnce();
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

    private List<Claim> claimOnce() throws SQLException {
        List<Claim> out = new ArrayList<>(1);
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
                if (running >= 256) {
                    c.commit();
                    return out;
                }
                String id = null;
                int attempt = 0;
                try (PreparedStatement select = c.prepareStatement("SELECT " + TaskBacklog.COLUMNS
                        + " FROM tasks WHERE namespace = ? AND phase = 'Queued' AND run_after <= ?"
                        + " ORDER BY priority DESC, created_at, id LIMIT ?" + skipLocked)) {
                    select.setString(1, TaskBacklog.NAMESPACE);
                    select.setLong(2, now);
                    select.setInt(3, 4);
                    try (ResultSet rs = select.executeQuery()) {
                        if (rs.next()) {
                            id = rs.getString(1);
                            attempt = rs.getInt(21) + 1;
                        }
                    }
                }
                if (id != null) {
                    update(c, id, "Running", attempt, TaskBacklog.WORKER, now + LEASE_MS, now, now, null, now, null, null);
                    appendEvent(c, id, now, attempt, "{\"phase\":\"Running\",\"worker\":\"" + TaskBacklog.WORKER + "\"}");
                    out.add(new Claim(id, attempt));
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
    public void complete(int worker, Claim claim) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                long startedAt;
                try (PreparedStatement select = c.prepareStatement("SELECT " + TaskBacklog.COLUMNS + " FROM tasks WHERE id = ?" + lock)) {
                    select.setString(1, claim.id());
                    try (ResultSet rs = select.executeQuery()) {
                        if (!rs.next() || !"Running".equals(rs.getString(9)) || rs.getInt(21) != claim.attempt()) {
                            throw new IllegalStateException("task " + claim.id() + " is not held at attempt " + claim.attempt());
                        }
                        startedAt = rs.getLong(35);
                    }
                }
                long now = System.currentTimeMillis();
                update(c, claim.id(), "Succeeded", claim.attempt(), TaskBacklog.WORKER, null, now, startedAt, now, now, 0,
                        "{\"exitCode\":0,\"stdout\":\"\",\"stderr\":\"\",\"stdoutTruncated\":false,\"stderrTruncated\":false}");
                appendEvent(c, claim.id(), now, claim.attempt(), "{\"phase\":\"Succeeded\"}");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** TaskStore.update: the mutable columns of a locked row. */
    private static void update(Connection c, String id, String phase, int attempt, String worker, Long lease, long runAfter,
            Long startedAt, Long finishedAt, long now, Integer exitCode, String result) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SET)) {
            Object[] values = {phase, attempt, 0, worker, lease, runAfter, false, exitCode, result, null, null, now, startedAt,
                    finishedAt, id};
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    /** TaskStore.appendEvent: bump the task's event counter, read it, insert the event. */
    private static void appendEvent(Connection c, String id, long now, int attempt, String data) throws SQLException {
        try (PreparedStatement bump = c.prepareStatement("UPDATE tasks SET last_event = last_event + 1 WHERE id = ?")) {
            bump.setString(1, id);
            bump.executeUpdate();
        }
        long seq;
        try (PreparedStatement read = c.prepareStatement("SELECT last_event FROM tasks WHERE id = ?")) {
            read.setString(1, id);
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO task_events (task_id, seq, at, type, attempt, data) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setLong(2, seq);
            insert.setLong(3, now);
            insert.setString(4, "phase");
            insert.setInt(5, attempt);
            insert.setString(6, data);
            insert.executeUpdate();
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
        pool.close();
    }
}
