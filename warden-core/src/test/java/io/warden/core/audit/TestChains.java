package io.warden.core.audit;

import java.util.ArrayList;
import java.util.List;

/** Builds genuine chains and checkpoints for tests, and the tampered copies a rogue DBA would leave. */
final class TestChains {

    static final byte[] KEY = bytes(0x40, 32);
    static final Chain CHAIN_KEY = new Chain(KEY);
    static final long T0 = 1_767_225_600_000L;

    private TestChains() {}

    static byte[] bytes(int first, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    static AuditRecord draft(String chain, long seq) {
        return new AuditRecord(chain, seq, T0 + seq * 1000, "user", "alice", "session", "resource.update",
                "Tool", chain, "tool-" + seq, "success", "req-" + seq, "10.0.0.1", "{\"n\":" + seq + "}");
    }

    /** A genuine chain of {@code n} records, sealed under {@code key}, continuing from {@code prevHash} at {@code firstSeq}. */
    static List<AuditRecord> chain(Chain key, String chain, long firstSeq, int n, Chain.Link prevLink, String salt) {
        List<AuditRecord> records = new ArrayList<>(n);
        Chain.Link prev = prevLink;
        for (long seq = firstSeq; seq < firstSeq + n; seq++) {
            AuditRecord d = draft(chain, seq);
            AuditRecord sealed = key.seal(withDetails(d, "{\"n\":" + seq + ",\"salt\":\"" + salt + "\"}"), prev);
            records.add(sealed);
            prev = sealed.link();
        }
        return records;
    }

    static List<AuditRecord> chain(String chain, int n) {
        return chain(CHAIN_KEY, chain, 1, n, Chain.GENESIS, "");
    }

    static Checkpoint checkpoint(CheckpointSigner signer, AuditRecord r) {
        return signer.sign(r.chain(), r.seq(), r.link(), r.time() + 500);
    }

    static List<Checkpoint> checkpointsEvery(CheckpointSigner signer, List<AuditRecord> records, int every) {
        List<Checkpoint> cps = new ArrayList<>();
        for (AuditRecord r : records) {
            if (r.seq() % every == 0) {
                cps.add(checkpoint(signer, r));
            }
        }
        return cps;
    }

    static AuditRecord copy(AuditRecord r, String chain, long seq, String details, String prevHash, String hash) {
        return new AuditRecord(chain, seq, r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(),
                r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(),
                details, prevHash, hash, r.prevDigest(), r.digest());
    }

    static AuditRecord withPrevDigest(AuditRecord r, String prevDigest) {
        return new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(),
                r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(),
                r.details(), r.prevHash(), r.hash(), prevDigest, r.digest());
    }

    static AuditRecord withDigest(AuditRecord r, String digest) {
        return new AuditRecord(r.chain(), r.seq(), r.time(), r.actorKind(), r.actorId(), r.actorVia(), r.action(),
                r.targetKind(), r.targetNamespace(), r.targetName(), r.outcome(), r.requestId(), r.clientAddress(),
                r.details(), r.prevHash(), r.hash(), r.prevDigest(), digest);
    }

    static AuditRecord withDetails(AuditRecord r, String details) {
        return copy(r, r.chain(), r.seq(), details, r.prevHash(), r.hash());
    }

    static AuditRecord withSeq(AuditRecord r, long seq) {
        return copy(r, r.chain(), seq, r.details(), r.prevHash(), r.hash());
    }

    static AuditRecord withChain(AuditRecord r, String chain) {
        return copy(r, chain, r.seq(), r.details(), r.prevHash(), r.hash());
    }

    static AuditRecord withPrevHash(AuditRecord r, String prevHash) {
        return copy(r, r.chain(), r.seq(), r.details(), prevHash, r.hash());
    }

    static AuditRecord withHash(AuditRecord r, String hash) {
        return copy(r, r.chain(), r.seq(), r.details(), r.prevHash(), hash);
    }

    /** {@code hex} with one bit of its last digit flipped. */
    static String flipLastBit(String hex) {
        char last = hex.charAt(hex.length() - 1);
        char flipped = Character.forDigit(Character.digit(last, 16) ^ 1, 16);
        return hex.substring(0, hex.length() - 1) + flipped;
    }
}
