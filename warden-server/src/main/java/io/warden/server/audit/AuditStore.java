package io.warden.server.audit;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.Chain;
import io.warden.server.storage.Database;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the ledger. There is deliberately no update or delete of events here. */
@Repository
class AuditStore {

    record Head(long seq, String hash) {
        static final Head GENESIS = new Head(0, Chain.GENESIS_HASH);
    }

    private static final String COLUMNS = "chain, seq, at, actor_kind, actor_id, actor_via, action, target_kind,"
            + " target_namespace, target_name, outcome, request_id, client_address, details, prev_hash, hash";
    private static final RowMapper<AuditRecord> ROWS = (rs, i) -> new AuditRecord(rs.getString(1), rs.getLong(2),
            rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
            rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
            rs.getString(15), rs.getString(16));

    private final JdbcClient jdbc;
    private final Database database;

    AuditStore(JdbcClient jdbc, Database database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** The chain's head, locked until the transaction ends (so replicas append one at a time). */
    Head lockHead(String chain) {
        Optional<Head> head = jdbc.sql("SELECT last_seq, last_hash FROM audit_chains WHERE chain = ?" + database.forUpdate())
                .param(chain).query((rs, i) -> new Head(rs.getLong(1), rs.getString(2))).optional();
        if (head.isPresent()) {
            return head.get();
        }
        jdbc.sql("INSERT INTO audit_chains (chain, last_seq, last_hash) VALUES (?, 0, ?)")
                .params(chain, Chain.GENESIS_HASH).update();
        return Head.GENESIS;
    }

    void moveHead(String chain, Head head) {
        jdbc.sql("UPDATE audit_chains SET last_seq = ?, last_hash = ? WHERE chain = ?")
                .params(head.seq(), head.hash(), chain).update();
    }

    void insert(AuditRecord r) {
        jdbc.sql("INSERT INTO audit_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(),
                        r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(),
                        r.clientAddress(), r.details(), r.prevHash(), r.hash())
                .update();
    }

    /** Records of a chain from {@code afterSeq}, in seq order, at most {@code limit}. */
    List<AuditRecord> records(String chain, long afterSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_events WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(chain, afterSeq, limit).query(ROWS).list();
    }

    record PendingRow(long id, AuditLog.Event event) {
    }

    private static final String EVENT_COLUMNS = "chain, actor_kind, actor_id, actor_via, action, target_kind,"
            + " target_namespace, target_name, outcome, request_id, client_address, details";

    /** Stages an event in the caller's transaction; returns its id. */
    long insertPending(AuditLog.Event e, long at) {
        return jdbc.sql("INSERT INTO audit_pending (at, " + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " RETURNING id")
                .params(at, e.chain(), e.actorKind(), e.actorId(), e.actorVia(), e.action(), e.targetKind(),
                        e.targetNamespace(), e.targetName(), e.outcome(), e.requestId(), e.clientAddress(), e.details())
                .query(Long.class).single();
    }

    /** The oldest staged events, locked for this transaction. */
    List<PendingRow> lockPending(int limit) {
        return jdbc.sql("SELECT id, " + EVENT_COLUMNS + " FROM audit_pending ORDER BY id LIMIT ?" + database.forUpdateSkipLocked())
                .param(limit)
                .query((rs, i) -> new PendingRow(rs.getLong(1), new AuditLog.Event(rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13))))
                .list();
    }

    void deletePending(long id) {
        jdbc.sql("DELETE FROM audit_pending WHERE id = ?").param(id).update();
    }

    boolean anyPending() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_pending").query(Long.class).single() > 0;
    }

    boolean anyEvents() {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events").query(Long.class).single() > 0;
    }
}
