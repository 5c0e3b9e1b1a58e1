package io.warden.core.audit;

import static io.warden.core.audit.TestChains.CHAIN_KEY;
import static io.warden.core.audit.TestChains.chain;
import static io.warden.core.audit.TestChains.checkpoint;
import static io.warden.core.audit.TestChains.checkpointsEvery;
import static io.warden.core.audit.TestChains.copy;
import static io.warden.core.audit.TestChains.flipLastBit;
import static io.warden.core.audit.TestChains.withChain;
import static io.warden.core.audit.TestChains.withDetails;
import static io.warden.core.audit.TestChains.withHash;
import static io.warden.core.audit.TestChains.withPrevHash;
import static io.warden.core.audit.TestChains.withSeq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.core.audit.ChainVerifier.Failed;
import io.warden.core.audit.ChainVerifier.Ok;
import io.warden.core.audit.ChainVerifier.Problem;
import io.warden.core.audit.ChainVerifier.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A rogue DBA has write access to the events table (triggers dropped) and to the stored
 * checkpoints, but not the chain key or the signing key. Whatever he does, verification names
 * it and the sequence where it happened.
 */
class ChainVerifierTest {

    private static final String NS = "payments";
    private static final CheckpointSigner SIGNER = CheckpointSigner.generate();
    private static final CheckpointSigner PUBLIC = CheckpointSigner.fromPublicKeyPem(SIGNER.publicKeyPem());

    /** 20 genuine records, checkpoints at 10 and 20. */
    private final List<AuditRecord> genuine = chain(NS, 20);
    private final List<Checkpoint> checkpoints = checkpointsEvery(SIGNER, genuine, 10);

    private Result verify(List<AuditRecord> records) {
        return verify(records, checkpoints);
    }

    private static Result verify(List<AuditRecord> records, List<Checkpoint> checkpoints) {
        return ChainVerifier.forChain(NS, CHAIN_KEY, PUBLIC).withCheckpoints(checkpoints).verify(records);
    }

    private List<AuditRecord> rows() {
        return new ArrayList<>(genuine);
    }

    private AuditRecord at(long seq) {
        return genuine.get((int) seq - 1);
    }

    /** A record sealed with a key that is not the chain's: what a forger without the key can do at best. */
    private AuditRecord forged(long seq, Chain.Link prevHash) {
        Chain guessed = new Chain(TestChains.bytes(0x66, 32));
        return guessed.seal(withDetails(TestChains.draft(NS, seq), "{\"forged\":true}"), prevHash);
    }

    private static void assertFailed(Result result, Problem problem, long seq) {
        assertThat(result).isInstanceOf(Failed.class);
        Failed failed = (Failed) result;
        assertThat(failed.problem()).as(failed.detail()).isEqualTo(problem);
        assertThat(failed.seq()).as(failed.detail()).isEqualTo(seq);
    }

    @Nested
    class AnUntouchedChain {

        @Test
        void verifiesWithItsCountLastSeqAndLastCheckpoint() {
            assertThat(verify(genuine)).isEqualTo(new Ok(20, 20, checkpoints.get(1)));
        }

        @Test
        void ofTenThousandRecordsVerifies() {
            List<AuditRecord> big = chain(NS, 10_000);
            List<Checkpoint> cps = checkpointsEvery(SIGNER, big, 1000);

            assertThat(verify(big, cps)).isEqualTo(new Ok(10_000, 10_000, cps.get(9)));
            assertThat(ChainVerifier.forChain(NS, CHAIN_KEY).verify(big)).isEqualTo(new Ok(10_000, 10_000, null));
        }

        @Test
        void thatIsEmptyVerifies() {
            assertThat(verify(List.of(), List.of())).isEqualTo(new Ok(0, 0, null));
        }

        @Test
        void ofTheClusterVerifiesUnderItsEmptyName() {
            List<AuditRecord> cluster = chain(AuditRecord.CLUSTER_CHAIN, 5);

            assertThat(ChainVerifier.forChain("", CHAIN_KEY).verify(cluster)).isEqualTo(new Ok(5, 5, null));
        }

        @Test
        void ignoresCheckpointsOfOtherChains() {
            List<AuditRecord> ops = chain("ops", 30);
            List<Checkpoint> all = new ArrayList<>(checkpoints);
            all.addAll(checkpointsEvery(SIGNER, ops, 10));

            assertThat(verify(genuine, all)).isEqualTo(new Ok(20, 20, checkpoints.get(1)));
        }

        @Test
        void readsTheRecordsAsAStream() {
            assertThat(ChainVerifier.forChain(NS, CHAIN_KEY, PUBLIC).withCheckpoints(checkpoints).verify(genuine.iterator()))
                    .isEqualTo(new Ok(20, 20, checkpoints.get(1)));
        }
    }

    @Nested
    class AModifiedRecord {

        @Test
        void isNamedAtItsSeq() {
            List<AuditRecord> rows = rows();
            rows.set(6, withDetails(at(7), "{\"n\":7,\"note\":\"nothing happened\"}"));

            assertFailed(verify(rows), Problem.MODIFIED, 7);
            assertThat(((Failed) verify(rows)).verified()).isEqualTo(6);
        }

        @Test
        void whoseLinksWereEmptiedIsNamedAtItsSeqAndNeverCrashesTheVerifier() {
            // The columns allow NULL: a rogue DBA can empty them, alone or together with a swap.
            List<AuditRecord> rows = rows();
            rows.set(6, TestChains.withDigest(at(7), null));
            assertFailed(verify(rows), Problem.MODIFIED, 7);

            List<AuditRecord> swapped = rows();
            swapped.set(6, TestChains.withDigest(at(7), null));
            swapped.set(7, TestChains.withHash(at(8), null));
            Collections.swap(swapped, 6, 7);
            assertThat(verify(swapped)).isInstanceOf(Failed.class).extracting(r -> ((Failed) r).seq()).isEqualTo(7L);
        }

        @Test
        void whoseStoredHashWasChangedIsNamedAtItsSeq() {
            List<AuditRecord> rows = rows();
            rows.set(6, withHash(at(7), flipLastBit(at(7).hash())));

            assertFailed(verify(rows), Problem.MODIFIED, 7);
        }

        @Test
        void whoseStoredPrevHashWasChangedIsNamedAtItsSeq() {
            List<AuditRecord> rows = rows();
            rows.set(6, withPrevHash(at(7), flipLastBit(at(7).prevHash())));

            assertFailed(verify(rows), Problem.MODIFIED, 7);
        }

        @Test
        void whoseChainFieldWasChangedIsNamedAtItsSeq() {
            List<AuditRecord> rows = rows();
            rows.set(6, withChain(at(7), "ops"));

            assertFailed(verify(rows), Problem.MODIFIED, 7);
        }

        @Test
        void atEitherEndIsNamed() {
            List<AuditRecord> first = rows();
            first.set(0, withDetails(at(1), "{}"));
            List<AuditRecord> last = rows();
            last.set(19, withDetails(at(20), "{}"));

            assertFailed(verify(first), Problem.MODIFIED, 1);
            assertFailed(verify(last), Problem.MODIFIED, 20);
        }

        @Test
        void rewrittenWithItsSuccessorsHashesRecomputedUnderAGuessedKeyIsNamedAtTheFirst() {
            List<AuditRecord> rows = rows();
            Chain guessed = new Chain(TestChains.bytes(0x66, 32));
            Chain.Link prev = at(6).link();
            for (int seq = 7; seq <= 20; seq++) {
                AuditRecord rewritten = guessed.seal(withDetails(at(seq), "{}"), prev);
                rows.set(seq - 1, rewritten);
                prev = rewritten.link();
            }

            assertFailed(verify(rows), Problem.MODIFIED, 7);
        }
    }

    @Nested
    class ADeletedRecord {

        @Test
        void inTheMiddleIsNamedAtItsSeq() {
            List<AuditRecord> rows = rows();
            rows.remove(6);

            assertFailed(verify(rows), Problem.DELETED, 7);
        }

        @Test
        void inARunIsNamedAtTheFirstMissingSeq() {
            List<AuditRecord> rows = rows();
            rows.subList(6, 9).clear();

            assertFailed(verify(rows), Problem.DELETED, 7);
        }

        @Test
        void atTheStartIsNamed() {
            List<AuditRecord> rows = rows();
            rows.remove(0);

            assertFailed(verify(rows), Problem.DELETED, 1);
        }

        @Test
        void nextToTheLastIsNamed() {
            List<AuditRecord> rows = rows();
            rows.remove(18);

            assertFailed(verify(rows), Problem.DELETED, 19);
        }

        @Test
        void andReplacedByAForgeryAtTheEndOfTheStreamIsStillADeletion() {
            List<AuditRecord> rows = rows();
            rows.remove(6);
            rows.add(forged(7, at(6).link()));

            assertFailed(verify(rows), Problem.DELETED, 7);
        }

        @Test
        void whoseSeqWasChangedIsMissingAtItsOldSeq() {
            // ORDER BY seq puts the renumbered row at the end.
            List<AuditRecord> rows = rows();
            AuditRecord moved = withSeq(rows.remove(6), 99);
            rows.add(moved);

            assertFailed(verify(rows), Problem.DELETED, 7);
        }
    }

    @Nested
    class AnInsertedRecord {

        @Test
        void forgedWithADuplicateSeqIsNamedWhicheverRowComesFirst() {
            List<AuditRecord> before = rows();
            before.add(6, forged(7, at(6).link()));
            List<AuditRecord> after = rows();
            after.add(7, forged(7, at(6).link()));

            assertFailed(verify(before), Problem.INSERTED, 7);
            assertFailed(verify(after), Problem.INSERTED, 7);
        }

        @Test
        void forgedWithTheFollowingRecordsRenumberedIsNamedAtItsSeq() {
            List<AuditRecord> rows = new ArrayList<>(genuine.subList(0, 6));
            rows.add(forged(7, at(6).link()));
            for (long seq = 7; seq <= 20; seq++) {
                rows.add(withSeq(at(seq), seq + 1));
            }

            assertFailed(verify(rows), Problem.INSERTED, 7);
        }

        @Test
        void copiedFromAnEarlierRecordIsNamedAtTheSeqItClaims() {
            List<AuditRecord> adjacent = rows();
            adjacent.add(3, at(3));
            List<AuditRecord> later = rows();
            later.add(7, at(3));

            assertFailed(verify(adjacent), Problem.INSERTED, 3);
            assertFailed(verify(later), Problem.INSERTED, 3);
        }

        @Test
        void copiedFromALaterRecordIsNamedAtTheSeqItClaims() {
            List<AuditRecord> rows = rows();
            rows.add(6, at(15));

            assertFailed(verify(rows), Problem.INSERTED, 15);
        }

        @Test
        void forgedWithAFarSeqIsNamedAtTheSeqItClaims() {
            List<AuditRecord> rows = rows();
            rows.add(6, forged(15, at(6).link()));

            assertFailed(verify(rows), Problem.INSERTED, 15);
        }

        @Test
        void replayedFromAnotherChainIsNamedAtTheSeqItTookOver() {
            AuditRecord fromOps = chain("ops", 10).get(6);
            List<AuditRecord> replaced = rows();
            replaced.set(6, fromOps);
            List<AuditRecord> added = rows();
            added.add(7, fromOps);
            List<AuditRecord> relabelled = rows();
            relabelled.add(6, withChain(fromOps, NS));

            assertFailed(verify(replaced), Problem.INSERTED, 7);
            assertFailed(verify(added), Problem.INSERTED, 7);
            assertFailed(verify(relabelled), Problem.INSERTED, 7);
        }

        @Test
        void replayedFromAnEarlierHistoryOfTheSameChainIsNamed() {
            // A namespace deleted and created again under the same name: authentic old records
            // carry the same chain name but belong to another history.
            List<AuditRecord> earlier = TestChains.chain(CHAIN_KEY, NS, 1, 20, Chain.GENESIS, "earlier");
            List<AuditRecord> rows = rows();
            rows.set(6, earlier.get(6));

            assertFailed(verify(rows), Problem.INSERTED, 7);
        }
    }

    @Nested
    class ReorderedRecords {

        @Test
        void swappedInReadOrderAreNamedAtTheFirstSeqOutOfPlace() {
            List<AuditRecord> rows = rows();
            Collections.swap(rows, 6, 7);

            assertFailed(verify(rows), Problem.REORDERED, 7);
        }

        @Test
        void swappedFarApartAreNamedAtTheFirstSeqOutOfPlace() {
            List<AuditRecord> rows = rows();
            Collections.swap(rows, 6, 11);

            assertFailed(verify(rows), Problem.REORDERED, 7);
        }

        @Test
        void swappedByExchangingEverythingButTheSeqAreNamed() {
            // What swapping two rows looks like when the reader orders by seq.
            List<AuditRecord> rows = rows();
            rows.set(6, withSeq(at(8), 7));
            rows.set(7, withSeq(at(7), 8));

            assertFailed(verify(rows), Problem.REORDERED, 7);
        }

        @Test
        void movedLaterIsNamedAtItsSeq() {
            List<AuditRecord> rows = rows();
            rows.add(12, rows.remove(6));

            assertFailed(verify(rows), Problem.REORDERED, 7);
        }

        @Test
        void movedEarlierIsNamedWhereTheOrderBreaks() {
            List<AuditRecord> rows = rows();
            rows.add(6, rows.remove(14));

            assertFailed(verify(rows), Problem.REORDERED, 7);
        }
    }

    @Nested
    class ATruncatedTail {

        @Test
        void isNamedAtTheFirstMissingSeqWhenALaterCheckpointVouchesForIt() {
            List<AuditRecord> rows = new ArrayList<>(genuine.subList(0, 15));

            assertFailed(verify(rows), Problem.TRUNCATED, 16);
        }

        @Test
        void cutRightAfterACheckpointIsNamedWhenALaterCheckpointSurvives() {
            List<AuditRecord> rows = new ArrayList<>(genuine.subList(0, 10));

            assertFailed(verify(rows), Problem.TRUNCATED, 11);
        }

        @Test
        void cutToNothingIsNamed() {
            assertFailed(verify(List.of()), Problem.TRUNCATED, 1);
        }

        @Test
        void cutAndRegrownByTheServerIsNamedAtTheCheckpointThatNoLongerMatches() {
            List<AuditRecord> rows = new ArrayList<>(genuine.subList(0, 15));
            rows.addAll(TestChains.chain(CHAIN_KEY, NS, 16, 10, at(15).link(), "regrown"));

            assertFailed(verify(rows), Problem.TRUNCATED, 20);
        }

        @Test
        void cutAfterTheLastCheckpointIsOutOfReachAndTheResultSaysWhereProtectionEnds() {
            // The limit of checkpointing: records after the last checkpoint can be cut without a
            // trace in the records or the checkpoints. Ok names the last checkpoint, so callers
            // can report how many records are not yet covered.
            List<Checkpoint> onlyFirst = checkpoints.subList(0, 1);

            assertThat(verify(genuine.subList(0, 15), onlyFirst)).isEqualTo(new Ok(15, 15, onlyFirst.get(0)));
        }
    }

    @Nested
    class Checkpoints {

        @Test
        void withAFlippedSignatureBitAreNamed() {
            List<Checkpoint> cps = new ArrayList<>(checkpoints);
            Checkpoint cp = cps.get(0);
            cps.set(0, new Checkpoint(cp.chain(), cp.seq(), cp.hash(), cp.digest(), cp.time(), flipLastBit(cp.signature())));

            assertFailed(verify(genuine, cps), Problem.BAD_CHECKPOINT_SIGNATURE, 10);
        }

        @Test
        void whoseHashWasRewrittenAreNamedAsBadlySigned() {
            List<Checkpoint> cps = new ArrayList<>(checkpoints);
            Checkpoint cp = cps.get(1);
            cps.set(1, new Checkpoint(cp.chain(), cp.seq(), at(15).hash(), cp.digest(), cp.time(), cp.signature()));

            assertFailed(verify(genuine, cps), Problem.BAD_CHECKPOINT_SIGNATURE, 20);
        }

        @Test
        void signedWithAnotherKeyAreNamed() {
            List<Checkpoint> cps = new ArrayList<>(checkpoints);
            cps.add(checkpoint(CheckpointSigner.generate(), at(15)));

            assertFailed(verify(genuine, cps), Problem.BAD_CHECKPOINT_SIGNATURE, 15);
        }

        @Test
        void forgedPastTheEndAreNamedButProveNoTruncation() {
            List<Checkpoint> cps = new ArrayList<>(checkpoints);
            cps.add(new Checkpoint(NS, 30, at(20).hash(), at(20).digest(), 1L, "00".repeat(64)));

            assertFailed(verify(genuine, cps), Problem.BAD_CHECKPOINT_SIGNATURE, 30);
        }

        @Test
        void needAKey() {
            assertThatThrownBy(() -> ChainVerifier.forChain(NS, CHAIN_KEY).withCheckpoints(checkpoints))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> ChainVerifier.forChain(NS, CHAIN_KEY).startingAt(checkpoints.get(0)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class APrunedChain {

        private final Checkpoint anchor = checkpoints.get(0);

        private Result verifyPruned(List<AuditRecord> records) {
            return ChainVerifier.forChain(NS, CHAIN_KEY, PUBLIC).withCheckpoints(checkpoints).startingAt(anchor).verify(records);
        }

        @Test
        void verifiesFromItsAnchor() {
            assertThat(verifyPruned(genuine.subList(10, 20))).isEqualTo(new Ok(10, 20, checkpoints.get(1)));
        }

        @Test
        void withNothingAfterTheAnchorVerifies() {
            Result r = ChainVerifier.forChain(NS, CHAIN_KEY, PUBLIC).startingAt(anchor).verify(List.of());

            assertThat(r).isEqualTo(new Ok(0, 10, anchor));
        }

        @Test
        void whoseFirstRecordIsMissingIsNamed() {
            assertFailed(verifyPruned(genuine.subList(11, 20)), Problem.DELETED, 11);
        }

        @Test
        void whoseFirstRecordDoesNotLinkToTheAnchorIsNamed() {
            List<AuditRecord> rows = new ArrayList<>(genuine.subList(10, 20));
            rows.set(0, withPrevHash(at(11), at(9).hash()));

            assertFailed(verifyPruned(rows), Problem.MODIFIED, 11);
        }

        @Test
        void withARecordLeftBeforeTheAnchorIsNamed() {
            assertFailed(verifyPruned(genuine.subList(9, 20)), Problem.INSERTED, 10);
        }

        @Test
        void withAForgedAnchorIsNamed() {
            Checkpoint forged = new Checkpoint(NS, 10, at(10).hash(), at(10).digest(), anchor.time(), flipLastBit(anchor.signature()));
            Result r = ChainVerifier.forChain(NS, CHAIN_KEY, PUBLIC).startingAt(forged).verify(genuine.subList(10, 20));

            assertFailed(r, Problem.BAD_CHECKPOINT_SIGNATURE, 10);
        }

        @Test
        void contradictedByAnotherSignedCheckpointIsNamed() {
            List<Checkpoint> cps = new ArrayList<>(checkpoints);
            cps.add(SIGNER.sign(NS, 10, at(9).link(), anchor.time() + 1));

            Result r = ChainVerifier.forChain(NS, CHAIN_KEY, PUBLIC).withCheckpoints(cps).startingAt(anchor)
                    .verify(genuine.subList(10, 20));

            assertFailed(r, Problem.TRUNCATED, 10);
        }

        /** Records 11..20 after the anchor at 10, record 11 being the cut's own audit.prune record naming {@code anchorSeq}. */
        private List<AuditRecord> afterACut(String details) {
            List<AuditRecord> out = new ArrayList<>();
            Chain.Link prev = anchor.link();
            for (long seq = 11; seq <= 20; seq++) {
                AuditRecord d = TestChains.draft(NS, seq);
                if (seq == 11) {
                    d = new AuditRecord(NS, seq, d.time(), "system", "retention", null, "audit.prune", "AuditChain", NS, NS,
                            "success", null, null, details);
                }
                AuditRecord sealed = CHAIN_KEY.seal(d, prev);
                out.add(sealed);
                prev = sealed.link();
            }
            return out;
        }

        private Result verifyRetentionCut(List<AuditRecord> records) {
            return ChainVerifier.forChain(NS, CHAIN_KEY, PUBLIC).startingAtRetentionAnchor(anchor).verify(records);
        }

        @Test
        void cutByRetentionVerifiesWithTheCutsOwnRecord() {
            Result r = verifyRetentionCut(afterACut("{\"anchorSeq\":10,\"eventsRemoved\":10,\"retentionDays\":30}"));

            assertThat(r).isInstanceOf(Ok.class);
        }

        @Test
        void cutWithoutAnAuditPruneRecordIsADeletionAtTheAnchor() {
            // The rogue DBA copied a genuine checkpoint into the anchors table and deleted what lay before it.
            assertFailed(verifyRetentionCut(genuine.subList(10, 20)), Problem.DELETED, 10);
        }

        @Test
        void cutWhosePruneRecordNamesAnotherAnchorIsADeletionAtTheAnchor() {
            assertFailed(verifyRetentionCut(afterACut("{\"anchorSeq\":100,\"eventsRemoved\":10}")), Problem.DELETED, 10);
            assertFailed(verifyRetentionCut(afterACut("{\"anchorSeq\":1,\"eventsRemoved\":10}")), Problem.DELETED, 10);
        }

        @Test
        void refusesAnAnchorOfAnotherChain() {
            Checkpoint ops = checkpoint(SIGNER, chain("ops", 10).get(9));

            assertThatThrownBy(() -> ChainVerifier.forChain(NS, CHAIN_KEY, PUBLIC).startingAt(ops))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theFirstProblemMetIsTheOneReported() {
        List<AuditRecord> rows = rows();
        rows.remove(14);
        rows.set(2, withDetails(at(3), "{}"));

        assertFailed(verify(rows), Problem.MODIFIED, 3);
    }

    @Test
    void aForgedRecordAppendedAtTheTailIsReportedAsModified() {
        // Nothing after it, and no checkpoint, tells a forged last record from an altered one;
        // both are "not what the server wrote at this seq".
        List<AuditRecord> rows = rows();
        rows.add(forged(21, at(20).link()));

        assertFailed(verify(rows), Problem.MODIFIED, 21);
    }

    @Test
    void copyingTheRecordsOfAnotherChainWholesaleFails() {
        List<AuditRecord> ops = chain("ops", 20);

        assertFailed(verify(ops, List.of()), Problem.INSERTED, 1);
    }

    /** A record whose fields were changed and whose digest was recomputed: all the public link lets anyone do. */
    private static AuditRecord redigested(AuditRecord r, String details, Chain.Link prev) {
        AuditRecord edited = new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(),
                r.action(), r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(),
                r.clientAddress(), details, prev.hash(), r.hash(), prev.digest(), null);
        byte[] digest;
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(java.util.HexFormat.of().parseHex(prev.digest()));
            sha.update(java.util.HexFormat.of().parseHex(r.hash()));
            sha.update(CanonicalForm.of(edited));
            digest = sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return TestChains.withDigest(edited, java.util.HexFormat.of().formatHex(digest));
    }

    /**
     * Offline, with only the public key: an auditor holding an export and the published
     * checkpoints, but not the chain key. The attacker edits the export.
     */
    @Nested
    class WithOnlyThePublicKey {

        private Result verifyPublic(List<AuditRecord> records) {
            return ChainVerifier.publicOnly(NS, PUBLIC).withCheckpoints(checkpoints).verify(records);
        }

        @Test
        void anUntouchedExportVerifiesUpToItsLastCheckpoint() {
            assertThat(verifyPublic(genuine)).isEqualTo(new Ok(20, 20, checkpoints.get(1)));
        }

        @Test
        void anEditedFieldIsNamed() {
            List<AuditRecord> rows = rows();
            rows.set(6, withDetails(at(7), "{\"n\":7,\"edited\":true}"));

            assertFailed(verifyPublic(rows), Problem.MODIFIED, 7);
        }

        @Test
        void anEditWithItsDigestRecomputedBreaksTheLinkToTheNextRecord() {
            List<AuditRecord> rows = rows();
            rows.set(6, redigested(at(7), "{}", at(6).link()));

            // Anyone can recompute a digest, so record 7 looks sound on its own; record 8 still
            // names the old one. The break is where the evidence is.
            assertFailed(verifyPublic(rows), Problem.MODIFIED, 8);
        }

        @Test
        void anEditWithEveryLaterDigestRecomputedIsCaughtByTheSignedCheckpoint() {
            List<AuditRecord> rows = rows();
            Chain.Link prev = at(6).link();
            for (int seq = 7; seq <= 20; seq++) {
                AuditRecord r = redigested(at(seq), seq == 7 ? "{}" : at(seq).details(), prev);
                rows.set(seq - 1, r);
                prev = r.link();
            }

            assertFailed(verifyPublic(rows), Problem.MODIFIED, 10);
        }

        @Test
        void aDeletedRecordIsNamed() {
            List<AuditRecord> rows = rows();
            rows.remove(6);

            assertFailed(verifyPublic(rows), Problem.DELETED, 7);
        }

        @Test
        void swappedRecordsAreNamed() {
            List<AuditRecord> rows = rows();
            Collections.swap(rows, 6, 7);

            assertFailed(verifyPublic(rows), Problem.REORDERED, 7);
        }

        @Test
        void aCutTailIsNamedByTheCheckpointThatVouchesForIt() {
            assertFailed(verifyPublic(genuine.subList(0, 15)), Problem.TRUNCATED, 16);
        }

        @Test
        void aCheckpointSignedWithAnotherKeyIsNamed() {
            List<Checkpoint> cps = new ArrayList<>(checkpoints);
            cps.add(checkpoint(CheckpointSigner.generate(), at(15)));

            assertFailed(ChainVerifier.publicOnly(NS, PUBLIC).withCheckpoints(cps).verify(genuine),
                    Problem.BAD_CHECKPOINT_SIGNATURE, 15);
        }
    }

    @Test
    void theKeyedVerifierAlsoHoldsTheDigestsToAccount() {
        // A DBA who leaves the keyed hash alone but rewrites digests would fool no one offline
        // either; verify on the server names it at once.
        List<AuditRecord> rows = rows();
        rows.set(6, TestChains.withDigest(at(7), flipLastBit(at(7).digest())));

        assertFailed(verify(rows), Problem.MODIFIED, 7);
    }
}
