package io.warden.server.audit;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.Chain;
import io.warden.server.storage.DataDirectory;
import io.warden.server.web.ApiProblem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit ledger's facade: {@link #append} returns once the event is durable in its hash
 * chain. Appends are group-committed: one appender drains everything waiting, seals it chain by
 * chain and commits it in a single transaction, so concurrent producers share one commit instead
 * of paying one each. If the event cannot be made durable the caller gets 503.
 */
@Service
public class AuditLog implements SmartLifecycle {

    /** What happened; the ledger adds the chain position, time and hashes. */
    public record Event(String chain, String actorKind, String actorId, String actorVia, String action,
            String targetKind, String targetNamespace, String targetName, String outcome, String requestId,
            String clientAddress, String details) {
    }

    private record Pending(Event event, CompletableFuture<AuditRecord> done) {
    }

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 1000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AuditStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Chain chain;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(100_000);
    private volatile Thread appender;

    AuditLog(AuditStore store, TransactionTemplate tx, Clock clock, DataDirectory dataDir) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.chain = AuditKeys.loadOrCreate(dataDir, store.anyEvents());
    }

    /** Records an event and waits until it is committed. */
    public AuditRecord append(Event event) {
        CompletableFuture<AuditRecord> done = new CompletableFuture<>();
        if (appender == null || !queue.offer(new Pending(event, done))) {
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

    /** Reads a chain's records after a sequence number, in order (for verification and queries). */
    public List<AuditRecord> records(String chainName, long afterSeq, int limit) {
        return store.records(chainName, afterSeq, limit);
    }

    /** The chain key, for server-side verification. */
    public Chain chainKey() {
        return chain;
    }

    private static ApiProblem unavailable() {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "audit-unavailable", "Service unavailable",
                "the audit ledger could not record this request, so it was not carried out; try again");
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            commit(batch);
            batch.clear();
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.done().completeExceptionally(new IllegalStateException("stopping"));
        }
    }

    private void commit(List<Pending> batch) {
        try {
            List<AuditRecord> sealed = tx.execute(s -> {
                long now = clock.millis();
                Map<String, AuditStore.Head> heads = new LinkedHashMap<>();
                List<AuditRecord> out = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    Event e = p.event();
                    AuditStore.Head head = heads.computeIfAbsent(e.chain(), store::lockHead);
                    AuditRecord draft = new AuditRecord(e.chain(), head.seq() + 1, now, e.actorKind(), e.actorId(),
                            e.actorVia(), e.action(), e.targetKind(), e.targetNamespace(), e.targetName(), e.outcome(),
                            e.requestId(), e.clientAddress(), e.details(), null, null);
                    AuditRecord record = chain.seal(draft, head.hash());
                    store.insert(record);
                    heads.put(e.chain(), new AuditStore.Head(record.seq(), record.hash()));
                    out.add(record);
                }
                heads.forEach(store::moveHead);
                return out;
            });
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(sealed.get(i));
            }
        } catch (RuntimeException e) {
            log.error("audit batch of {} events could not be committed", batch.size(), e);
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
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
