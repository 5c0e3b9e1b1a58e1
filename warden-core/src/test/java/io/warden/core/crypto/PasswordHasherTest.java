package io.warden.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.core.crypto.PasswordHasher.Params;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    // Small enough that the tamper sweep (hundreds of verifies) stays well under a second.
    private static final Params FAST = new Params(64, 1, 1);
    private static final PasswordHasher HASHER = PasswordHasher.forTesting(FAST);
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @Test
    void argon2idMatchesTheRfc9106TestVector() {
        // RFC 9106 section 5.3.
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] ad = filled(12, 0x04);

        byte[] tag = PasswordHasher.argon2id(password, salt, secret, ad, new Params(32, 3, 4), 32);

        assertThat(HexFormat.ofDelimiter(" ").formatHex(tag)).isEqualTo(
                "0d 64 0d f5 8d 78 76 6c 08 c0 37 a3 4a 8b 53 c9 d0 1e f0 45 2d 75 b6 5e b5 25 20 e9 6b 01 e6 59");
    }

    @Test
    void encodesExactlyLikeTheReferenceImplementation() {
        // From the reference implementation's test suite (src/test.c): password "password",
        // salt "somesalt", m=256, t=2, p=1.
        String reference = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
        Params params = new Params(256, 2, 1);
        byte[] salt = "somesalt".getBytes(StandardCharsets.UTF_8);

        byte[] hash = PasswordHasher.argon2id("password".getBytes(StandardCharsets.UTF_8), salt, null, null, params, 32);

        assertThat(new PhcString(params, salt, hash).encode()).isEqualTo(reference);
        assertThat(HASHER.verify("password".toCharArray(), reference)).isTrue();
        assertThat(HASHER.verify("passwore".toCharArray(), reference)).isFalse();
    }

    @Test
    void hashPrintsThePhcFormatWithTheInjectedSalt() {
        SecureRandom fixed = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 0x02);
            }
        };
        String phc = PasswordHasher.forTesting(new Params(256, 2, 1), fixed).hash(PASSWORD);

        assertThat(phc).startsWith("$argon2id$v=19$m=256,t=2,p=1$AgICAgICAgICAgICAgICAg$")
                .matches("\\$argon2id\\$v=19\\$m=256,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void defaultsRoundTripAtProductionCost() {
        PasswordHasher hasher = PasswordHasher.defaults();

        String phc = hasher.hash(PASSWORD);

        assertThat(phc).startsWith("$argon2id$v=19$m=65536,t=3,p=1$");
        assertThat(hasher.verify(PASSWORD, phc)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler".toCharArray(), phc)).isFalse();
        assertThat(hasher.needsRehash(phc)).isFalse();
    }

    @Test
    void roundTrip() {
        String phc = HASHER.hash(PASSWORD);

        assertThat(HASHER.verify(PASSWORD, phc)).isTrue();
        assertThat(HASHER.verify(PASSWORD.clone(), phc)).isTrue();
    }

    @Test
    void wrongPasswordIsRefused() {
        String phc = HASHER.hash(PASSWORD);

        assertThat(HASHER.verify("Correct horse battery staple".toCharArray(), phc)).isFalse();
        assertThat(HASHER.verify(new char[0], phc)).isFalse();
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8() {
        char[] password = "pässwörd 🔐 ключ".toCharArray();
        String phc = HASHER.hash(password);

        assertThat(HASHER.verify(password, phc)).isTrue();
        assertThat(HASHER.verify("passwörd 🔐 ключ".toCharArray(), phc)).isFalse();
    }

    @Test
    void anUnpairedSurrogateIsRefusedRatherThanReplaced() {
        // A lenient encoder would turn it into '?', so "a\uD800" and "a?" would share a hash.
        assertThatThrownBy(() -> HASHER.hash("a\uD800".toCharArray())).isInstanceOf(IllegalArgumentException.class);
        assertThat(HASHER.verify("a\uD800".toCharArray(), HASHER.hash("a?".toCharArray()))).isFalse();
    }

    @Test
    void twoHashesOfOnePasswordDiffer() {
        String first = HASHER.hash(PASSWORD);
        String second = HASHER.hash(PASSWORD);

        assertThat(first).isNotEqualTo(second);
        assertThat(salt(first)).isNotEqualTo(salt(second));
        assertThat(HASHER.verify(PASSWORD, first)).isTrue();
        assertThat(HASHER.verify(PASSWORD, second)).isTrue();
    }

    @Test
    void everySingleBitFlipOfThePhcStringIsRefusedWithoutThrowing() {
        String phc = HASHER.hash(PASSWORD);
        List<String> accepted = new ArrayList<>();

        for (int i = 0; i < phc.length(); i++) {
            for (int bit = 0; bit < 16; bit++) {
                char[] chars = phc.toCharArray();
                chars[i] ^= (char) (1 << bit);
                String tampered = new String(chars);
                if (HASHER.verify(PASSWORD, tampered)) {
                    accepted.add(tampered);
                }
            }
        }

        assertThat(accepted).isEmpty();
    }

    @Test
    void everySingleCharacterSubstitutionIsRefused() {
        // Includes the last character of salt and hash, whose low bits Base64 ignores.
        String phc = HASHER.hash(PASSWORD);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/$=,-_ ";
        List<String> accepted = new ArrayList<>();

        for (int i = 0; i < phc.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == phc.charAt(i)) {
                    continue;
                }
                String tampered = phc.substring(0, i) + c + phc.substring(i + 1);
                if (HASHER.verify(PASSWORD, tampered)) {
                    accepted.add(tampered);
                }
            }
        }

        assertThat(accepted).isEmpty();
    }

    @Test
    void otherAlgorithmsVersionsAndSpellingsAreRefused() {
        String phc = HASHER.hash(PASSWORD);

        assertThat(HASHER.verify(PASSWORD, phc.replace("$argon2id$", "$argon2i$"))).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc.replace("$argon2id$", "$argon2d$"))).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc.replace("$argon2id$", "$ARGON2ID$"))).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc.replace("$v=19$", "$v=16$"))).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc.replace("$v=19$", "$"))).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc.replace("m=64,", "m=064,"))).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc.replace("m=64,t=1,p=1", "t=1,m=64,p=1"))).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc + "=")).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc + "$")).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc + "\n")).isFalse();
        assertThat(HASHER.verify(PASSWORD, " " + phc)).isFalse();
        assertThat(HASHER.verify(PASSWORD, phc.substring(0, phc.length() - 1))).isFalse();
    }

    @Test
    void malformedStringsAreRefusedWithoutThrowing() {
        List<String> malformed = Arrays.asList(null, "", "$", "$$$$$", "password", "$argon2id$",
                "$argon2id$v=19$m=64,t=1,p=1$$",
                "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$",
                "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$!!!!",
                "$argon2id$v=19$m=0,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=64,t=0,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=64,t=1,p=0$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=64,t=1,p=9$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=9999999999,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=64,t=1000,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=64,t=1,p=1$c29t$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$nf65EOg",
                "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ=$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
                "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR_uIPnA4rEsF5h7TKyQwu9U1bMCHGi-4");

        for (String phc : malformed) {
            assertThat(HASHER.verify(PASSWORD, phc)).as(String.valueOf(phc)).isFalse();
            assertThat(HASHER.needsRehash(phc)).as(String.valueOf(phc)).isTrue();
        }
    }

    @Test
    void needsRehashWhenAnyCostIsBelowTheHashers() {
        PasswordHasher hasher = PasswordHasher.forTesting(new Params(256, 2, 2));
        byte[] salt = new byte[16];
        byte[] hash = new byte[32];

        assertThat(hasher.needsRehash(hasher.hash(PASSWORD))).isFalse();
        assertThat(hasher.needsRehash(new PhcString(new Params(256, 2, 2), salt, hash).encode())).isFalse();
        assertThat(hasher.needsRehash(new PhcString(new Params(512, 3, 4), salt, hash).encode())).isFalse();
        assertThat(hasher.needsRehash(new PhcString(new Params(128, 2, 2), salt, hash).encode())).isTrue();
        assertThat(hasher.needsRehash(new PhcString(new Params(256, 1, 2), salt, hash).encode())).isTrue();
        assertThat(hasher.needsRehash(new PhcString(new Params(256, 2, 1), salt, hash).encode())).isTrue();
        assertThat(hasher.needsRehash(new PhcString(new Params(256, 2, 2), new byte[8], hash).encode())).isTrue();
        assertThat(hasher.needsRehash(new PhcString(new Params(256, 2, 2), salt, new byte[16]).encode())).isTrue();
        assertThat(PasswordHasher.defaults().needsRehash(HASHER.hash(PASSWORD))).isTrue();
    }

    @Test
    void dummyVerifyAlwaysFails() {
        assertThat(HASHER.verifyAgainstDummy(PASSWORD)).isFalse();
        assertThat(HASHER.verifyAgainstDummy(new char[0])).isFalse();
    }

    @Test
    void productionFactoriesRefuseWeakParameters() {
        assertThatThrownBy(() -> PasswordHasher.withParams(new Params(65535, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.withParams(new Params(65536, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.withParams(FAST)).isInstanceOf(IllegalArgumentException.class);

        assertThat(PasswordHasher.withParams(new Params(131072, 4, 2)).params()).isEqualTo(new Params(131072, 4, 2));
        assertThat(PasswordHasher.defaults().params()).isEqualTo(new Params(65536, 3, 1));
    }

    @Test
    void paramsOutsideArgon2BoundsAreRefused() {
        assertThatThrownBy(() -> new Params(7, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Params(31, 1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Params(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Params(64, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Params((1 << 20) + 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String salt(String phc) {
        return phc.split("\\$")[4];
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
