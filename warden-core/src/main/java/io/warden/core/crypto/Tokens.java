package io.warden.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Bearer tokens: drawing them, hashing them for storage, comparing them.
 *
 * <p>A token is a short readable prefix (so leaked tokens are recognisable by secret
 * scanners and by people) followed by 256 random bits as 43 characters of unpadded
 * base64url. Only {@link #sha256Hex(String)} of a token is ever stored.
 */
public final class Tokens {

    /** Prefix of the one-time setup token printed on first start. */
    public static final String SETUP_PREFIX = "wds_";

    private static final int RANDOM_BYTES = 32;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_]{0,32}");

    // Holds no application state: the JDK's SecureRandom is thread-safe and self-seeding,
    // and one shared instance avoids reseeding a new generator for every token.
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    /**
     * A new token: {@code prefix} followed by 43 base64url characters (32 random bytes).
     *
     * @param prefix up to 32 characters of {@code [A-Za-z0-9_]}, e.g. {@code wdn_}; may be empty
     */
    public static String newToken(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("token prefix must match " + PREFIX.pattern());
        }
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new one-time setup token: {@code wds_} and 256 random bits. */
    public static String newSetupToken() {
        return newToken(SETUP_PREFIX);
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes: the form a token is stored in. */
    public static String sha256Hex(String token) {
        Objects.requireNonNull(token, "token");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /**
     * Compares two strings in time that does not depend on where they differ. {@code false}
     * when either is null.
     */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
