package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.cli.WardenCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The real CLI, run in-process against a server, with its own home directory. Immutable: {@link #env}
 * and {@link #with} give a CLI that shares the home directory (and so the config file) and differs
 * in one setting.
 */
final class Cli {

    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "end-to-end-admin-password";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Map<String, String> env;
    private final Path home;
    private final UnaryOperator<WardenCli> options;

    Cli(String server) {
        this(Map.of("WARDEN_SERVER", server));
    }

    Cli(Map<String, String> env) {
        this(env, newHome(), UnaryOperator.identity());
    }

    private Cli(Map<String, String> env, Path home, UnaryOperator<WardenCli> options) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.options = options;
    }

    /** A CLI without any environment, so only its config file (and flags) say where the server is. */
    static Cli withoutServer() {
        return new Cli(Map.of());
    }

    private static Path newHome() {
        try {
            return Files.createTempDirectory("warden-cli-home-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A CLI logged in as the admin of the server whose data directory is given: sets the server
     * up first when it still has its setup token, the way an operator would.
     */
    static Cli admin(String server, Path dataDir) {
        Cli cli = new Cli(server);
        Path token = dataDir.resolve("setup-token");
        if (!Files.exists(token)) {
            // Set up already, or not yet: the server answers /readyz before it has written the
            // token (its start-up runners come after the web server), so a busy machine gets here first.
            Result login = cli.runWithInput(ADMIN_PASSWORD + "\n", "login", "--username", ADMIN, "--password-stdin");
            if (login.exit() == 0) {
                return cli;
            }
            awaitSetupToken(token);
        }
        Result setup = cli.runWithInput(ADMIN_PASSWORD + "\n", "setup", "--token-file", token.toString(),
                "--username", ADMIN, "--password-stdin");
        if (setup.exit() != 0) {
            throw new IllegalStateException("setup failed: " + setup);
        }
        return cli.login(ADMIN, ADMIN_PASSWORD);
    }

    /** Waits, on file system notifications, until the server has written its setup token (a whole line). */
    private static void awaitSetupToken(Path token) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (WatchService watch = token.getFileSystem().newWatchService()) {
            token.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (!(Files.exists(token) && Files.readString(token).endsWith("\n"))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the server wrote no setup token to " + token + " within 60 s");
                }
                WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the setup token", e);
        }
    }

    /** This CLI after {@code warden login} as {@code username}; fails the test if the login fails. */
    Cli login(String username, String password) {
        Result login = runWithInput(password + "\n", "login", "--username", username, "--password-stdin");
        if (login.exit() != 0) {
            throw new IllegalStateException("login as " + username + " failed: " + login);
        }
        return this;
    }

    /** The same CLI (home, config file) with one more environment variable. */
    Cli env(String name, String value) {
        Map<String, String> changed = new HashMap<>(env);
        changed.put(name, value);
        return new Cli(changed, home, options);
    }

    /** The same CLI (home, config file) with an option of {@link WardenCli}, e.g. {@code c -> c.withClock(clock)}. */
    Cli with(UnaryOperator<WardenCli> option) {
        UnaryOperator<WardenCli> before = options;
        return new Cli(env, home, c -> option.apply(before.apply(c)));
    }

    Path configFile() {
        String fromEnv = env.get("WARDEN_CONFIG");
        return fromEnv != null ? Path.of(fromEnv) : home.resolve(".warden").resolve("config.yaml");
    }

    /** Writes the config file as a person would, owner-only. */
    Cli writeConfig(String yaml) {
        try {
            Files.createDirectories(configFile().getParent());
            Files.writeString(configFile(), yaml);
            Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The config file as a tree. */
    JsonNode config() {
        try {
            return YAML.readTree(Files.readString(configFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The token of the config file's current context; null when it holds none. */
    String token() {
        JsonNode config = config();
        String current = config.path("currentContext").asString();
        for (JsonNode context : config.path("contexts")) {
            if (context.path("name").asString().equals(current)) {
                return context.path("token").isMissingNode() ? null : context.path("token").asString();
            }
        }
        return null;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = cli(stdin, out, err).run(args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that goes on until something ends it, such as {@code get --watch}. */
    Running start(String... args) {
        ByteArrayOutputStream out = new SignallingBuffer();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WardenCli cli = cli("", out, err);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("cli-" + args[0]).start(() -> {
            try {
                exit.complete(cli.run(args));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
            synchronized (out) {
                out.notifyAll(); // wake a waiter: the command ended
            }
        });
        return new Running(thread, exit, out, err);
    }

    /** A buffer that wakes whoever waits on it whenever something is written. */
    private static final class SignallingBuffer extends ByteArrayOutputStream {
        @Override
        public synchronized void write(int b) {
            super.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            notifyAll();
        }
    }

    private WardenCli cli(String stdin, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return options.apply(new WardenCli(env, home,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    /** A command running on its own thread; its output can be read while it runs. */
    static final class Running {

        private final Thread thread;
        private final CompletableFuture<Integer> exit;
        private final ByteArrayOutputStream out;
        private final ByteArrayOutputStream err;

        private Running(Thread thread, CompletableFuture<Integer> exit, ByteArrayOutputStream out, ByteArrayOutputStream err) {
            this.thread = thread;
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** Waits until stdout holds {@code count} lines; fails with what was printed when it does not. */
        void awaitOutLines(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            synchronized (out) {
                while (out().lines().count() < count) {
                    long left = deadline - System.nanoTime();
                    assertThat(left).as("%d lines within 30 s; so far:\n%s", count, this).isPositive();
                    assertThat(exit.isDone()).as("the command ended early:\n%s", this).isFalse();
                    TimeUnit.NANOSECONDS.timedWait(out, left);
                }
            }
        }

        /** Waits until a line of stdout matches {@code line}; fails with what was printed when none does. */
        void awaitOutLine(Predicate<String> line) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            synchronized (out) {
                while (out().lines().noneMatch(line)) {
                    long left = deadline - System.nanoTime();
                    assertThat(left).as("the line within 30 s; so far:\n%s", this).isPositive();
                    assertThat(exit.isDone()).as("the command ended early:\n%s", this).isFalse();
                    TimeUnit.NANOSECONDS.timedWait(out, left);
                }
            }
        }

        /**
         * Ends a command that goes on until stopped, the way Ctrl-C ends it for a person: the
         * thread it runs on is interrupted. Waits for it to end, at most {@code timeout}.
         */
        Result stop(Duration timeout) throws Exception {
            thread.interrupt();
            return await(timeout);
        }

        /** Waits for the command to end by itself. */
        Result await(Duration timeout) throws Exception {
            int code = exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(code, out(), err());
        }

        @Override
        public String toString() {
            return "--- stdout\n" + out() + "--- stderr\n" + err();
        }
    }
}
