package io.warden.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process with a fixed clock and captured streams. */
final class CliRunner {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    /** Watch retries without waiting, and a short idle timeout, so tests stay fast. */
    static final WatchPolicy FAST_WATCH = new WatchPolicy(5, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10));

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private WatchPolicy watchPolicy = FAST_WATCH;
    private String stdin = "";
    private Prompter prompter = Prompter.NONE;

    CliRunner(Path home) {
        this.home = home;
    }

    CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    CliRunner watchPolicy(WatchPolicy policy) {
        this.watchPolicy = policy;
        return this;
    }

    CliRunner stdin(String text) {
        this.stdin = text;
        return this;
    }

    /** Answers prompts as a terminal would; without this call there is no terminal. */
    CliRunner prompter(Prompter prompter) {
        this.prompter = prompter;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new WardenCli(env, home,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC), watchPolicy, prompter)
                .run(args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
