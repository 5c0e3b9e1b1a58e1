package io.warden.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void aTokenIsThePrefixAnd43Base64UrlCharacters() {
        String token = Tokens.newToken("wdn_");

        assertThat(token).hasSize(4 + 43).startsWith("wdn_").matches("wdn_[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token.substring(4))).hasSize(32);
    }

    @Test
    void anEmptyPrefixGivesTheBareRandomPart() {
        assertThat(Tokens.newToken("")).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void prefixesThatCouldConfuseParsingAreRefused() {
        assertThatThrownBy(() -> Tokens.newToken("wdn.")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tokens.newToken("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Tokens.newToken(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theSetupTokenCarriesItsOwnPrefixAnd256Bits() {
        String token = Tokens.newSetupToken();

        assertThat(token).matches("wds_[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token.substring(Tokens.SETUP_PREFIX.length()))).hasSize(32);
    }

    @Test
    void tenThousandDrawsAreAllDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(Tokens.newToken("wdn_"));
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void drawsUseTheWholeAlphabet() {
        // 10,000 * 43 characters: each of the 64 symbols is all but certain to appear.
        Set<Character> symbols = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            for (char c : Tokens.newToken("").toCharArray()) {
                symbols.add(c);
            }
        }
        assertThat(symbols).hasSize(64);
    }

    @Test
    void sha256HexMatchesKnownVectors() {
        // FIPS 180-2 appendix B.1, and the empty string.
        assertThat(Tokens.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Tokens.sha256Hex(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void sha256HexHashesUtf8() {
        // "é" is c3 a9 in UTF-8.
        assertThat(Tokens.sha256Hex("é")).isEqualTo(Tokens.sha256Hex(new String(new byte[] {(byte) 0xc3, (byte) 0xa9},
                java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(Tokens.sha256Hex("é")).isNotEqualTo(Tokens.sha256Hex("e"));
    }

    @Test
    void constantTimeEqualsIsPlainEqualityAndFalseOnNull() {
        assertThat(Tokens.constantTimeEquals("wdn_abc", "wdn_abc")).isTrue();
        assertThat(Tokens.constantTimeEquals("", "")).isTrue();
        assertThat(Tokens.constantTimeEquals("wdn_abc", "wdn_abd")).isFalse();
        assertThat(Tokens.constantTimeEquals("wdn_abc", "wdn_ab")).isFalse();
        assertThat(Tokens.constantTimeEquals("wdn_ab", "wdn_abc")).isFalse();
        assertThat(Tokens.constantTimeEquals("abc", "ABC")).isFalse();
        assertThat(Tokens.constantTimeEquals("", "a")).isFalse();
        assertThat(Tokens.constantTimeEquals(null, "a")).isFalse();
        assertThat(Tokens.constantTimeEquals("a", null)).isFalse();
        assertThat(Tokens.constantTimeEquals(null, null)).isFalse();
    }
}
