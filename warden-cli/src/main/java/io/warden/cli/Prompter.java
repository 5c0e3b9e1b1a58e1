package io.warden.cli;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Asks the person at the terminal, for a user name or (without echo) a password. {@link #NONE}
 * when there is nobody to ask: commands then need {@code --username} and {@code --password-stdin}
 * and fail with a usage error otherwise. Only {@link WardenCli#main} uses the real terminal, so an
 * in-process run never blocks on a prompt; an embedder or a test that wants to answer prompts
 * passes its own implementation to {@link WardenCli#withPrompter}.
 */
public interface Prompter {

    /** No terminal: every prompt is unavailable. */
    Prompter NONE = new Prompter() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public String readLine(String prompt) {
            return null;
        }

        @Override
        public char[] readPassword(String prompt) {
            return null;
        }
    };

    /** Whether there is a terminal to ask on. */
    boolean available();

    /** One line typed after {@code prompt}, or null at end of input. */
    String readLine(String prompt);

    /** One line typed after {@code prompt} without echo, or null at end of input. The caller wipes it. */
    char[] readPassword(String prompt);

    /** The process's terminal through {@link System#console()}, looked up on each use. */
    static Prompter console() {
        return new Prompter() {
            @Override
            public boolean available() {
                return terminal() != null;
            }

            @Override
            public String readLine(String prompt) {
                Console c = terminal();
                return c == null ? null : c.readLine("%s", prompt);
            }

            @Override
            public char[] readPassword(String prompt) {
                Console c = terminal();
                return c == null ? null : c.readPassword("%s", prompt);
            }
        };
    }

    /**
     * The console when stdin and stdout are a terminal. Java 21 returns null otherwise; from Java 22
     * on {@code System.console()} may return a console for redirected streams too, which
     * {@code Console.isTerminal()} (not in the Java 21 API, hence the reflection) tells apart.
     */
    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
        } catch (NoSuchMethodException e) {
            return console; // Java 21: a non-null console is a terminal
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}
