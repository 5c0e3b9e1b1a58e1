package io.warden.core.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;

/**
 * Verifies one chain: its records in the order they were read, optionally its signed
 * checkpoints, optionally starting from an anchor checkpoint (a chain pruned by retention).
 * Answers {@link Ok}, or the first problem met reading the records in order ({@link Failed}),
 * named by kind and sequence. The classification rules are specified in
 * {@code docs/reference/audit.md}.
 *
 * <p>Records stream through: memory stays constant whatever the chain's length (checkpoints
 * are held, one per thousand records or so). After the first problem the rest of the stream is
 * only read to tell a reordering from a deletion.
 *
 * <p>Instances are immutable and thread-safe; {@code with...} methods return new instances.
 */
public final class ChainVerifier {

    /** What is wrong with a chain. */
    public enum Problem {
        /** The record at the sequence is not what the server wrote: its hash does not match its content. */
        MODIFIED,
        /** The record at the sequence is missing: the chain jumps over it. */
        DELETED,
        /** A record that does not belong claims the sequence: a forgery, a copy, or a record from another chain. */
        INSERTED,
        /** The records are all there but out of order: the record at the sequence appears elsewhere. */
        REORDERED,
        /**
         * A signed checkpoint vouches for records that are not there: the tail was cut (the
         * sequence is the first missing one), or cut and regrown (the sequence is the checkpoint's,
         * whose hash differs from the record's).
         */
        TRUNCATED,
        /** A checkpoint (or the anchor) at the sequence does not carry a valid signature. */
        BAD_CHECKPOINT_SIGNATURE
    }

    /** The outcome of a verification: {@link Ok} or {@link Failed}. */
    public sealed interface Result permits Ok, Failed {}

    /**
     * The chain verified.
     *
     * @param count how many records were verified
     * @param lastSeq the sequence of the last record (the anchor's, or 0, when there were none)
     * @param lastCheckpoint the highest checkpoint whose signature verified and whose hash matched
     *     its record (or the anchor); {@code null} when there was none. Records after it are
     *     protected against modification but not against truncation (see the reference).
     */
    public record Ok(long count, long lastSeq, Checkpoint lastCheckpoint) implements Result {}

    /**
     * The chain did not verify.
     *
     * @param problem what is wrong
     * @param seq the sequence it is wrong at: where verification stopped, or for
     *     {@link Problem#INSERTED} the sequence the extra record claims
     * @param detail a sentence for people, naming the evidence
     * @param verified how many records verified before the problem
     */
    public record Failed(Problem problem, long seq, String detail, long verified) implements Result {}

    private final String chain;
    private final Chain chainKey; // null: the public link only
    private final CheckpointSigner checkpointKey;
    private final List<Checkpoint> checkpoints;
    private final Checkpoint anchor;
    /** Whether the anchor is a retention cut that an {@code audit.prune} record must account for. */
    private final boolean pruned;

    private ChainVerifier(String chain, Chain chainKey, CheckpointSigner checkpointKey,
            List<Checkpoint> checkpoints, Checkpoint anchor, boolean pruned) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.chainKey = chainKey;
        this.checkpointKey = checkpointKey;
        this.checkpoints = checkpoints;
        this.anchor = anchor;
        this.pruned = pruned;
    }

    /** A verifier for chain {@code chain} (a namespace, or {@code ""}) under the chain key, without checkpoints. */
    public static ChainVerifier forChain(String chain, Chain chainKey) {
        return new ChainVerifier(chain, Objects.requireNonNull(chainKey, "chainKey"), null, List.of(), null, false);
    }

    /**
     * A verifier for chain {@code chain} under the chain key, checking checkpoints with
     * {@code checkpointKey} (a public key is enough).
     */
    public static ChainVerifier forChain(String chain, Chain chainKey, CheckpointSigner checkpointKey) {
        return new ChainVerifier(chain, Objects.requireNonNull(chainKey, "chainKey"),
                Objects.requireNonNull(checkpointKey, "checkpointKey"), List.of(), null, false);
    }

    /**
     * A verifier for chain {@code chain} that needs no chain key: it checks the public link (each
     * record's digest and its link to the one before) and the signed checkpoints, which pin the
     * digests. This is the offline verification of an export: records up to the last checkpoint
     * are proven; records after it only hang together, since anyone can compute a digest (the
     * result's {@code lastCheckpoint} says how far the proof goes).
     */
    public static ChainVerifier publicOnly(String chain, CheckpointSigner checkpointKey) {
        return new ChainVerifier(chain, null, Objects.requireNonNull(checkpointKey, "checkpointKey"), List.of(), null, false);
    }

    /**
     * This verifier, also checking {@code checkpoints}. Checkpoints of other chains are ignored, so
     * the whole published list may be passed; so are those before the anchor.
     *
     * @throws IllegalStateException if the verifier was made without a checkpoint key
     */
    public ChainVerifier withCheckpoints(Collection<Checkpoint> checkpoints) {
        requireCheckpointKey();
        return new ChainVerifier(chain, chainKey, checkpointKey, List.copyOf(checkpoints), anchor, pruned);
    }

    /**
     * This verifier, starting after {@code anchor}: the records up to its sequence were pruned, and
     * the first record must link to the anchor's hash. The anchor's signature is checked.
     *
     * @throws IllegalStateException if the verifier was made without a checkpoint key
     * @throws IllegalArgumentException if the anchor is for another chain
     */
    public ChainVerifier startingAt(Checkpoint anchor) {
        return startingAt(anchor, false);
    }

    /**
     * This verifier, starting after {@code anchor} where retention cut the chain: as
     * {@link #startingAt}, and the records must include the {@code audit.prune} record that the
     * cut wrote in its own transaction (action {@code audit.prune}, details naming
     * {@code "anchorSeq":} the anchor's seq). Without it the records before the anchor were
     * deleted by something other than retention, and the result is {@link Problem#DELETED} at
     * the anchor's seq. Copying a genuine checkpoint into the anchors table is not enough to
     * delete history unnoticed.
     */
    public ChainVerifier startingAtRetentionAnchor(Checkpoint anchor) {
        return startingAt(anchor, true);
    }

    private ChainVerifier startingAt(Checkpoint anchor, boolean pruned) {
        requireCheckpointKey();
        Objects.requireNonNull(anchor, "anchor");
        if (!chain.equals(anchor.chain())) {
            throw new IllegalArgumentException("the anchor is a checkpoint of another chain");
        }
        return new ChainVerifier(chain, chainKey, checkpointKey, checkpoints, anchor, pruned);
    }

    /** Verifies {@code records}, which must be this chain's, in the order they were read. */
    public Result verify(Iterable<AuditRecord> records) {
        return verify(records.iterator());
    }

    /** Verifies {@code records}, which must be this chain's, in the order they were read. */
    public Result verify(Iterator<AuditRecord> records) {
        return new Run(new Lookahead(Objects.requireNonNull(records, "records"))).verify();
    }

    private void requireCheckpointKey() {
        if (checkpointKey == null) {
            throw new IllegalStateException("checkpoints need a checkpoint key: use forChain(chain, chainKey, checkpointKey)");
        }
    }

    /** The state of one verification. */
    private final class Run {
        private final Lookahead records;
        private final Mac mac = chainKey == null ? null : chainKey.newMac();
        private final NavigableMap<Long, List<Checkpoint>> pending = new TreeMap<>();
        private long expectedSeq = 1;
        private Chain.Link expectedPrev = Chain.GENESIS;
        private long count;
        private Checkpoint lastCheckpoint;
        private boolean pruneRecorded;
        /** What the cut's own record says in its details, when the anchor is a retention cut. */
        private final java.util.regex.Pattern pruneDetails = pruned
                ? java.util.regex.Pattern.compile("\"anchorSeq\":" + anchor.seq() + "(?![0-9])") : null;

        Run(Lookahead records) {
            this.records = records;
        }

        Result verify() {
            Result start = start();
            if (start != null) {
                return start;
            }
            while (records.hasNext()) {
                AuditRecord r = records.next();
                if (r.seq() < expectedSeq) {
                    return fail(Problem.INSERTED, r.seq(), anchor != null && r.seq() <= anchor.seq()
                            ? "a record at seq " + r.seq() + " precedes the anchor checkpoint at seq " + startSeq()
                            : "a second record claims seq " + r.seq() + ", which already verified");
                }
                if (r.seq() > expectedSeq) {
                    return jumpedAhead(r);
                }
                boolean authentic = authentic(r);
                if (!(authentic && chain.equals(r.chain()) && follows(r, expectedPrev))) {
                    return outOfPlace(r, authentic, records.peek());
                }
                count++;
                expectedSeq++;
                expectedPrev = r.link();
                pruneRecorded |= pruned && accountsForAnchor(r);
                Result atCheckpoint = checkpointsAt(r.seq(), r.link());
                if (atCheckpoint != null) {
                    return atCheckpoint;
                }
            }
            Result end = end();
            if (end instanceof Ok && pruned && !pruneRecorded) {
                return fail(Problem.DELETED, anchor.seq(), "the chain starts at an anchor (seq " + anchor.seq()
                        + ") that no audit.prune record accounts for: the records up to it were deleted outside retention");
            }
            return end;
        }

        private boolean accountsForAnchor(AuditRecord r) {
            return "audit.prune".equals(r.action()) && r.details() != null && pruneDetails.matcher(r.details()).find();
        }

        /** Sets the starting point from the anchor (if any) and files the checkpoints to check. */
        private Result start() {
            if (anchor != null) {
                if (!checkpointKey.verify(anchor)) {
                    return fail(Problem.BAD_CHECKPOINT_SIGNATURE, anchor.seq(), "the anchor checkpoint's signature does not verify");
                }
                expectedSeq = anchor.seq() + 1;
                expectedPrev = anchor.link();
                lastCheckpoint = anchor;
            }
            for (Checkpoint cp : checkpoints) {
                if (chain.equals(cp.chain()) && cp.seq() >= Math.max(1, startSeq())) {
                    pending.computeIfAbsent(cp.seq(), s -> new ArrayList<>()).add(cp);
                }
            }
            pending.values().forEach(list -> list.sort(Comparator.comparingLong(Checkpoint::time)));
            return anchor == null ? null : checkpointsAt(anchor.seq(), anchor.link());
        }

        private long startSeq() {
            return anchor == null ? 0 : anchor.seq();
        }

        /** Checks every checkpoint at {@code seq} against the hash and digest the chain has there. */
        private Result checkpointsAt(long seq, Chain.Link link) {
            List<Checkpoint> at = pending.remove(seq);
            if (at == null) {
                return null;
            }
            for (Checkpoint cp : at) {
                if (!checkpointKey.verify(cp)) {
                    return fail(Problem.BAD_CHECKPOINT_SIGNATURE, seq, "the checkpoint at seq " + seq + " does not carry a valid signature");
                }
                if (!Chain.hashesEqual(cp.hash(), link.hash())) {
                    return fail(Problem.TRUNCATED, seq, "the checkpoint signed at seq " + seq
                            + " names another hash than the chain has there: the chain was cut and written again");
                }
                if (!Chain.hashesEqual(cp.digest(), link.digest())) {
                    // Same keyed hash, other digest: records were changed and their digests
                    // recomputed, which only the public link can be fooled into; the keyed link
                    // would have named the first changed record.
                    return fail(Problem.MODIFIED, seq, "the checkpoint signed at seq " + seq + " names another digest"
                            + " than the chain has there: records up to seq " + seq + " were changed and re-digested");
                }
                lastCheckpoint = cp;
            }
            return null;
        }

        /** The stream ended cleanly; a signed checkpoint past the end proves the tail was cut. */
        private Result end() {
            Checkpoint beyond = null;
            Checkpoint forged = null;
            for (List<Checkpoint> atSeq : pending.values()) { // ascending seq
                for (Checkpoint cp : atSeq) {
                    if (checkpointKey.verify(cp)) {
                        beyond = beyond == null ? cp : beyond;
                    } else {
                        forged = forged == null ? cp : forged;
                    }
                }
            }
            if (beyond != null) {
                return fail(Problem.TRUNCATED, expectedSeq, "the chain ends at seq " + (expectedSeq - 1)
                        + " but a signed checkpoint vouches for seq " + beyond.seq());
            }
            if (forged != null) {
                return fail(Problem.BAD_CHECKPOINT_SIGNATURE, forged.seq(),
                        "the checkpoint at seq " + forged.seq() + " does not carry a valid signature");
            }
            return new Ok(count, expectedSeq - 1, lastCheckpoint);
        }

        /**
         * {@code r} claims the expected sequence but is not the record that belongs there (bad
         * hash, other chain, or no link to the previous record). Which is it?
         */
        private Result outOfPlace(AuditRecord r, boolean authentic, AuditRecord next) {
            long seq = expectedSeq;
            if (next != null && next.seq() == seq) {
                return fail(Problem.INSERTED, seq, "two records claim seq " + seq);
            }
            if (next != null && follows(next, expectedPrev) && follows(r, next.link())) {
                // next follows seq - 1 and r follows next: the two traded places.
                return fail(Problem.REORDERED, seq, "the records at seq " + seq + " and " + next.seq() + " are swapped");
            }
            if (authentic && chainKey != null) {
                // Only the key holder can make an authentic record, so this one was written by the
                // server, for another chain or another history, and copied here.
                return fail(Problem.INSERTED, seq, chain.equals(r.chain())
                        ? "the record at seq " + seq + " is authentic but does not link to seq " + (seq - 1) + " (replayed from another history)"
                        : "the record at seq " + seq + " belongs to chain '" + r.chain() + "'");
            }
            if (next != null && follows(next, expectedPrev)) {
                return fail(Problem.INSERTED, seq, "the record at seq " + seq
                        + " does not verify and the chain continues around it from seq " + (seq - 1));
            }
            return fail(Problem.MODIFIED, seq, "the record at seq " + seq + " does not match its hash");
        }

        /** {@code r} claims a sequence past the expected one: a deletion, a reordering, or an extra record. */
        private Result jumpedAhead(AuditRecord r) {
            long seq = expectedSeq;
            boolean expectedLater = false;
            boolean claimedAgain = false;
            while (records.hasNext() && !(expectedLater && claimedAgain)) {
                AuditRecord later = records.next();
                // A forgery of the missing record does not make the deletion a reordering.
                expectedLater |= later.seq() == seq && isGenuine(later);
                claimedAgain |= later.seq() == r.seq();
            }
            if (!expectedLater) {
                return fail(Problem.DELETED, seq, "the record at seq " + seq + " is missing (the next one read is seq " + r.seq() + ")");
            }
            if (isGenuine(r) && !claimedAgain) {
                return fail(Problem.REORDERED, seq, "seq " + r.seq() + " was read where seq " + seq + " belongs; seq " + seq + " comes later");
            }
            return fail(Problem.INSERTED, r.seq(), "an extra record claiming seq " + r.seq() + " was read where seq " + seq + " belongs");
        }

        private boolean isGenuine(AuditRecord r) {
            return chain.equals(r.chain()) && authentic(r);
        }

        /** Keyed: the HMAC and the digest check out. Public: the digest does (anyone can make one). */
        private boolean authentic(AuditRecord r) {
            return chainKey == null ? Chain.hasValidDigest(r) : chainKey.isAuthentic(r, mac);
        }

        /** Whether {@code r} names {@code prev} as its previous record, in both links. */
        private static boolean follows(AuditRecord r, Chain.Link prev) {
            // Null-safe: a stored link may have been emptied (the columns allow NULL); it then links to nothing.
            return prev.hash() != null && prev.digest() != null
                    && prev.hash().equals(r.prevHash()) && prev.digest().equals(r.prevDigest());
        }

        private Failed fail(Problem problem, long seq, String detail) {
            return new Failed(problem, seq, detail, count);
        }
    }

    /** An iterator that can look one record ahead. */
    private static final class Lookahead {
        private final Iterator<AuditRecord> source;
        private AuditRecord next;

        Lookahead(Iterator<AuditRecord> source) {
            this.source = source;
            advance();
        }

        boolean hasNext() {
            return next != null;
        }

        AuditRecord next() {
            AuditRecord current = next;
            advance();
            return current;
        }

        AuditRecord peek() {
            return next;
        }

        private void advance() {
            next = source.hasNext() ? Objects.requireNonNull(source.next(), "records must not be null") : null;
        }
    }
}
