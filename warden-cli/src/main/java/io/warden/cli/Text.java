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

    /** {@link #clean} and then everything on one line, for table cells. */
    static String cell(String s) {
        return s == null ? "" : clean(s).replace('\n', ' ');
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
