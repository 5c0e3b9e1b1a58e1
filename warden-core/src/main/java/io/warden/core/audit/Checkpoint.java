package io.warden.core.audit;

/**
 * A signed statement that chain {@code chain} had hash {@code hash} at sequence {@code seq}, made
 * at {@code time}. Signatures are Ed25519 over {@link CanonicalForm#of(Checkpoint)}; see
 * {@link CheckpointSigner}. Like {@link AuditRecord}, the record does not validate its fields:
 * it carries whatever was stored, and verification judges it.
 *
 * @param chain the chain's name ({@link AuditRecord#CLUSTER_CHAIN} for cluster events)
 * @param seq the sequence the checkpoint vouches for
 * @param hash the hash of the record at {@code seq}, 64 lower-case hex digits
 * @param digest the digest of the record at {@code seq} (the unkeyed link), 64 lower-case hex
 *     digits
 * @param time when the checkpoint was signed, milliseconds since the Unix epoch
 * @param signature the Ed25519 signature, 128 lower-case hex digits
 */
public record Checkpoint(String chain, long seq, String hash, String digest, long time, String signature) {

    /** The position this checkpoint vouches for, in both links. */
    public Chain.Link link() {
        return new Chain.Link(hash, digest);
    }
}
