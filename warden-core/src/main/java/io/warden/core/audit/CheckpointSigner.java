package io.warden.core.audit;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs and verifies {@link Checkpoint}s with Ed25519 (RFC 8032, pure, no context) over
 * {@link CanonicalForm#of(Checkpoint)}.
 *
 * <p>A signer made from a private key signs and verifies; one made from a public key only
 * verifies, which is all an auditor or the offline verifier needs. Keys travel as PEM:
 * PKCS#8 ({@code PRIVATE KEY}) and SubjectPublicKeyInfo ({@code PUBLIC KEY}), the forms
 * {@code openssl genpkey -algorithm ed25519} writes and {@code openssl pkey} reads.
 *
 * <p>Instances are immutable and thread-safe (a BouncyCastle signer is made per operation).
 */
public final class CheckpointSigner {

    static final int SIGNATURE_BYTES = 64;

    private final Ed25519PrivateKeyParameters privateKey; // null: verify only
    private final Ed25519PublicKeyParameters publicKey;

    private CheckpointSigner(Ed25519PrivateKeyParameters privateKey, Ed25519PublicKeyParameters publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A signer with a new random key pair. */
    public static CheckpointSigner generate() {
        return fromSeed(new Ed25519PrivateKeyParameters(new SecureRandom()).getEncoded());
    }

    /**
     * A signer for a PKCS#8 Ed25519 private key in PEM ({@code -----BEGIN PRIVATE KEY-----}).
     *
     * @throws IllegalArgumentException if the text holds no such key
     */
    public static CheckpointSigner fromPrivateKeyPem(String pem) {
        return fromSeed(Ed25519Pem.readPrivateKey(pem));
    }

    /**
     * A verifier for an Ed25519 SubjectPublicKeyInfo in PEM ({@code -----BEGIN PUBLIC KEY-----}).
     *
     * @throws IllegalArgumentException if the text holds no such key
     */
    public static CheckpointSigner fromPublicKeyPem(String pem) {
        return new CheckpointSigner(null, new Ed25519PublicKeyParameters(Ed25519Pem.readPublicKey(pem)));
    }

    /** The RFC 8032 "secret key": 32 bytes from which the key pair derives. */
    static CheckpointSigner fromSeed(byte[] seed) {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(seed);
        return new CheckpointSigner(key, key.generatePublicKey());
    }

    /** Whether this instance holds the private key. */
    public boolean canSign() {
        return privateKey != null;
    }

    /**
     * Signs that {@code chain} had the hash and digest of {@code link} at {@code seq}, at
     * {@code time}.
     *
     * @throws IllegalStateException if this instance only verifies
     * @throws IllegalArgumentException if the hash or digest is not 64 lower-case hex digits or
     *     {@code seq} is below 1
     */
    public Checkpoint sign(String chain, long seq, Chain.Link link, long time) {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(link, "link");
        if (seq < 1) {
            throw new IllegalArgumentException("a checkpoint names a record: seq starts at 1");
        }
        Checkpoint unsigned = new Checkpoint(chain, seq, link.hash(), link.digest(), time, null);
        byte[] signature = sign(CanonicalForm.of(unsigned));
        return new Checkpoint(chain, seq, link.hash(), link.digest(), time, Hex.format(signature));
    }

    /**
     * Whether the checkpoint's signature is valid under this public key. {@code false}, never an
     * exception, for a checkpoint whose hash or signature is malformed.
     */
    public boolean verify(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        byte[] signature = Hex.parse(checkpoint.signature(), SIGNATURE_BYTES);
        if (signature == null) {
            return false;
        }
        byte[] message;
        try {
            message = CanonicalForm.of(checkpoint);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return verify(message, signature);
    }

    /** The public key as a SubjectPublicKeyInfo PEM block. */
    public String publicKeyPem() {
        return Ed25519Pem.publicKey(publicKey.getEncoded());
    }

    /**
     * The private key as a PKCS#8 PEM block, for writing the key file.
     *
     * @throws IllegalStateException if this instance only verifies
     */
    public String privateKeyPem() {
        return Ed25519Pem.privateKey(requirePrivateKey().getEncoded());
    }

    /** The 32 raw public key bytes (RFC 8032 encoding). */
    byte[] publicKeyBytes() {
        return publicKey.getEncoded();
    }

    /** Ed25519 over raw bytes: the path {@link #sign(String, long, Chain.Link, long)} takes, exposed for known-answer tests. */
    byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, requirePrivateKey());
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    boolean verify(byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private Ed25519PrivateKeyParameters requirePrivateKey() {
        if (privateKey == null) {
            throw new IllegalStateException("this checkpoint key was loaded from a public key: it can only verify");
        }
        return privateKey;
    }
}
