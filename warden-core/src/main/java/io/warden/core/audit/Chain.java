package io.warden.core.audit;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two links that chain records, under one chain key:
 * <ul>
 *   <li>{@code hash = HMAC-SHA256(chain key, prevHash || CanonicalForm.of(record))}, the keyed
 *       link, which only the key holder can compute or check;</li>
 *   <li>{@code digest = SHA-256(prevDigest || hash || CanonicalForm.of(record))}, the public
 *       link, which anyone can check and which signed checkpoints pin, so that an export can be
 *       verified with only the checkpoints' public key (docs/decisions/0004).</li>
 * </ul>
 * {@code prevHash} and {@code prevDigest} are the 32 raw bytes of the previous record's values,
 * 32 zero bytes ({@link #GENESIS}) for seq 1, or the anchor checkpoint's for a pruned chain.
 *
 * <p>The hash is keyed so that someone with write access to the database but not the key can
 * neither forge a record nor rewrite the records after the last signed checkpoint and recompute
 * their hashes. One key serves every chain: the chain name is part of the canonical bytes, so a
 * record cannot be replayed into another chain.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Chain {

    /** The previous hash (and digest) of a chain's first record: 32 zero bytes. */
    public static final String GENESIS_HASH = "0".repeat(64);

    /** Where a record sits in both links: its hash and its digest, 64 lower-case hex digits each. */
    public record Link(String hash, String digest) {}

    /** The previous link of a chain's first record. */
    public static final Link GENESIS = new Link(GENESIS_HASH, GENESIS_HASH);

    /** Chain keys are at least as long as the HMAC output (RFC 2104 section 3). */
    public static final int MIN_KEY_BYTES = 32;

    static final int HASH_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /**
     * A chain under {@code key} (the array is copied).
     *
     * @throws IllegalArgumentException if the key is shorter than {@link #MIN_KEY_BYTES}
     */
    public Chain(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a chain key needs at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /**
     * Seals a new record: {@code draft} with its previous link set and its hash and digest
     * computed. The draft's own link fields are ignored.
     *
     * @param prev the link of the chain's last record, or {@link #GENESIS} (or the anchor
     *     checkpoint's link) when {@code draft} is the first
     * @throws IllegalArgumentException if the draft lacks a chain, action or outcome, its seq is
     *     below 1, a field is not well-formed Unicode, or a previous value is not 64 lower-case
     *     hex digits
     */
    public AuditRecord seal(AuditRecord draft, Link prev) {
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(prev, "prev");
        require(draft.chain() != null, "a record needs a chain (\"\" for the cluster chain)");
        require(draft.seq() >= 1, "seq starts at 1");
        require(draft.action() != null, "a record needs an action");
        require(draft.outcome() != null, "a record needs an outcome");
        byte[] prevHash = Hex.parse(prev.hash(), HASH_BYTES);
        require(prevHash != null, "prevHash must be 64 lower-case hex digits");
        byte[] prevDigest = Hex.parse(prev.digest(), HASH_BYTES);
        require(prevDigest != null, "prevDigest must be 64 lower-case hex digits");
        byte[] canonical = CanonicalForm.of(draft);
        byte[] hash = digest(newMac(), prevHash, canonical);
        byte[] digest = sha256(prevDigest, hash, canonical);
        return draft.withLinks(prev, new Link(Hex.format(hash), Hex.format(digest)));
    }

    /**
     * Whether {@code record.digest()} is the SHA-256 of its stored {@code prevDigest}, stored
     * {@code hash} and content: the check that needs no key. Says nothing about the record's
     * place in its chain, and, since anyone can compute a digest, nothing about who wrote it:
     * only a signed checkpoint further on vouches for that. {@code false} for malformed values.
     */
    public static boolean hasValidDigest(AuditRecord record) {
        try {
            return digestMatches(record, CanonicalForm.of(record));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean digestMatches(AuditRecord record, byte[] canonical) {
        byte[] stored = Hex.parse(record.digest(), HASH_BYTES);
        byte[] prev = Hex.parse(record.prevDigest(), HASH_BYTES);
        byte[] hash = Hex.parse(record.hash(), HASH_BYTES);
        return stored != null && prev != null && hash != null
                && MessageDigest.isEqual(sha256(prev, hash, canonical), stored);
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha.update(part);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /**
     * Whether {@code record.hash()} is the HMAC of its content and stored {@code prevHash}, compared
     * in constant time, and its digest is right ({@link #hasValidDigest}). Says nothing about where the record sits in its chain: that is
     * {@link ChainVerifier}'s job. {@code false} for a record whose hashes are not 64 lower-case hex
     * digits or whose strings have no UTF-8 form.
     */
    public boolean isAuthentic(AuditRecord record) {
        return isAuthentic(record, newMac());
    }

    /**
     * Compares two stored hashes in time that does not depend on where they differ; {@code false}
     * when either is not 64 lower-case hex digits.
     */
    public static boolean hashesEqual(String a, String b) {
        byte[] x = Hex.parse(a, HASH_BYTES);
        byte[] y = Hex.parse(b, HASH_BYTES);
        return x != null && y != null && MessageDigest.isEqual(x, y);
    }

    /** Like {@link #isAuthentic(AuditRecord)} with a caller-owned Mac, so a verifier does not allocate one per record. */
    boolean isAuthentic(AuditRecord record, Mac mac) {
        byte[] stored = Hex.parse(record.hash(), HASH_BYTES);
        byte[] prev = Hex.parse(record.prevHash(), HASH_BYTES);
        if (stored == null || prev == null) {
            return false;
        }
        byte[] canonical;
        try {
            canonical = CanonicalForm.of(record);
        } catch (IllegalArgumentException e) {
            return false; // no canonical form, so the server cannot have sealed it
        }
        return MessageDigest.isEqual(digest(mac, prev, canonical), stored) && digestMatches(record, canonical);
    }

    /** A Mac initialised with the chain key; not thread-safe, so one per thread or per run. */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK provides HmacSHA256", e);
        }
    }

    /** HMAC-SHA256 of the concatenated parts under a raw key of any length: the chain's primitive, exposed for known-answer tests. */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return digest(mac, parts);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK provides HmacSHA256", e);
        }
    }

    private static byte[] digest(Mac mac, byte[]... parts) {
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal(); // also resets the Mac for its next use
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
