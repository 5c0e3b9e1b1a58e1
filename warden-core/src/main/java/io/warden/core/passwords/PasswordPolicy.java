package io.warden.core.passwords;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must satisfy: 12 to 1024 characters (Unicode code points, so an emoji
 * counts once), not one of the 10,000 most common passwords in any letter case, and not the
 * username. Length rules follow NIST SP 800-63B: no composition rules, a blocklist instead.
 */
public final class PasswordPolicy {

    /** Fewest code points a password may have. */
    public static final int MIN_LENGTH = 12;
    /** Most code points a password may have; bounds the work a hash request can cause. */
    public static final int MAX_LENGTH = 1024;

    private static final PasswordPolicy STANDARD = new PasswordPolicy(CommonPasswords.load());

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = common;
    }

    /** The policy, with the common-password list loaded once for the whole process. */
    public static PasswordPolicy standard() {
        return STANDARD;
    }

    /**
     * Everything wrong with a proposed password, as messages fit to show the person choosing
     * it; empty when it is acceptable. The messages never repeat the password.
     *
     * @param username the account's name, or null when there is none yet
     */
    public List<String> problems(String password, String username) {
        if (password == null) {
            return List.of("A password is required.");
        }
        List<String> problems = new ArrayList<>();
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            problems.add("Use at least " + MIN_LENGTH + " characters.");
        }
        if (length > MAX_LENGTH) {
            problems.add("Use at most " + MAX_LENGTH + " characters.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(password) || common.contains(lower)) {
            problems.add("This is one of the 10,000 most common passwords; choose another.");
        }
        if (username != null && !username.isEmpty() && lower.equals(username.toLowerCase(Locale.ROOT))) {
            problems.add("The password must not be the username.");
        }
        return List.copyOf(problems);
    }
}
