package io.warden.server.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.core.audit.Checkpoint;
import io.warden.server.WardenProperties;
import io.warden.server.storage.BackgroundJobs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ledger's background jobs, on one thread:
 * <ul>
 *   <li>the <b>sweep</b>, every {@code sweep-interval}: verifies each chain from the last
 *       checkpoint signed before {@code sweep-window} ago, and on failure (or when a chain cannot
 *       even be verified) logs an error and raises {@code warden_audit_verify_failures_total} and
 *       {@code warden_audit_chains_failing};</li>
 *   <li><b>retention</b>, when {@code retention-days} is set: cuts each chain at its newest
 *       checkpoint whose event is older than that, keeping the checkpoint as the chain's anchor,
 *       and records an {@code audit.prune} event on the chain in the same transaction. On
 *       PostgreSQL one replica at a time prunes (advisory lock).</li>
 * </ul>
 */
@Component
class AuditMaintenance extends BackgroundJobs {

    private static final Logger log = LoggerFactory.getLogger(AuditMaintenance.class);
    private static final long RETENTION_LOCK = 0x5741524445_4E01L; // "WARDEN" 1
    /** The {@code audit.problem} of a chain whose verification threw instead of answering. */
    private static final String UNVERIFIABLE = "UNVERIFIABLE";

    private final AuditStore store;
    private final AuditLog audit;
    private final AuditVerification verification;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JsonMapper json;
    private final WardenProperties.Audit props;
    private final Counter failures;
    private final AtomicInteger failing = new AtomicInteger();
    private final AtomicLong lastSweep = new AtomicLong();

    AuditMaintenance(AuditStore store, AuditLog audit, AuditVerification verification, TransactionTemplate tx,
            Clock clock, JsonMapper json, WardenProperties props, MeterRegistry metrics) {
        super("audit-maintenance");
        this.store = store;
        this.audit = audit;
        this.verification = verification;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
        this.props = props.audit();
        if (this.props.retentionDays() < 0) {
            throw new IllegalStateException("warden.audit.retention-days must be 0 (keep everything) or more");
        }
        this.failures = Counter.builder("warden.audit.verify.failures")
                .description("Chains found broken by the audit verification sweep").register(metrics);
        metrics.gauge("warden.audit.chains.failing", failing);
        metrics.gauge("warden.audit.sweep.last.seconds", lastSweep);
    }

    /**
     * Verifies the recent window of every chain; returns how many failed. A chain whose
     * verification throws (stored values it cannot read or make sense of) fails too, and the
     * sweep goes on to the next chain.
     */
    int sweep() {
        long since = clock.millis() - props.sweepWindow().toMillis();
        int failed = 0;
        List<String> chains;
        try {
            chains = verification.chains();
        } catch (RuntimeException e) {
            // Nothing could be verified: that is an alarm too, not a quiet skip.
            failures.increment();
            failing.set(Math.max(1, failing.get()));
            log.atError().addKeyValue("audit.problem", UNVERIFIABLE).addKeyValue("audit.failure", e.getClass().getName())
                    .log("AUDIT LEDGER TAMPERING: the verification sweep could not list the chains ({})", e.getClass().getName());
            return -1;
        }
        for (String chain : chains) {
            ChainVerifier.Result result;
            try {
                result = verification.verifyRecent(chain, since);
            } catch (RuntimeException e) {
                failed++;
                failures.increment();
                // The class only: the message may quote stored values.
                log.atError().addKeyValue("audit.chain", chain).addKeyValue("audit.problem", UNVERIFIABLE)
                        .addKeyValue("audit.failure", e.getClass().getName())
                        .log("AUDIT LEDGER TAMPERING: chain '{}' failed verification: it could not be verified ({})",
                                chain, e.getClass().getName());
                continue;
            }
            if (result instanceof ChainVerifier.Failed f) {
                failed++;
                failures.increment();
                log.atError().addKeyValue("audit.chain", chain).addKeyValue("audit.problem", f.problem().name())
                        .addKeyValue("audit.seq", f.seq())
                        .log("AUDIT LEDGER TAMPERING: chain '{}' failed verification: {} at seq {}: {}",
                                chain, f.problem(), f.seq(), f.detail());
            }
        }
        failing.set(failed);
        lastSweep.set(clock.millis() / 1000);
        return failed;
    }

    /** Prunes every chain to its retention anchor; returns how many events were removed. */
    int prune() {
        if (props.retentionDays() == 0) {
            return 0;
        }
        long cutoff = clock.millis() - Duration.ofDays(props.retentionDays()).toMillis();
        int removed = 0;
        for (String chain : verification.chains()) {
            // Never delete evidence: a chain that does not verify keeps every record until people look.
            ChainVerifier.Result verified;
            try {
                verified = verification.verify(chain, count -> { });
            } catch (RuntimeException e) {
                log.error("AUDIT LEDGER TAMPERING: chain '{}' could not be verified ({}); retention will not prune it",
                        chain, e.getClass().getName());
                continue;
            }
            if (verified instanceof ChainVerifier.Failed f) {
                log.error("AUDIT LEDGER TAMPERING: chain '{}' fails verification ({} at seq {}); retention will not prune it",
                        chain, f.problem(), f.seq());
                continue;
            }
            List<CompletableFuture<AuditRecord>> recorded = new ArrayList<>(1);
            Integer n = tx.execute(s -> {
                if (!store.tryJobLock(RETENTION_LOCK)) {
                    return 0;
                }
                Checkpoint cut = store.checkpointOfRecordBefore(chain, cutoff).orElse(null);
                long anchored = store.anchor(chain).map(Checkpoint::seq).orElse(0L);
                if (cut == null || cut.seq() <= anchored) {
                    return 0;
                }
                int events = store.prune(cut);
                recorded.add(audit.record(new AuditLog.Event(chain, "system", "retention", null, "audit.prune", "AuditChain",
                        chain.isEmpty() ? null : chain, chain, "success", null, null,
                        json.writeValueAsString(Map.of("anchorSeq", cut.seq(), "eventsRemoved", events,
                                "retentionDays", props.retentionDays())))));
                log.info("audit retention cut chain '{}' at checkpoint {} ({} events removed)", chain, cut.seq(), events);
                return events;
            });
            audit.settle(recorded); // the cut is done once its own record is in the chain
            removed += n == null ? 0 : n;
        }
        return removed;
    }

    @Override
    protected void schedule() {
        every(props.sweepInterval(), "audit verification sweep", this::sweep);
        if (props.retentionDays() > 0) {
            every(props.retentionInterval(), "audit retention", this::prune);
        }
    }
}
