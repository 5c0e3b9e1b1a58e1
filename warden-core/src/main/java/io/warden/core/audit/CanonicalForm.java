package io.warden.core.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The canonical bytes of audit records and checkpoints: what the chain's HMAC and the
 * checkpoint signature cover. Specified byte by byte in {@code docs/reference/audit.md} so that
 * a third party can re-implement it without Warden's code.
 *
 * <p>The encoding is deliberately not JSON: a magic line naming the format and its version,
 * then each field in a fixed order as {@code tag (1 byte) || length (4 bytes, big-endian,
 * 0xFFFFFFFF for null) || value}. Strings are UTF-8, numbers their decimal ASCII form, hashes
 * their 32 raw bytes. Length prefixes make the encoding injective (no two records share bytes,
 * whatever the fields contain) without escaping rules to get wrong.
 */
public final class CanonicalForm {

    /** First bytes of a record's canonical form: ASCII {@code warden-audit-v1} and a line feed. */
    static final byte[] RECORD_MAGIC = "warden-audit-v1\n".getBytes(StandardCharsets.US_ASCII);

    /** First bytes of a checkpoint's canonical form; differs from the record magic so one can never pass for the other. */
    static final byte[] CHECKPOINT_MAGIC = "warden-checkpoint-v1\n".getBytes(StandardCharsets.US_ASCII);

    /** The length written for a null field; no real value is that long (Java arrays stop at 2^31 - 1). */
    static final int NULL_LENGTH = 0xFFFFFFFF;

    // Record field tags, in the order they are written.
    static final byte CHAIN = 0x01;
    static final byte SEQ = 0x02;
    static final byte TIME = 0x03;
    static final byte ACTOR_KIND = 0x04;
    static final byte ACTOR_ID = 0x05;
    static final byte ACTOR_VIA = 0x06;
    static final byte ACTION = 0x07;
    static final byte TARGET_KIND = 0x08;
    static final byte TARGET_NAMESPACE = 0x09;
    static final byte TARGET_NAME = 0x0A;
    static final byte OUTCOME = 0x0B;
    static final byte REQUEST_ID = 0x0C;
    static final byte CLIENT_ADDRESS = 0x0D;
    static final byte DETAILS = 0x0E;

    // Checkpoint field tags.
    static final byte CHECKPOINT_CHAIN = 0x01;
    static final byte CHECKPOINT_SEQ = 0x02;
    static final byte CHECKPOINT_HASH = 0x03;
    static final byte CHECKPOINT_DIGEST = 0x04;
    static final byte CHECKPOINT_TIME = 0x05;

    private CanonicalForm() {}

    /**
     * The canonical bytes of a record: every field except {@code prevHash} and {@code hash}
     * (the chain puts {@code prevHash} in front of these bytes itself).
     *
     * @throws IllegalArgumentException if a string field is not well-formed Unicode (an unpaired
     *     surrogate has no UTF-8 form; replacing it, as {@link String#getBytes} would, could make
     *     two different records encode alike)
     */
    public static byte[] of(AuditRecord record) {
        Objects.requireNonNull(record, "record");
        Writer out = new Writer(RECORD_MAGIC, 256 + length(record.details()));
        out.string(CHAIN, "chain", record.chain());
        out.number(SEQ, record.seq());
        out.number(TIME, record.time());
        out.string(ACTOR_KIND, "actorKind", record.actorKind());
        out.string(ACTOR_ID, "actorId", record.actorId());
        out.string(ACTOR_VIA, "actorVia", record.actorVia());
        out.string(ACTION, "action", record.action());
        out.string(TARGET_KIND, "targetKind", record.targetKind());
        out.string(TARGET_NAMESPACE, "targetNamespace", record.targetNamespace());
        out.string(TARGET_NAME, "targetName", record.targetName());
        out.string(OUTCOME, "outcome", record.outcome());
        out.string(REQUEST_ID, "requestId", record.requestId());
        out.string(CLIENT_ADDRESS, "clientAddress", record.clientAddress());
        out.string(DETAILS, "details", record.details());
        return out.toByteArray();
    }

    /**
     * The bytes a checkpoint's signature covers: chain, seq, hash and digest (32 raw bytes each)
     * and time; not the signature itself.
     *
     * @throws IllegalArgumentException if the hash or digest is not 64 lower-case hex digits, or
     *     the chain name is not well-formed Unicode
     */
    public static byte[] of(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        byte[] hash = Hex.parse(checkpoint.hash(), Chain.HASH_BYTES);
        byte[] digest = Hex.parse(checkpoint.digest(), Chain.HASH_BYTES);
        if (hash == null || digest == null) {
            throw new IllegalArgumentException("checkpoint hash and digest must be 64 lower-case hex digits");
        }
        Writer out = new Writer(CHECKPOINT_MAGIC, 160);
        out.string(CHECKPOINT_CHAIN, "chain", checkpoint.chain());
        out.number(CHECKPOINT_SEQ, checkpoint.seq());
        out.field(CHECKPOINT_HASH, hash);
        out.field(CHECKPOINT_DIGEST, digest);
        out.number(CHECKPOINT_TIME, checkpoint.time());
        return out.toByteArray();
    }

    private static int length(String s) {
        return s == null ? 0 : Math.min(s.length() * 3, 1 << 20);
    }

    /** Strict UTF-8: refuses unpaired surrogates instead of replacing them with '?'. */
    static byte[] utf8(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return strictUtf8(field, value);
            }
        }
        return value.getBytes(StandardCharsets.UTF_8); // no surrogates: nothing can be replaced
    }

    private static byte[] strictUtf8(String field, String value) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + " is not well-formed Unicode (unpaired surrogate)", e);
        }
    }

    private static final class Writer {
        private final ByteArrayOutputStream out;

        Writer(byte[] magic, int sizeHint) {
            out = new ByteArrayOutputStream(sizeHint);
            out.writeBytes(magic);
        }

        void string(byte tag, String name, String value) {
            if (value == null) {
                out.write(tag);
                writeInt(NULL_LENGTH);
            } else {
                field(tag, utf8(name, value));
            }
        }

        void number(byte tag, long value) {
            field(tag, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        }

        void field(byte tag, byte[] value) {
            out.write(tag);
            writeInt(value.length);
            out.writeBytes(value);
        }

        private void writeInt(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
