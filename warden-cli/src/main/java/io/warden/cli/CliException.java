package io.warden.cli;

import java.util.List;

/**
 * A failure the CLI reports as {@code error: <first line>} followed by any further lines, ending
 * the run with {@link #exitCode()}. Thrown by commands instead of printing and returning, so that
 * every error is printed the same way, once, in {@link WardenCli}.
 */
final class CliException extends RuntimeException {

    private final int exitCode;
    private final List<String> lines;

    private CliException(int exitCode, List<String> lines, Throwable cause) {
        super(String.join("\n", lines), cause);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an error needs a message");
        }
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    /** Exit code 1: the request or the input was refused. */
    static CliException error(String message) {
        return new CliException(WardenCli.ERROR, List.of(message), null);
    }

    static CliException error(List<String> lines) {
        return new CliException(WardenCli.ERROR, lines, null);
    }

    static CliException error(String message, Throwable cause) {
        return new CliException(WardenCli.ERROR, List.of(message), cause);
    }

    /** Exit code 2: the command line itself is wrong. */
    static CliException usage(String message) {
        return new CliException(WardenCli.USAGE, List.of(message), null);
    }

    /**
     * A failure with an exit code of its own, for a command that documents more than 0, 1 and 2
     * ({@code audit verify}: 3 when it could not verify).
     */
    static CliException withExit(int exitCode, List<String> lines, Throwable cause) {
        return new CliException(exitCode, lines, cause);
    }

    int exitCode() {
        return exitCode;
    }

    List<String> lines() {
        return lines;
    }
}
