package io.warden.server.audit;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.core.audit.Checkpoint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Service;

/**
 * Verifies chains as stored, with the chain key, the stored checkpoints and the chain's anchor
 * (where retention cut it), reading the records a page at a time so memory stays flat. Used by
 * {@code GET /v1/audit/verify} and the hourly sweep.
 */
@Service
class AuditVerification {

    private static final int PAGE = 1000;

    private final AuditStore store;
    private final AuditLog audit;

    AuditVerification(AuditStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** The names of every chain, cluster chain ({@code ""}) first; see {@link AuditStore#chainNames}. */
    List<String> chains() {
        return store.chainNames();
    }

    /** Verifies the whole chain (from its anchor, if pruned); {@code progress} hears the running count. */
    ChainVerifier.Result verify(String chain, LongConsumer progress) {
        return verifyAcrossPrunes(chain, anchor -> anchor, progress);
    }

    /**
     * Verifies the chain from the last checkpoint signed at or before {@code since} (the recent
     * window), or from its start when there is none. A signed checkpoint is a sound starting
     * point: everything after it must link to the hash and digest it names.
     */
    ChainVerifier.Result verifyRecent(String chain, long since) {
        return verifyAcrossPrunes(chain, anchor -> store.checkpointBefore(chain, since)
                .filter(c -> anchor == null || c.seq() > anchor.seq()).orElse(anchor), n -> { });
    }

    /**
     * Verifies from a start chosen given the chain's anchor. Reads are not one snapshot, so a
     * retention prune that commits mid-way (a new anchor, the events before it deleted) would look
     * like deleted records: when a verification fails and the anchor moved meanwhile, it runs again
     * from the new anchor, and when it fails at the anchor while that chain has staged events
     * (the cut's own record, not sealed yet) it runs again once they are sealed. Tampering moves no
     * anchor and stages nothing, so it is still reported, without waiting.
     */
    private ChainVerifier.Result verifyAcrossPrunes(String chain, UnaryOperator<Checkpoint> start, LongConsumer progress) {
        for (int run = 1; ; run++) {
            Checkpoint anchor = store.anchor(chain).orElse(null);
            Checkpoint from = start.apply(anchor);
            ChainVerifier.Result result = verifyFrom(chain, from, from != null && from.equals(anchor), progress);
            if (result instanceof ChainVerifier.Ok || run == 3) {
                return result;
            }
            boolean anchorMoved = !Objects.equals(anchor, store.anchor(chain).orElse(null));
            // A cut that just committed may not have its audit.prune record sealed yet (PostgreSQL
            // seals staged events a moment after their transaction): once they are, look again.
            boolean cutRecordSealedSince = !anchorMoved && anchor != null
                    && result instanceof ChainVerifier.Failed f && f.seq() == anchor.seq() && audit.awaitStaged(chain);
            if (!anchorMoved && !cutRecordSealedSince) {
                return result;
            }
        }
    }

    private ChainVerifier.Result verifyFrom(String chain, Checkpoint start, boolean retentionAnchor, LongConsumer progress) {
        ChainVerifier verifier = ChainVerifier.forChain(chain, audit.chainKey(), audit.checkpointPublicKey())
                .withCheckpoints(checkpoints(chain));
        if (start != null) {
            verifier = retentionAnchor ? verifier.startingAtRetentionAnchor(start) : verifier.startingAt(start);
        }
        return verifier.verify(new Pages(chain, start == null ? 0 : start.seq(), progress));
    }

    /** Every stored checkpoint of the chain. */
    List<Checkpoint> checkpoints(String chain) {
        List<Checkpoint> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Checkpoint> page = store.checkpoints(chain, chain, after, PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    /** A chain's records after a seq, fetched a page at a time. */
    private final class Pages implements Iterator<AuditRecord> {
        private final String chain;
        private final LongConsumer progress;
        private long after;
        private long read;
        private Iterator<AuditRecord> page = java.util.Collections.emptyIterator();
        private boolean exhausted;

        Pages(String chain, long after, LongConsumer progress) {
            this.chain = chain;
            this.after = after;
            this.progress = progress;
        }

        @Override
        public boolean hasNext() {
            if (!page.hasNext() && !exhausted) {
                List<AuditRecord> next = store.records(chain, after, PAGE);
                exhausted = next.size() < PAGE;
                if (!next.isEmpty()) {
                    after = next.get(next.size() - 1).seq();
                    read += next.size();
                    progress.accept(read);
                }
                page = next.iterator();
            }
            return page.hasNext();
        }

        @Override
        public AuditRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }
    }
}
