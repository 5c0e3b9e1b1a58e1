package io.warden.core.audit;

import java.util.HexFormat;

/**
 * Strict lower-case hex, the only form hashes and signatures are stored in.
 *
 * <p>Strict on purpose: {@link HexFormat#parseHex} also accepts upper case, and a verifier that
 * accepted two spellings of one hash would let stored bytes change without detection.
 */
final class Hex {

    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {}

    static String format(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }

    /** The bytes of {@code hex}, or {@code null} unless it is exactly {@code 2 * length} digits {@code [0-9a-f]}. */
    static byte[] parse(String hex, int length) {
        if (hex == null || hex.length() != 2 * length) {
            return null;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return LOWER.parseHex(hex);
    }
}
