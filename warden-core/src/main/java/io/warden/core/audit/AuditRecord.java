package io.warden.core.audit;

/**
 * One event of the audit ledger exactly as stored: the row of the events table and the line of
 * an export.
 *
 * <p>The record does not validate its fields, on purpose: it must be able to carry whatever a
 * rogue database administrator or an edited export put there, so that {@link ChainVerifier} can
 * name the damage instead of failing to load it. {@link Chain#seal} checks what a new record
 * needs.
 *
 * @param chain the chain the event belongs to: a namespace name, or {@link #CLUSTER_CHAIN}
 * @param seq position in the chain, from 1, contiguous per chain
 * @param time when the event was recorded, milliseconds since the Unix epoch
 * @param actorKind what kind of principal acted (for example {@code user}, {@code agent});
 *     nullable
 * @param actorId who acted; nullable
 * @param actorVia which credential the actor used (session, token id, ...); nullable
 * @param action what was done, for example {@code resource.update}
 * @param targetKind kind of the object acted on; nullable
 * @param targetNamespace namespace of the object acted on; nullable
 * @param targetName name of the object acted on; nullable
 * @param outcome how it ended, for example {@code success} or {@code denied}
 * @param requestId the request the event was recorded for; nullable
 * @param clientAddress the client's address; nullable
 * @param details JSON text exactly as stored; the chain covers these exact characters, so
 *     nobody ever has to re-canonicalize JSON; nullable
 * @param prevHash {@link #hash} of the previous record of the chain, 64 lower-case hex digits
 *     ({@link Chain#GENESIS_HASH} for seq 1)
 * @param hash {@code HMAC-SHA256(chain key, prevHash || canonical bytes)}, 64 lower-case hex
 *     digits
 * @param prevDigest {@link #digest} of the previous record ({@link Chain#GENESIS_HASH} for seq 1)
 * @param digest {@code SHA-256(prevDigest || hash || canonical bytes)}: the unkeyed link that
 *     lets anyone holding only the checkpoints' public key verify an export
 */
public record AuditRecord(
        String chain,
        long seq,
        long time,
        String actorKind,
        String actorId,
        String actorVia,
        String action,
        String targetKind,
        String targetNamespace,
        String targetName,
        String outcome,
        String requestId,
        String clientAddress,
        String details,
        String prevHash,
        String hash,
        String prevDigest,
        String digest) {

    /** A record without its links: a draft for {@link Chain#seal}, or a test's raw material. */
    public AuditRecord(String chain, long seq, long time, String actorKind, String actorId, String actorVia,
            String action, String targetKind, String targetNamespace, String targetName, String outcome,
            String requestId, String clientAddress, String details) {
        this(chain, seq, time, actorKind, actorId, actorVia, action, targetKind, targetNamespace, targetName,
                outcome, requestId, clientAddress, details, null, null, null, null);
    }

    /** The name of the chain of cluster-level events (events outside any namespace). */
    public static final String CLUSTER_CHAIN = "";

    /** The record's position in both links: what the next record must name as its previous. */
    public Chain.Link link() {
        return new Chain.Link(hash, digest);
    }

    /** This record with its link fields replaced: what sealing produces. */
    AuditRecord withLinks(Chain.Link prev, Chain.Link own) {
        return new AuditRecord(chain, seq, time, actorKind, actorId, actorVia, action, targetKind,
                targetNamespace, targetName, outcome, requestId, clientAddress, details, prev.hash(), own.hash(),
                prev.digest(), own.digest());
    }
}
