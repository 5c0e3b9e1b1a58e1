package io.warden.cli;

/** Small string helpers for terminal output. */
final class Text {

    private Text() {
    }

    /**
     * Drops control characters (ESC and friends) from text that came from a server or a file before
     * it reaches a terminal, so a crafted name or error message cannot move the cursor or recolour
     * the screen. Tabs become spaces; newlines are kept.
     */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == '\t') {
                sb.append(' ');
            } else if (cp == '\n') {
                sb.append('\n');
            } else if (!Character.isISOControl(cp)) {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /**
     * What a task's tool wrote, for a terminal: like {@link #clean}, control characters dropped
     * (escape sequences, carriage returns), but tabs and newlines kept as they are.
     */
    static String output(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().filter(cp -> cp == '\t' || cp == '\n' || !Character.isISOControl(cp)).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /** {@link #clean} and then everything on one line, for table cells. */
    static String cell(String s) {
        return s == null ? "" : clean(s).replace('\n', ' ');
    }

    /**
     * Printable ASCII without blanks, as tokens and credentials are: such a value may be printed as
     * it is, where a cleaned one would silently be a different value.
     */
    static boolean isPrintableToken(String s) {
        return s != null && !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Null for null or blank, so that an exported but empty variable counts as unset. */
    static String nonBlank(String s) {
        return isBlank(s) ? null : s;
    }

    @SafeVarargs
    static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
