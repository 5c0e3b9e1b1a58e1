package io.warden.server.audit;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.Chain;
import io.warden.core.audit.Checkpoint;
import io.warden.server.storage.Database;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for the ledger. There is no update or delete of events here except {@link #prune}, which
 * the database allows only at or before an anchor it has just been given.
 */
@Repository
class AuditStore {

    /** A chain's head: its last record's position and link, the time of it, and its last checkpoint's seq. */
    record Head(String chain, long seq, Chain.Link link, long at, long checkpointSeq) {

        Head advancedTo(AuditRecord r) {
            return new Head(chain, r.seq(), r.link(), r.time(), checkpointSeq);
        }

        Head checkpointed() {
            return new Head(chain, seq, link, at, seq);
        }
    }

    /** What to list: null fields are not filtered on; {@code chain} null means every chain. */
    record Filter(String chain, String actor, String action, String targetKind, String targetName, String outcome,
            Long since, Long until) {
    }

    private static final String COLUMNS = "chain, seq, at, actor_kind, actor_id, actor_via, action, target_kind,"
            + " target_namespace, target_name, outcome, request_id, client_address, details, prev_hash, hash,"
            + " prev_digest, digest";
    private static final RowMapper<AuditRecord> ROWS = (rs, i) -> new AuditRecord(rs.getString(1), rs.getLong(2),
            rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
            rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
            rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18));
    private static final String CHECKPOINT_COLUMNS = "chain, seq, hash, digest, at, signature";
    private static final RowMapper<Checkpoint> CHECKPOINTS = (rs, i) -> new Checkpoint(rs.getString(1), rs.getLong(2),
            rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6));
    private static final String HEAD_COLUMNS = "chain, last_seq, last_hash, last_digest, last_at, checkpoint_seq";
    private static final RowMapper<Head> HEADS = (rs, i) -> new Head(rs.getString(1), rs.getLong(2),
            new Chain.Link(rs.getString(3), rs.getString(4)), rs.getLong(5), rs.getLong(6));

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final Database database;

    AuditStore(JdbcClient jdbc, JdbcTemplate batches, Database database) {
        this.batches = batches;
        this.jdbc = jdbc;
        this.database = database;
    }

    /** The chain's head, locked until the transaction ends (so replicas append one at a time). */
    Head lockHead(String chain) {
        Optional<Head> head = jdbc.sql("SELECT " + HEAD_COLUMNS + " FROM audit_chains WHERE chain = ?" + database.forUpdate())
                .param(chain).query(HEADS).optional();
        if (head.isPresent()) {
            return head.get();
        }
        jdbc.sql("INSERT INTO audit_chains (chain, last_seq, last_hash, last_digest, last_at, checkpoint_seq)"
                        + " VALUES (?, 0, ?, ?, 0, 0)")
                .params(chain, Chain.GENESIS_HASH, Chain.GENESIS_HASH).update();
        return new Head(chain, 0, Chain.GENESIS, 0, 0);
    }

    /**
     * The chain's head, locked, if no other transaction holds it and the chain exists (PostgreSQL;
     * a new chain's head row is the appender's to make).
     */
    Optional<Head> tryLockHead(String chain) {
        return jdbc.sql("SELECT " + HEAD_COLUMNS + " FROM audit_chains WHERE chain = ?" + database.forUpdateSkipLocked())
                .param(chain).query(HEADS).optional();
    }

    void moveHead(Head head) {
        jdbc.sql("UPDATE audit_chains SET last_seq = ?, last_hash = ?, last_digest = ?, last_at = ?, checkpoint_seq = ?"
                        + " WHERE chain = ?")
                .params(head.seq(), head.link().hash(), head.link().digest(), head.at(), head.checkpointSeq(), head.chain())
                .update();
    }

    /**
     * The name of every chain the ledger knows of, by name (the cluster chain {@code ""} first):
     * those with a head, and those with a checkpoint or an anchor, so a chain whose events were
     * deleted together with its head row is still verified (and its checkpoints name the cut).
     */
    List<String> chainNames() {
        return jdbc.sql("SELECT chain FROM audit_chains UNION SELECT chain FROM audit_checkpoints"
                + " UNION SELECT chain FROM audit_anchors ORDER BY chain").query(String.class).list();
    }

    /** Every chain's head, by name (not locked). */
    List<Head> heads() {
        return jdbc.sql("SELECT " + HEAD_COLUMNS + " FROM audit_chains ORDER BY chain").query(HEADS).list();
    }

    Optional<Head> head(String chain) {
        return jdbc.sql("SELECT " + HEAD_COLUMNS + " FROM audit_chains WHERE chain = ?").param(chain).query(HEADS).optional();
    }

    private static final String INSERT = "INSERT INTO audit_events (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static Object[] values(AuditRecord r) {
        return new Object[] {r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(),
                r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(),
                r.details(), r.prevHash(), r.hash(), r.prevDigest(), r.digest()};
    }

    void insert(AuditRecord r) {
        jdbc.sql(INSERT).params(values(r)).update();
    }

    /**
     * Inserts a record unless its place in the chain is taken (a row forged at the head's next
     * sequence, say): false then, and the transaction goes on unharmed.
     */
    boolean insertIfFree(AuditRecord r) {
        return jdbc.sql(INSERT + " ON CONFLICT (chain, seq) DO NOTHING").params(values(r)).update() == 1;
    }

    /** Inserts sealed records as one JDBC batch: a group commit's events in one round trip, not one each. */
    void insertAll(List<AuditRecord> records) {
        if (records.size() == 1) {
            insert(records.get(0));
        } else if (!records.isEmpty()) {
            batches.batchUpdate(INSERT, records.stream().map(AuditStore::values).toList());
        }
    }

    /** Records of a chain from {@code afterSeq}, in seq order, at most {@code limit}. */
    List<AuditRecord> records(String chain, long afterSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_events WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(chain, afterSeq, limit).query(ROWS).list();
    }

    /**
     * Records matching {@code filter} past the per-chain positions in {@code after} (chains not
     * named there: from the start), in (time, chain, seq) order, at most {@code limit}. Event
     * times never go backwards within a chain, so this order is each chain's seq order and a
     * position per chain is a gap-free cursor however replicas interleave their commits.
     */
    List<AuditRecord> page(Filter filter, Map<String, Long> after, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE ");
        sql.append(where(filter, params)).append(" AND seq > ").append(position(after, params));
        sql.append(" ORDER BY at, chain, seq LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(ROWS).list();
    }

    /**
     * The last {@code limit} records matching {@code filter} at or before the positions in
     * {@code upTo} (chains not named there are left out), in (time, chain, seq) order.
     */
    List<AuditRecord> last(Filter filter, Map<String, Long> upTo, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE ");
        sql.append(where(filter, params)).append(" AND seq <= ").append(position(upTo, params));
        sql.append(" ORDER BY at DESC, chain DESC, seq DESC LIMIT ?");
        params.add(limit);
        List<AuditRecord> out = new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(ROWS).list());
        java.util.Collections.reverse(out);
        return out;
    }

    private static String where(Filter f, List<Object> params) {
        StringBuilder w = new StringBuilder("1 = 1");
        condition(w, params, "chain = ?", f.chain());
        condition(w, params, "actor_id = ?", f.actor());
        condition(w, params, "action = ?", f.action());
        condition(w, params, "target_kind = ?", f.targetKind());
        condition(w, params, "target_name = ?", f.targetName());
        condition(w, params, "outcome = ?", f.outcome());
        condition(w, params, "at >= ?", f.since());
        condition(w, params, "at < ?", f.until());
        return w.toString();
    }

    private static void condition(StringBuilder w, List<Object> params, String clause, Object value) {
        if (value != null) {
            w.append(" AND ").append(clause);
            params.add(value);
        }
    }

    /** {@code CASE chain WHEN ? THEN ? ... ELSE 0 END}: the position of each row's chain. */
    private static String position(Map<String, Long> positions, List<Object> params) {
        if (positions.isEmpty()) {
            return "0";
        }
        StringBuilder c = new StringBuilder("(CASE chain");
        positions.forEach((chain, seq) -> {
            c.append(" WHEN ? THEN ?");
            params.add(chain);
            params.add(seq);
        });
        return c.append(" ELSE 0 END)").toString();
    }

    void insertCheckpoint(Checkpoint cp) {
        jdbc.sql("INSERT INTO audit_checkpoints (" + CHECKPOINT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")
                .params(cp.chain(), cp.seq(), cp.hash(), cp.digest(), cp.time(), cp.signature()).update();
    }

    /** Checkpoints after (chain, seq) in that order; {@code chain} null: of every chain. */
    List<Checkpoint> checkpoints(String chain, String afterChain, long afterSeq, int limit) {
        String where = chain == null ? "" : "chain = ? AND ";
        List<Object> params = new ArrayList<>();
        if (chain != null) {
            params.add(chain);
        }
        params.add(afterChain);
        params.add(afterChain);
        params.add(afterSeq);
        params.add(limit);
        return jdbc.sql("SELECT " + CHECKPOINT_COLUMNS + " FROM audit_checkpoints WHERE " + where
                        + "(chain > ? OR (chain = ? AND seq > ?)) ORDER BY chain, seq LIMIT ?")
                .params(params).query(CHECKPOINTS).list();
    }

    Optional<Checkpoint> lastCheckpoint(String chain) {
        return jdbc.sql("SELECT " + CHECKPOINT_COLUMNS + " FROM audit_checkpoints WHERE chain = ? ORDER BY seq DESC LIMIT 1")
                .param(chain).query(CHECKPOINTS).optional();
    }

    /** The newest checkpoint signed at or before {@code at}. */
    Optional<Checkpoint> checkpointBefore(String chain, long at) {
        return jdbc.sql("SELECT " + CHECKPOINT_COLUMNS + " FROM audit_checkpoints WHERE chain = ? AND at <= ?"
                        + " ORDER BY seq DESC LIMIT 1")
                .params(chain, at).query(CHECKPOINTS).optional();
    }

    /** The newest checkpoint whose record is older than {@code at}: where retention may cut. */
    Optional<Checkpoint> checkpointOfRecordBefore(String chain, long at) {
        return jdbc.sql("SELECT c.chain, c.seq, c.hash, c.digest, c.at, c.signature FROM audit_checkpoints c"
                        + " JOIN audit_events e ON e.chain = c.chain AND e.seq = c.seq"
                        + " WHERE c.chain = ? AND e.at < ? ORDER BY c.seq DESC LIMIT 1")
                .params(chain, at).query(CHECKPOINTS).optional();
    }

    Optional<Checkpoint> anchor(String chain) {
        return jdbc.sql("SELECT " + CHECKPOINT_COLUMNS + " FROM audit_anchors WHERE chain = ? ORDER BY seq DESC LIMIT 1")
                .param(chain).query(CHECKPOINTS).optional();
    }

    /**
     * Makes {@code anchor} the chain's new start and deletes what lies before it (the events up to
     * its seq and older checkpoints). Returns how many events went.
     */
    int prune(Checkpoint anchor) {
        jdbc.sql("INSERT INTO audit_anchors (" + CHECKPOINT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")
                .params(anchor.chain(), anchor.seq(), anchor.hash(), anchor.digest(), anchor.time(), anchor.signature())
                .update();
        int events = jdbc.sql("DELETE FROM audit_events WHERE chain = ? AND seq <= ?")
                .params(anchor.chain(), anchor.seq()).update();
        jdbc.sql("DELETE FROM audit_checkpoints WHERE chain = ? AND seq < ?").params(anchor.chain(), anchor.seq()).update();
        return events;
    }

    /** A staged event: its staging id, the time it was staged, and what happened. */
    record PendingRow(long id, long at, AuditLog.Event event) {
    }

    /** Failures after which a staged event is set aside (tried once an hour, and reported). */
    static final int SET_ASIDE_AFTER = 3;

    private static final String EVENT_COLUMNS = "chain, actor_kind, actor_id, actor_via, action, target_kind,"
            + " target_namespace, target_name, outcome, request_id, client_address, details";
    private static final RowMapper<PendingRow> PENDING = (rs, i) -> new PendingRow(rs.getLong(1), rs.getLong(2),
            new AuditLog.Event(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                    rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                    rs.getString(13), rs.getString(14)));
    /** Staged rows this server may seal at {@code now}: its own, unowned, or orphaned; and not waiting for a retry. */
    private static final String SEALABLE = "(owner = ? OR owner IS NULL OR at < ?) AND (retry_at IS NULL OR retry_at <= ?)";

    /** Stages an event in the caller's transaction; returns its id. */
    long insertPending(AuditLog.Event e, long at, String owner) {
        // A generated key, not RETURNING: sqlite-jdbc leaves a RETURNING statement un-reset after
        // its row is read, and under concurrent writers that shows up as SQLITE_BUSY.
        org.springframework.jdbc.support.GeneratedKeyHolder key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("INSERT INTO audit_pending (at, owner, " + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(at, owner, e.chain(), e.actorKind(), e.actorId(), e.actorVia(), e.action(), e.targetKind(),
                        e.targetNamespace(), e.targetName(), e.outcome(), e.requestId(), e.clientAddress(), e.details())
                .update(key, "id");
        return key.getKey().longValue();
    }

    /**
     * Takes the staged events to seal, oldest first: those {@code owner} staged, and those anyone
     * staged before {@code orphanedBefore} (their server stopped, or is too slow to seal them);
     * not those that failed to seal and wait until their {@code retry_at}. Their rows are deleted
     * in the caller's transaction, which seals them (a rollback puts them back). On PostgreSQL one
     * statement locks, deletes and returns them, skipping rows another appender holds.
     */
    List<PendingRow> takePending(String owner, long orphanedBefore, long now, int limit) {
        if (database == Database.POSTGRESQL) {
            return jdbc.sql("DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending WHERE " + SEALABLE
                            + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id, at, " + EVENT_COLUMNS)
                    .params(owner, orphanedBefore, now, limit).query(PENDING).list().stream()
                    .sorted(Comparator.comparingLong(PendingRow::id)).toList();
        }
        // SQLite (one writer: nothing to skip) leaves a RETURNING statement un-reset (see insertPending).
        List<PendingRow> rows = jdbc.sql("SELECT id, at, " + EVENT_COLUMNS + " FROM audit_pending WHERE " + SEALABLE
                        + " ORDER BY id LIMIT ?")
                .params(owner, orphanedBefore, now, limit).query(PENDING).list();
        deletePending(rows.stream().map(PendingRow::id).toList());
        return rows;
    }

    /**
     * Locks the staged rows among {@code ids} that are still there and not held by another
     * appender (a batch being sealed again in parts); returns their ids.
     */
    Set<Long> lockPending(List<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        return new HashSet<>(jdbc.sql("SELECT id FROM audit_pending WHERE id IN (" + in + ")"
                        + database.forUpdateSkipLocked())
                .params(ids).query(Long.class).list());
    }

    /** The staged events of a chain still waiting to be sealed (not those set aside), by staging id. */
    List<Long> pendingIds(String chain) {
        return jdbc.sql("SELECT id FROM audit_pending WHERE chain = ? AND failed_attempts < ?")
                .params(chain, SET_ASIDE_AFTER).query(Long.class).list();
    }

    /** Whether a staged event still waits (it is deleted in the transaction that seals it). */
    boolean pending(long id) {
        return !jdbc.sql("SELECT 1 FROM audit_pending WHERE id = ?").param(id).query(Integer.class).list().isEmpty();
    }

    /** Deletes staged rows (they are being sealed in this transaction), as one JDBC batch. */
    void deletePending(List<Long> ids) {
        if (!ids.isEmpty()) {
            batches.batchUpdate("DELETE FROM audit_pending WHERE id = ?", ids.stream().map(id -> new Object[] {id}).toList());
        }
    }

    /** Whether anything staged is this server's to seal now (see {@link #takePending}). */
    boolean anyPending(String owner, long orphanedBefore, long now) {
        return !jdbc.sql("SELECT 1 FROM audit_pending WHERE " + SEALABLE + " LIMIT 1")
                .params(owner, orphanedBefore, now).query(Integer.class).list().isEmpty();
    }

    /** How often a staged event has failed to seal, its row locked; empty when it is gone (sealed meanwhile). */
    OptionalInt lockFailedAttempts(long id) {
        List<Integer> attempts = jdbc.sql("SELECT failed_attempts FROM audit_pending WHERE id = ?" + database.forUpdate())
                .param(id).query(Integer.class).list();
        return attempts.isEmpty() ? OptionalInt.empty() : OptionalInt.of(attempts.get(0));
    }

    /**
     * Notes that a staged event failed to seal on its own: its failed attempts so far, the
     * failure's class (never its message, which may quote the event), and when to try again.
     */
    void markFailed(long id, int attempts, String failure, long at, long retryAt) {
        jdbc.sql("UPDATE audit_pending SET failed_attempts = ?, last_failure = ?, last_failure_at = ?, retry_at = ? WHERE id = ?")
                .params(attempts, failure.substring(0, Math.min(failure.length(), 200)), at, retryAt, id).update();
    }

    /** How many staged events are set aside: they failed to seal {@link #SET_ASIDE_AFTER} times or more. */
    long setAside() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_pending WHERE failed_attempts >= ?").param(SET_ASIDE_AFTER)
                .query(Long.class).single();
    }

    /** Whether the ledger holds anything the keys vouch for: events, chain heads or anchors (any one is enough). */
    boolean anyEvents() {
        return Stream.of("audit_events", "audit_chains", "audit_anchors").anyMatch(table ->
                !jdbc.sql("SELECT 1 FROM " + table + " LIMIT 1").query(Integer.class).list().isEmpty());
    }

    /** Takes the cluster-wide lock of a background job for this transaction; false if another replica holds it. */
    boolean tryJobLock(long id) {
        return database.tryTransactionLock(jdbc, id);
    }
}
