package io.warden.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passwords for the commands: a line of stdin ({@code --password-stdin}) or a prompt without echo.
 * Passwords are {@code char[]} from the first character read to the request body, and the buffers
 * that held them are wiped; they never become a {@code String}, a log line or an exception message.
 * Lines are read from one reader per run, so {@code passwd --password-stdin} can take the current
 * password from the first line and the new one from the second.
 */
final class SecretInput {

    private static final int MAX_LINE = 4096;

    private final InputStream stdin;
    private final Prompter prompter;
    private Reader reader;

    SecretInput(InputStream stdin, Prompter prompter) {
        this.stdin = stdin;
        this.prompter = prompter;
    }

    /** A password that exists already (login, the current one for passwd): one stdin line or one prompt. */
    char[] existing(boolean fromStdin, String prompt) {
        char[] password = fromStdin ? stdinLine() : ask(prompt);
        return nonEmpty(password);
    }

    /** A password being set: one stdin line, or asked twice at the terminal and compared. */
    char[] fresh(boolean fromStdin, String prompt) {
        if (fromStdin) {
            return nonEmpty(stdinLine());
        }
        char[] first = nonEmpty(ask(prompt));
        char[] second = ask("Repeat the password: ");
        boolean same = second != null && Arrays.equals(first, second);
        wipe(second);
        if (!same) {
            wipe(first);
            throw CliException.error("the passwords do not match; nothing was changed");
        }
        return first;
    }

    /** A user name asked at the terminal, for a command whose --username is missing. */
    String username(String flag) {
        if (!prompter.available()) {
            throw CliException.usage("missing " + flag + " (there is no terminal to ask for it on)");
        }
        String name = prompter.readLine("Username: ");
        if (name == null || name.isBlank()) {
            throw CliException.usage("missing " + flag);
        }
        return name.strip();
    }

    static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }

    private char[] ask(String prompt) {
        if (!prompter.available()) {
            throw CliException.usage("there is no terminal to ask for the password on; pass it on stdin with --password-stdin");
        }
        return prompter.readPassword(prompt);
    }

    private static char[] nonEmpty(char[] password) {
        if (password == null || password.length == 0) {
            wipe(password);
            throw CliException.error("no password given; nothing was changed");
        }
        return password;
    }

    /** The next line of stdin without its line break; null at end of input. */
    private char[] stdinLine() {
        if (reader == null) {
            reader = new InputStreamReader(stdin, StandardCharsets.UTF_8);
        }
        char[] buffer = new char[64];
        int length = 0;
        try {
            int c;
            while ((c = reader.read()) != -1 && c != '\n') {
                if (length == MAX_LINE) {
                    wipe(buffer);
                    throw CliException.error("the line on stdin is longer than " + MAX_LINE + " characters");
                }
                if (length == buffer.length) {
                    char[] bigger = Arrays.copyOf(buffer, buffer.length * 2);
                    wipe(buffer);
                    buffer = bigger;
                }
                buffer[length++] = (char) c;
            }
            if (c == -1 && length == 0) {
                wipe(buffer);
                throw CliException.error("stdin ended before a password was read (--password-stdin reads one line per password)");
            }
        } catch (IOException e) {
            wipe(buffer);
            throw CliException.error("cannot read stdin: " + UnreachableException.reason(e));
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        char[] line = Arrays.copyOf(buffer, length);
        wipe(buffer);
        return line;
    }
}
