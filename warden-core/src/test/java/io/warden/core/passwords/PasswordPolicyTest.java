package io.warden.core.passwords;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private static final PasswordPolicy POLICY = PasswordPolicy.standard();
    private static final String TOO_SHORT = "Use at least 12 characters.";
    private static final String TOO_LONG = "Use at most 1024 characters.";
    private static final String COMMON = "This is one of the 10,000 most common passwords; choose another.";
    private static final String USERNAME = "The password must not be the username.";

    @Test
    void aLongUncommonPassphraseIsAccepted() {
        assertThat(POLICY.problems("vellum-orbit-quiet-tundra-42", "alice")).isEmpty();
        assertThat(POLICY.problems("Kx9#mQ2!vL7@pR", "alice")).isEmpty();
    }

    @Test
    void aShortCommonPasswordFailsForLengthAndCommonness() {
        assertThat(POLICY.problems("password", "alice")).containsExactly(TOO_SHORT, COMMON);
        assertThat(POLICY.problems("123456", "alice")).containsExactly(TOO_SHORT, COMMON);
    }

    @Test
    void commonPasswordsOfTwelveCharactersOrMoreAreRefused() {
        // Entries of the bundled list that pass the length rule on their own.
        for (String common : List.of("123qweasdzxc", "1qaz2wsx3edc", "qwerty123456", "leavemealone", "motherfucker")) {
            assertThat(POLICY.problems(common, "alice")).as(common).containsExactly(COMMON);
        }
    }

    @Test
    void aCaseVariantOfACommonPasswordIsRefused() {
        assertThat(POLICY.problems("LeaveMeAlone", "alice")).containsExactly(COMMON);
        assertThat(POLICY.problems("QWERTY123456", "alice")).containsExactly(COMMON);
    }

    @Test
    void spacesAroundACommonPasswordMakeADifferentPassword() {
        // Compared exactly, not trimmed: the space is part of what gets hashed.
        assertThat(POLICY.problems(" leavemealone", "alice")).isEmpty();
    }

    @Test
    void thePasswordMustNotBeTheUsername() {
        assertThat(POLICY.problems("alice.liddell.1865", "alice.liddell.1865")).containsExactly(USERNAME);
        assertThat(POLICY.problems("Alice.Liddell.1865", "alice.LIDDELL.1865")).containsExactly(USERNAME);
        assertThat(POLICY.problems("alice.liddell.1865", null)).isEmpty();
    }

    @Test
    void lengthCountsCodePointsNotUtf16Units() {
        String emoji = "\uD83D\uDD10"; // one code point, two chars

        assertThat(POLICY.problems(emoji.repeat(12), "alice")).isEmpty();
        assertThat(POLICY.problems(emoji.repeat(11), "alice")).containsExactly(TOO_SHORT);
        assertThat(POLICY.problems(emoji.repeat(1024), "alice")).isEmpty();
        assertThat(POLICY.problems(emoji.repeat(1025), "alice")).containsExactly(TOO_LONG);
    }

    @Test
    void lengthBounds() {
        assertThat(POLICY.problems("zq8vw3nb5rk", "alice")).containsExactly(TOO_SHORT);
        assertThat(POLICY.problems("zq8vw3nb5rkt", "alice")).isEmpty();
        assertThat(POLICY.problems("z".repeat(1024), "alice")).isEmpty();
        assertThat(POLICY.problems("z".repeat(1025), "alice")).containsExactly(TOO_LONG);
    }

    @Test
    void aMissingPasswordIsAProblemNotACrash() {
        assertThat(POLICY.problems(null, "alice")).hasSize(1);
    }

    @Test
    void theMessagesNeverRepeatThePassword() {
        assertThat(POLICY.problems("leavemealone", "leavemealone")).noneMatch(m -> m.contains("leavemealone"));
    }

    @Test
    void theBundledListHasExactly10000DistinctNonEmptyLowerCaseEntries() throws IOException {
        List<String> lines = bundledList();

        assertThat(lines).hasSize(10_000);
        assertThat(new HashSet<>(lines)).hasSize(10_000);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line).isNotBlank().isEqualTo(line.strip()).isEqualTo(line.toLowerCase(Locale.ROOT));
        });
        assertThat(lines.subList(0, 2)).containsExactly("123456", "password");
    }

    @Test
    void everyBundledEntryIsRefused() throws IOException {
        assertThat(bundledList()).allSatisfy(common -> assertThat(POLICY.problems(common, null)).contains(COMMON));
    }

    private static List<String> bundledList() throws IOException {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords-10k.txt")) {
            assertThat(in).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).endsWith("\n").doesNotContain("\r");
            return text.lines().toList();
        }
    }
}
