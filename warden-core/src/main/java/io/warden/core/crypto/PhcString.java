package io.warden.core.crypto;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id PHC string, {@code $argon2id$v=19$m=<KiB>,t=<n>,p=<n>$<salt>$<hash>}, exactly
 * as the reference implementation encodes it.
 */
record PhcString(PasswordHasher.Params params, byte[] salt, byte[] hash) {

    // One canonical spelling only: decimal without leading zeros, fields in reference order,
    // v=19 required. Accepting variants would let a stored string change without changing
    // its meaning, which tamper tests could not tell from a real change.
    private static final Pattern FORMAT = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})"
                    + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    // The reference implementation refuses salts under 8 bytes; tags under 16 bytes are too
    // short to mean anything, and anything past 64 bytes is not a hash we would have written.
    private static final int MIN_SALT = 8;
    private static final int MIN_HASH = 16;
    private static final int MAX_BYTES = 64;

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    String encode() {
        return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** The parsed string, or empty when it is anything but a well-formed Argon2id v19 string. */
    static Optional<PhcString> parse(String phc) {
        if (phc == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(phc);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            PasswordHasher.Params params = new PasswordHasher.Params(
                    Math.toIntExact(Long.parseLong(m.group(1))),
                    Math.toIntExact(Long.parseLong(m.group(2))),
                    Math.toIntExact(Long.parseLong(m.group(3))));
            byte[] salt = decode(m.group(4));
            byte[] hash = decode(m.group(5));
            if (salt == null || hash == null
                    || salt.length < MIN_SALT || salt.length > MAX_BYTES
                    || hash.length < MIN_HASH || hash.length > MAX_BYTES) {
                return Optional.empty();
            }
            return Optional.of(new PhcString(params, salt, hash));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /**
     * Base64 without padding, canonical only: Java's decoder ignores the unused low bits of
     * the last character, so several spellings decode to the same bytes. Re-encoding and
     * comparing makes every changed character a changed (and so failing) string.
     */
    private static byte[] decode(String text) {
        byte[] bytes = DECODER.decode(text);
        return ENCODER.encodeToString(bytes).equals(text) ? bytes : null;
    }
}
