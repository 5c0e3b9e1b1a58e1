package io.warden.it;

import io.warden.cli.WardenCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The real CLI, run in-process against a server, with its own home directory. */
final class Cli {

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "end-to-end-admin-password";

    private final Map<String, String> env;
    private final Path home;

    Cli(String server) {
        this(Map.of("WARDEN_SERVER", server));
    }

    Cli(Map<String, String> env) {
        this.env = Map.copyOf(env);
        try {
            this.home = Files.createTempDirectory("warden-cli-home-");
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
        if (Files.exists(token)) {
            Result setup = cli.runWithInput(ADMIN_PASSWORD + "\n", "setup", "--token-file", token.toString(),
                    "--username", ADMIN, "--password-stdin");
            if (setup.exit() != 0) {
                throw new IllegalStateException("setup failed: " + setup);
            }
        }
        Result login = cli.runWithInput(ADMIN_PASSWORD + "\n", "login", "--username", ADMIN, "--password-stdin");
        if (login.exit() != 0) {
            throw new IllegalStateException("login failed: " + login);
        }
        return cli;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new WardenCli(env, home,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
