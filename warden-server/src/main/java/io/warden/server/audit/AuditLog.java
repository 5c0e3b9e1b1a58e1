package io.warden.server.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.Chain;
import io.warden.core.audit.Checkpoint;
import io.warden.core.audit.CheckpointSigner;
import io.warden.server.WardenProperties;
import io.warden.server.storage.DataDirectory;
import io.warden.server.storage.Database;
import io.warden.server.web.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit ledger's facade.
 *
 * <ul>
 *   <li>{@link #record} writes an event inside the caller's transaction: the event and the change
 *       it describes commit together or not at all (a failure to write it is a 503 and rolls the
 *       change back).</li>
 *   <li>{@link #append} records an event that has no transaction of its own (a refused login,
 *       say) and returns once it is sealed in its chain.</li>
 * </ul>
 * One appender seals everything waiting (staged rows and appended events) chain by chain in a
 * single transaction: group commit, so concurrent producers share one commit. A transaction
 * that {@link #record}s events seals them itself just before it commits when their chain's head
 * is free (on SQLite, where transactions run one at a time, always), and stages them for the
 * appender when it is not (docs/decisions/0005, 0008): a lone change pays for no staging row, no
 * second transaction and no wait for it. The appender's thread
 * signs a checkpoint of a chain every {@code checkpointEvery} events (in the batch's
 * transaction) and, every {@code checkpointInterval}, of every chain that moved since its last.
 * With several PostgreSQL replicas each appender seals the events its own server staged (the
 * requests it is answering wait for them) and another's only once they have waited
 * {@link #ORPHANED_AFTER}; an answer whose event another replica sealed sees its staging row gone.
 * An event keeps the time it happened (staged with its change, or appended), not the time it was
 * sealed. An event that cannot be sealed (its chain has a forged row where it belongs, say) holds
 * up no other: a batch that fails is sealed again in parts, and a staged event that fails alone
 * stays staged, is tried again, and after a few failures is set aside and reported.
 */
@Service
public class AuditLog implements SmartLifecycle {

    /** What happened; the ledger adds the chain position, time and hashes. */
    public record Event(String chain, String actorKind, String actorId, String actorVia, String action,
            String targetKind, String targetNamespace, String targetName, String outcome, String requestId,
            String clientAddress, String details) {
    }

    /**
     * An event to seal: appended ({@code stagingId} null) or staged (its row's id), with the time
     * it happened (when it was appended, or staged with the change it describes).
     */
    private record Pending(Event event, long at, Long stagingId, CompletableFuture<AuditRecord> done) {
        boolean staged() {
            return stagingId != null;
        }
    }

    /**
     * The future of a recorded event; once staged it knows its staging row (to look for it in the
     * database), until then its id is -1.
     */
    private static final class Staged extends CompletableFuture<AuditRecord> {
        private volatile long id;

        Staged(long id) {
            this.id = id;
        }

        Staged() {
            this(-1);
        }
    }

    /** An event a transaction recorded, with the time it did, to seal or stage before it commits. */
    private record Recorded(Event event, long at, Staged done) {
    }

    /** Queued after a staging transaction commits, to wake the appender. */
    private static final Pending NUDGE = new Pending(null, 0, null, null);

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 1000;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a waiting answer trusts its own appender before looking in the database. */
    private static final Duration LOOK_EVERY = Duration.ofMillis(200);
    /** After this, another server's staged events are sealed by whoever is free (their server may be gone). */
    private static final Duration ORPHANED_AFTER = Duration.ofSeconds(5);
    /** A staged event that failed to seal on its own is tried again after this... */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** ...and once it is set aside ({@link AuditStore#SET_ASIDE_AFTER} failures), this often. */
    private static final Duration SET_ASIDE_RETRY = Duration.ofHours(1);
    /** How long the appender waits for a transaction sealing in place to end before retrying later. */
    private static final Duration GATE_WAIT = Duration.ofSeconds(30);

    private final AuditStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Chain chain;
    private final CheckpointSigner signer;
    private final byte[] detailsKey;
    private final int checkpointEvery;
    private final long checkpointIntervalMillis;
    private final AuditExportSink sink;
    private long lastIntervalCheckpoint;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(100_000);
    /** Futures of staged events, by their staging id, completed once sealed. */
    private final Map<Long, Staged> staged = new ConcurrentHashMap<>();
    /** This server run's mark on what it stages, so its appender seals its own events first. */
    private final String owner = UUID.randomUUID().toString();
    private final Counter unsealedAnswers;
    private volatile Thread appender;
    /**
     * SQLite: one writer at a time, so a chain's head is never held by another transaction and a
     * change always seals its events itself (making a new chain's head too).
     */
    private final boolean oneWriter;
    /**
     * One sealer per chain at a time on this server, from the chain head's lock until its records
     * are in the export sink, so the sink gets each chain in sequence order: a transaction that
     * seals in place ({@link #beforeCommit}) holds its chains' gates until it ends, and the
     * appender waits for them.
     */
    private final Map<String, Semaphore> gates = new ConcurrentHashMap<>();

    /** Key of the current transaction's {@link AtCommit}. */
    private static final Object AT_COMMIT = new Object();

    /** A transaction's events by chain, and what became of them just before it committed. */
    private static final class AtCommit {
        final Map<String, List<Recorded>> byChain = new LinkedHashMap<>();
        final List<Semaphore> gates = new ArrayList<>();
        final List<AuditRecord> sealed = new ArrayList<>();
        final List<Staged> sealedDone = new ArrayList<>();
        final List<Staged> stagedDone = new ArrayList<>();
    }

    AuditLog(AuditStore store, TransactionTemplate tx, Clock clock, DataDirectory dataDir, WardenProperties props,
            AuditExportSink sink, Database database, MeterRegistry metrics) {
        this.store = store;
        this.unsealedAnswers = Counter.builder("warden.audit.unsealed.answers")
                .description("Answers sent before their staged audit events were sealed (the events were durable)")
                .register(metrics);
        Gauge.builder("warden.audit.unsealable.events", store, AuditLog::setAside)
                .description("Staged audit events set aside because they failed to seal; they stay in audit_pending")
                .register(metrics);
        this.oneWriter = database == Database.SQLITE;
        this.tx = tx;
        this.clock = clock;
        this.sink = sink;
        WardenProperties.Audit audit = props.audit();
        if (audit.checkpointEvery() < 1) {
            throw new IllegalStateException("warden.audit.checkpoint-every must be at least 1");
        }
        if (audit.checkpointInterval().isNegative() || audit.checkpointInterval().isZero()) {
            throw new IllegalStateException("warden.audit.checkpoint-interval must be positive");
        }
        this.checkpointEvery = audit.checkpointEvery();
        this.checkpointIntervalMillis = audit.checkpointInterval().toMillis();
        boolean eventsExist = store.anyEvents();
        byte[] key = AuditKeys.chainKey(dataDir, audit.chainKeyFile(), eventsExist);
        this.signer = AuditKeys.checkpointKey(dataDir, audit.checkpointKeyFile(), eventsExist);
        this.chain = new Chain(key);
        this.detailsKey = hmac(key, "warden-audit-details-v1".getBytes(StandardCharsets.UTF_8));
        java.util.Arrays.fill(key, (byte) 0);
    }

    private static double setAside(AuditStore store) {
        try {
            return store.setAside();
        } catch (RuntimeException e) {
            return Double.NaN; // the database cannot say; its own failures are logged where they happen
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * How a secret-bearing value is recorded: its length and a keyed hash (HMAC under a key derived
     * from the audit key), so equal values can be matched by someone holding the key, while a
     * dictionary cannot reverse them.
     */
    public Map<String, Object> fingerprint(String value) {
        byte[] h = hmac(detailsKey, value.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("length", value.codePointCount(0, value.length()));
        out.put("hmac", java.util.HexFormat.of().formatHex(h));
        return out;
    }

    /** Records an event and waits until it is committed. */
    public AuditRecord append(Event event) {
        CompletableFuture<AuditRecord> done = new CompletableFuture<>();
        if (appender == null || !queue.offer(new Pending(event, clock.millis(), null, done))) {
            throw unavailable();
        }
        try {
            return done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable();
        }
    }

    /**
     * Records an event in the transaction the caller is in: it commits with the change it
     * describes or not at all. Returns a future completed once the event is sealed in its chain
     * (after that transaction commits); see {@link #settle}.
     *
     * <p>The transaction's events are written just before it commits ({@link #beforeCommit}):
     * sealed there if their chain's head is free (always on SQLite), staged for the appender
     * otherwise.
     *
     * @throws ApiProblem 503 (from the commit) when the events cannot be written: the caller's
     *     transaction then rolls back
     */
    public CompletableFuture<AuditRecord> record(Event event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("record() belongs inside the transaction of the change it describes");
        }
        Staged done = new Staged();
        atCommit().byChain.computeIfAbsent(event.chain(), c -> new ArrayList<>()).add(new Recorded(event, clock.millis(), done));
        return done;
    }

    /**
     * Just before a transaction that recorded events commits: for each chain, seals
     * its events here if nobody holds the chain's head, without waiting (a held head means others
     * are sealing, and the appender's group commit serves them better), and stages them
     * otherwise. Sealing here saves the staging rows, the appender's transaction and the wait for
     * it: what a lone writer pays; and the head is held only from here to the commit. An event
     * whose place in the chain is taken (a forged row) is staged with those after it, for the
     * appender to isolate.
     */
    private void beforeCommit(AtCommit here) {
        try {
            for (Map.Entry<String, List<Recorded>> chainEvents : here.byChain.entrySet()) {
                List<Recorded> events = chainEvents.getValue();
                int sealed = sealIfFree(chainEvents.getKey(), events, here);
                for (Recorded r : events.subList(sealed, events.size())) {
                    long id = store.insertPending(r.event(), r.at(), owner);
                    r.done().id = id;
                    staged.put(id, r.done());
                    here.stagedDone.add(r.done());
                }
            }
        } catch (DataAccessException e) {
            log.error("audit events could not be written", e);
            throw unavailable();
        }
    }

    /** Seals the first events of {@code events} that fit at the chain's head, if it is free; returns how many. */
    private int sealIfFree(String chainName, List<Recorded> events, AtCommit here) {
        AuditStore.Head head = lockIfFree(chainName, here);
        if (head == null) {
            return 0;
        }
        int sealed = 0;
        for (Recorded r : events) {
            AuditRecord record = chain.seal(draft(r.event(), r.at(), head), head.link());
            if (!store.insertIfFree(record)) {
                break;
            }
            head = checkpointIfDue(head.advancedTo(record));
            here.sealed.add(record);
            here.sealedDone.add(r.done());
            sealed++;
        }
        if (sealed > 0) {
            store.moveHead(head);
        }
        return sealed;
    }

    /** The chain's head, locked, with its gate held until the transaction ends; null if either is taken. */
    private AuditStore.Head lockIfFree(String chainName, AtCommit here) {
        Semaphore gate = gate(chainName);
        if (!enterNow(gate)) {
            return null;
        }
        here.gates.add(gate); // released when the transaction ends, whatever happens next
        AuditStore.Head head = oneWriter ? store.lockHead(chainName) : store.tryLockHead(chainName).orElse(null);
        if (head == null) {
            here.gates.remove(gate);
            gate.release();
        }
        return head;
    }

    /** Takes the gate if it is open and nobody waits for it (the appender is never overtaken). */
    private static boolean enterNow(Semaphore gate) {
        try {
            return gate.tryAcquire(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Semaphore gate(String chainName) {
        return gates.computeIfAbsent(chainName, c -> new Semaphore(1, true));
    }

    /**
     * The current transaction's events: written before it commits; what was sealed goes to the
     * sink after, before its gates open; staged ones wake the appender.
     */
    private AtCommit atCommit() {
        AtCommit bound = (AtCommit) TransactionSynchronizationManager.getResource(AT_COMMIT);
        if (bound != null) {
            return bound;
        }
        AtCommit here = new AtCommit();
        TransactionSynchronizationManager.bindResource(AT_COMMIT, here);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                AuditLog.this.beforeCommit(here);
            }

            @Override
            public void afterCommit() {
                sink.write(here.sealed);
                for (int i = 0; i < here.sealed.size(); i++) {
                    here.sealedDone.get(i).complete(here.sealed.get(i));
                }
                if (!here.stagedDone.isEmpty()) {
                    queue.offer(NUDGE);
                }
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(AT_COMMIT);
                here.gates.forEach(Semaphore::release);
                if (status != STATUS_COMMITTED) {
                    for (List<Recorded> events : here.byChain.values()) {
                        for (Recorded r : events) {
                            staged.remove(r.done().id);
                            r.done().cancel(false);
                        }
                    }
                }
            }
        });
        return here;
    }

    /**
     * The appender's lock on a chain: its gate (waiting for a transaction sealing in place to
     * end), then its head; the gate opens when the appender's transaction ends.
     */
    private AuditStore.Head lockGated(String chainName) {
        Semaphore gate = gate(chainName);
        try {
            if (!gate.tryAcquire(GATE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CannotAcquireLockException("audit chain " + chainName + " stayed busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotAcquireLockException("interrupted waiting for audit chain " + chainName);
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                gate.release();
            }
        });
        return store.lockHead(chainName);
    }

    /**
     * Copies the appender's records to the export sink once their transaction commits, before the
     * callers hear of it and before its chains' gates open, so each chain's lines keep their order.
     */
    private void writeToSinkOnCommit(List<AuditRecord> records) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                sink.write(records);
            }
        });
    }

    private long orphanedBefore() {
        return clock.millis() - ORPHANED_AFTER.toMillis();
    }

    /**
     * Seals one event at the head of its chain (locked behind its gate, in {@code heads}, on first use) and signs a
     * checkpoint when one is due; the caller inserts the record and moves the heads.
     */
    private AuditRecord seal(Event e, long at, Map<String, AuditStore.Head> heads) {
        AuditStore.Head head = heads.computeIfAbsent(e.chain(), this::lockGated);
        AuditRecord record = chain.seal(draft(e, at, head), head.link());
        heads.put(e.chain(), checkpointIfDue(head.advancedTo(record)));
        return record;
    }

    /** The event as the record after {@code head}, unsealed. */
    private static AuditRecord draft(Event e, long at, AuditStore.Head head) {
        // Times never go backwards within a chain (a cursor per chain relies on it),
        // even if the clock steps back or another replica's clock runs ahead.
        return new AuditRecord(e.chain(), head.seq() + 1, Math.max(at, head.at()),
                e.actorKind(), e.actorId(), e.actorVia(), e.action(), e.targetKind(), e.targetNamespace(),
                e.targetName(), e.outcome(), e.requestId(), e.clientAddress(), e.details());
    }

    /** Signs a checkpoint of {@code head} if one is due (every {@code checkpointEvery} events). */
    private AuditStore.Head checkpointIfDue(AuditStore.Head head) {
        return head.seq() - head.checkpointSeq() >= checkpointEvery ? checkpoint(head) : head;
    }

    /**
     * Waits (briefly) for staged events to be sealed, so a response follows its audit record. The
     * events are durable already; if sealing is slow they are sealed later, so this never fails.
     * An event another replica's appender sealed is seen gone from the staging table.
     *
     * @return whether every event was sealed before the answer
     */
    public boolean settle(List<CompletableFuture<AuditRecord>> events) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean all = true;
        for (CompletableFuture<AuditRecord> f : events) {
            all &= awaitSealed(f, deadline);
        }
        if (!all) {
            unsealedAnswers.increment();
            log.warn("a staged audit event is not sealed yet; the appender will seal it");
        }
        return all;
    }

    /**
     * Waits until the events staged for {@code chain} when this is called are sealed, whichever
     * server's appender seals them (at most {@link #WAIT}).
     *
     * @return whether the chain had staged events, now sealed; false when it had none (SQLite
     *     never stages) or they are still waiting
     */
    boolean awaitStaged(String chain) {
        List<Long> ids = store.pendingIds(chain);
        if (ids.isEmpty()) {
            return false;
        }
        List<Staged> waiting = ids.stream().map(id -> staged.computeIfAbsent(id, Staged::new)).toList();
        queue.offer(NUDGE);
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean all = true;
        for (Staged s : waiting) {
            all &= awaitSealed(s, deadline);
        }
        return all;
    }

    private boolean awaitSealed(CompletableFuture<AuditRecord> f, long deadline) {
        while (true) {
            try {
                f.get(Math.min(LOOK_EVERY.toNanos(), Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                if (f instanceof Staged s && s.id >= 0 && !store.pending(s.id)) {
                    staged.remove(s.id); // sealed by another server's appender
                    return true;
                }
                if (System.nanoTime() >= deadline) {
                    if (f instanceof Staged s) {
                        staged.remove(s.id); // whoever seals it later completes nobody
                    }
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                return false;
            }
        }
    }

    /** Reads a chain's records after a sequence number, in order (for verification and queries). */
    public List<AuditRecord> records(String chainName, long afterSeq, int limit) {
        return store.records(chainName, afterSeq, limit);
    }

    /** The chain key, for server-side verification. */
    public Chain chainKey() {
        return chain;
    }

    /** The checkpoint key, verify-only: what {@code GET /v1/audit/public-key} publishes. */
    public CheckpointSigner checkpointPublicKey() {
        return CheckpointSigner.fromPublicKeyPem(signer.publicKeyPem());
    }

    /**
     * Signs a checkpoint of the chain's head now, unless its last checkpoint is already at the
     * head, and returns the chain's last checkpoint (empty for a chain with no events). An export
     * asks for this first, so everything it holds is covered by a signature.
     */
    public java.util.Optional<Checkpoint> checkpointNow(String chainName) {
        return tx.execute(s -> {
            if (store.head(chainName).isEmpty()) {
                return java.util.Optional.<Checkpoint>empty();
            }
            AuditStore.Head head = store.lockHead(chainName);
            if (head.seq() > head.checkpointSeq()) {
                store.moveHead(checkpoint(head));
            }
            return store.lastCheckpoint(chainName);
        });
    }

    /** Signs and stores a checkpoint of {@code head}; returns the head marked as checkpointed. */
    private AuditStore.Head checkpoint(AuditStore.Head head) {
        store.insertCheckpoint(signer.sign(head.chain(), head.seq(), head.link(), Math.max(clock.millis(), head.at())));
        return head.checkpointed();
    }

    /** Every chain that moved since its last checkpoint gets one (the T-seconds rule). */
    void checkpointMovedChains() {
        for (AuditStore.Head h : store.heads()) {
            if (h.seq() > h.checkpointSeq()) {
                tx.executeWithoutResult(s -> {
                    AuditStore.Head head = store.lockHead(h.chain());
                    if (head.seq() > head.checkpointSeq()) {
                        store.moveHead(checkpoint(head));
                    }
                });
            }
        }
    }

    private static ApiProblem unavailable() {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "audit-unavailable", "Service unavailable",
                "the audit ledger could not record this request, so it was not carried out; try again");
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        lastIntervalCheckpoint = clock.millis();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                checkpointOnSchedule();
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null && !store.anyPending(owner, orphanedBefore(), clock.millis())) {
                    continue; // idle; staged rows left by a crash or a stalled replica are found here
                }
                if (first != null) {
                    batch.add(first);
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                log.warn("audit appender could not look for staged events", e);
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            batch.removeIf(p -> p == NUDGE);
            commit(batch);
            batch.clear();
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            if (p != NUDGE) {
                p.done().completeExceptionally(new IllegalStateException("stopping"));
            }
        }
    }

    private void checkpointOnSchedule() {
        long now = clock.millis();
        if (now - lastIntervalCheckpoint < checkpointIntervalMillis) {
            return;
        }
        lastIntervalCheckpoint = now;
        try {
            checkpointMovedChains();
        } catch (RuntimeException e) {
            log.error("audit checkpoints could not be signed; retrying at the next interval", e);
        }
    }

    /**
     * Seals the waiting events (staged rows and appended events) in one transaction. When that
     * fails, and not because the database is failing, one event may be to blame: the batch is
     * sealed again in parts ({@link #sealApart}) so that every other event is sealed.
     */
    private void commit(List<Pending> direct) {
        List<Pending> batch = new ArrayList<>(direct);
        try {
            List<AuditRecord> sealed = tx.execute(s -> {
                batch.addAll(0, store.takePending(owner, orphanedBefore(), clock.millis(), MAX_BATCH).stream()
                        .map(this::fromRow).toList());
                return sealLocked(batch);
            });
            completeAll(batch, sealed);
        } catch (RuntimeException e) {
            if (databaseFailing(e)) {
                log.error("audit batch could not be committed; staged events stay staged and are retried", e);
            } else if (batch.size() > 1) {
                log.atWarn().addKeyValue("audit.failure", e.getClass().getName())
                        .log("audit batch of {} events could not be committed ({}); sealing it in parts",
                                batch.size(), e.getClass().getName());
            }
            sealApart(batch, e);
        }
    }

    private Pending fromRow(AuditStore.PendingRow row) {
        CompletableFuture<AuditRecord> done = staged.get(row.id());
        return new Pending(row.event(), row.at(), row.id(), done == null ? new CompletableFuture<>() : done);
    }

    /** Seals {@code items}, whose staged rows this transaction has deleted, in order; the caller commits. */
    private List<AuditRecord> sealLocked(List<Pending> items) {
        long now = clock.millis();
        Map<String, AuditStore.Head> heads = new LinkedHashMap<>();
        List<AuditRecord> out = new ArrayList<>(items.size());
        for (Pending p : items) {
            // The time it happened, not the time it was sealed; yet never later than now, so a
            // replica whose clock runs ahead (or a forged staging row) cannot date it in the future.
            out.add(seal(p.event(), Math.min(p.at(), now), heads));
        }
        store.insertAll(out);
        heads.values().forEach(store::moveHead);
        writeToSinkOnCommit(out);
        return out;
    }

    private void completeAll(List<Pending> items, List<AuditRecord> records) {
        for (int i = 0; i < items.size(); i++) {
            Pending p = items.get(i);
            if (p.staged()) {
                staged.remove(p.stagingId());
            }
            p.done().complete(records.get(i));
        }
    }

    /**
     * After {@code items} failed together: seals each half in its own transaction, and each half
     * that fails in halves again, down to the events that fail alone ({@link #failedAlone}). One
     * event that cannot be sealed costs about two transactions per halving, and holds up no other.
     * When the database itself is failing nothing is split: staged events stay staged and are
     * retried as they are, appended ones fail (their callers answer 503).
     */
    private void sealApart(List<Pending> items, RuntimeException failure) {
        if (databaseFailing(failure)) {
            items.stream().filter(p -> !p.staged()).forEach(p -> p.done().completeExceptionally(failure));
        } else if (items.size() == 1) {
            failedAlone(items.get(0), failure);
        } else {
            int half = items.size() / 2;
            sealOrSplit(items.subList(0, half));
            sealOrSplit(items.subList(half, items.size()));
        }
    }

    private void sealOrSplit(List<Pending> items) {
        List<Pending> held = new ArrayList<>(items);
        try {
            List<AuditRecord> sealed = tx.execute(s -> {
                Set<Long> locked = store.lockPending(items.stream().filter(Pending::staged).map(Pending::stagingId).toList());
                // A staged row gone meanwhile, or held by another appender, is that appender's to seal.
                held.removeIf(p -> p.staged() && !locked.contains(p.stagingId()));
                store.deletePending(held.stream().filter(Pending::staged).map(Pending::stagingId).toList());
                return sealLocked(held);
            });
            completeAll(held, sealed);
        } catch (RuntimeException e) {
            if (databaseFailing(e)) {
                log.atWarn().addKeyValue("audit.failure", e.getClass().getName())
                        .log("audit events could not be sealed in parts ({}); staged ones stay staged", e.getClass().getName());
            }
            sealApart(items, e);
        }
    }

    /**
     * An event failed to seal on its own. An appended one fails (its caller answers 503). A staged
     * one is evidence and stays staged: its answer goes out now (its event unsealed), and its row
     * notes the failure and is tried again after {@link #RETRY_AFTER}; after
     * {@link AuditStore#SET_ASIDE_AFTER} failures it is set aside, tried every
     * {@link #SET_ASIDE_RETRY}, counted in {@code warden_audit_unsealable_events} and logged as an
     * error. Logs name the failure's class only: its message may quote the event.
     */
    private void failedAlone(Pending p, RuntimeException failure) {
        String cause = failure.getClass().getName();
        p.done().completeExceptionally(failure);
        if (!p.staged()) {
            log.atWarn().addKeyValue("audit.failure", cause).log("an audit event could not be sealed ({})", cause);
            return;
        }
        long id = p.stagingId();
        staged.remove(id);
        long now = clock.millis();
        OptionalInt attempts;
        try {
            attempts = tx.execute(s -> {
                OptionalInt before = store.lockFailedAttempts(id);
                if (before.isEmpty()) {
                    return before; // sealed meanwhile by another appender
                }
                int n = before.getAsInt() + 1;
                Duration retry = n >= AuditStore.SET_ASIDE_AFTER ? SET_ASIDE_RETRY : RETRY_AFTER;
                store.markFailed(id, n, cause, now, now + retry.toMillis());
                return OptionalInt.of(n);
            });
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("audit.stagingId", id).addKeyValue("audit.failure", cause)
                    .log("staged audit event {} could not be sealed ({}), nor its failure noted ({}); it is tried again",
                            id, cause, e.getClass().getName());
            return;
        }
        if (attempts.isEmpty()) {
            return;
        }
        int n = attempts.getAsInt();
        if (n >= AuditStore.SET_ASIDE_AFTER) {
            log.atError().addKeyValue("audit.stagingId", id).addKeyValue("audit.failure", cause)
                    .addKeyValue("audit.failedAttempts", n)
                    .log("AUDIT EVENT SET ASIDE: staged audit event {} failed to seal {} times ({}); it stays in"
                            + " audit_pending, is tried again every {} minutes, and holds up no other event", id, n, cause,
                            SET_ASIDE_RETRY.toMinutes());
        } else {
            log.atWarn().addKeyValue("audit.stagingId", id).addKeyValue("audit.failure", cause)
                    .addKeyValue("audit.failedAttempts", n)
                    .log("staged audit event {} could not be sealed ({}); it is tried again in {} s", id, cause,
                            RETRY_AFTER.toSeconds());
        }
    }

    /** A failure of the database rather than of the events (unreachable, busy, shutting down): nothing to isolate. */
    private static boolean databaseFailing(RuntimeException e) {
        return e instanceof TransientDataAccessException || e instanceof RecoverableDataAccessException
                || e instanceof DataAccessResourceFailureException || e instanceof TransactionException;
    }

    @Override
    public void start() {
        appender = Thread.ofPlatform().name("audit-appender").daemon().start(this::run);
    }

    @Override
    public void stop() {
        Thread t = appender;
        appender = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return appender != null;
    }

    /** Stops after the web server has drained its requests, which may still append. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
