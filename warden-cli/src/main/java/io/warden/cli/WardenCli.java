package io.warden.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code warden} command line: {@code apply}, {@code get}, {@code delete}, {@code describe},
 * {@code version}, {@code completion} and {@code config}; and for identity {@code setup},
 * {@code login}, {@code logout}, {@code whoami}, {@code users}, {@code tokens} and {@code roles};
 * {@code audit} for the audit ledger; and {@code run}, {@code tasks} and {@code workers} for tasks.
 *
 * <p>Everything the CLI reads from or writes to the outside world comes in through the
 * constructor: the environment, the home directory (for {@code ~/.warden/config.yaml}) and the
 * three standard streams. It never touches {@code System.getenv}, {@code System.out},
 * {@code System.exit} or the terminal itself (only {@link #main} does), so a test or the
 * end-to-end suite runs it in-process. Without a terminal, commands that need a password take it
 * from stdin ({@code --password-stdin}) and fail with a usage error otherwise:
 *
 * <pre>{@code
 * ByteArrayOutputStream out = new ByteArrayOutputStream();
 * ByteArrayOutputStream err = new ByteArrayOutputStream();
 * int exit = new WardenCli(Map.of("WARDEN_SERVER", "http://127.0.0.1:" + port), tempHome,
 *         InputStream.nullInputStream(),
 *         new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8))
 *     .run("apply", "-f", "examples/");
 * }</pre>
 *
 * <p>{@link #withClock}, {@link #withWatchRetries} and {@link #withPrompter} return a copy with one
 * of those changed: the time tables are measured from, how a watch reconnects, and who answers
 * password prompts.
 *
 * <p>An instance may be run many times, also concurrently: each {@link #run} has its own state and
 * HTTP client, closed when it returns. Exit codes: {@link #OK} 0, {@link #ERROR} 1 (the server
 * refused, the network failed, a file is invalid), {@link #USAGE} 2 (bad command line, unknown kind).
 */
public final class WardenCli {

    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;

    private final Map<String, String> env;
    private final Path home;
    private final InputStream stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;
    private final Clock clock;
    private final WatchPolicy watchPolicy;
    private final Prompter prompter;

    /**
     * @param env    environment variables ({@code WARDEN_SERVER}, {@code WARDEN_CONFIG}); usually {@code System.getenv()}
     * @param home   the user's home directory; the config file is {@code home/.warden/config.yaml} unless {@code WARDEN_CONFIG} is set
     * @param stdin  read by {@code apply -f -} and {@code --password-stdin}
     * @param stdout command output
     * @param stderr errors, warnings and {@code --verbose} logs
     */
    public WardenCli(Map<String, String> env, Path home, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this(env, home, stdin, stdout, stderr, Clock.systemUTC(), WatchPolicy.DEFAULT, Prompter.NONE);
    }

    /**
     * Everything, for {@link #main} (the real terminal) and the {@code with...} methods. The public
     * constructor passes no terminal, since an in-process caller has its own streams and nobody
     * sits at the process's terminal.
     */
    WardenCli(Map<String, String> env, Path home, InputStream stdin, PrintStream stdout, PrintStream stderr,
              Clock clock, WatchPolicy watchPolicy, Prompter prompter) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.home = Objects.requireNonNull(home, "home");
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.stderr = Objects.requireNonNull(stderr, "stderr");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.watchPolicy = Objects.requireNonNull(watchPolicy, "watchPolicy");
        this.prompter = Objects.requireNonNull(prompter, "prompter");
    }

    /**
     * This CLI, reading the time from {@code clock}: the instant that AGE columns and relative times
     * ({@code 5m ago}, {@code in 30d}) are measured from. For callers that compare output with fixed
     * expectations, such as the end-to-end tests.
     */
    public WardenCli withClock(Clock clock) {
        return new WardenCli(env, home, stdin, stdout, stderr, clock, watchPolicy, prompter);
    }

    /**
     * This CLI, with other reconnect rules for {@code get --watch}. The watch gives up after
     * {@code attempts} connections in a row that fail or end without delivering an event; after
     * each failure it waits {@code initialBackoff}, doubled each time up to {@code maxBackoff} (zero:
     * reconnect at once); a connection without a byte for {@code idleTimeout} counts as dropped.
     * The defaults are 5 attempts, 0.5 s doubling to 8 s, and 60 s (the server sends a keep-alive
     * every 15 s). For callers that restart or cut off a server under a watch, such as the
     * end-to-end tests.
     *
     * @throws IllegalArgumentException when {@code attempts} is below 1, a backoff is negative,
     *                                  {@code maxBackoff} is below {@code initialBackoff}, or
     *                                  {@code idleTimeout} is not positive
     */
    public WardenCli withWatchRetries(int attempts, Duration initialBackoff, Duration maxBackoff, Duration idleTimeout) {
        return new WardenCli(env, home, stdin, stdout, stderr, clock,
                new WatchPolicy(attempts, initialBackoff, maxBackoff, idleTimeout), prompter);
    }

    /**
     * This CLI, asking {@code prompter} for user names and passwords where a command would ask at
     * the terminal (without it, an in-process CLI has no terminal: such commands need
     * {@code --username} and {@code --password-stdin}). For embedders with their own way to ask,
     * and for tests that script the answers.
     */
    public WardenCli withPrompter(Prompter prompter) {
        return new WardenCli(env, home, stdin, stdout, stderr, clock, watchPolicy, prompter);
    }

    public static void main(String[] args) {
        int exit = new WardenCli(System.getenv(), Path.of(System.getProperty("user.home")),
                System.in, System.out, System.err, Clock.systemUTC(), WatchPolicy.DEFAULT, Prompter.console()).run(args);
        System.exit(exit);
    }

    /** Runs one command line, for example {@code run("get", "tools", "-n", "demo")}, and returns its exit code. */
    public int run(String... args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, stdout.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, stderr.charset()), true);
        try (Session session = new Session(env, home, stdin, out, err, clock, watchPolicy, new GlobalOptions(), prompter)) {
            return commandLine(session).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(Session session) {
        CommandLine cl = new CommandLine(new RootCommand(session));
        cl.addSubcommand(new ApplyCommand(session));
        cl.addSubcommand(new GetCommand(session));
        cl.addSubcommand(new DeleteCommand(session));
        cl.addSubcommand(new DescribeCommand(session));
        cl.addSubcommand(new VersionCommand(session));
        cl.addSubcommand(new CompletionCommand(session));
        cl.addSubcommand(new ConfigCommand(session));
        cl.addSubcommand(new SetupCommand(session));
        cl.addSubcommand(new LoginCommand(session));
        cl.addSubcommand(new LogoutCommand(session));
        cl.addSubcommand(new WhoamiCommand(session));
        cl.addSubcommand(new UsersCommand(session));
        cl.addSubcommand(new TokensCommand(session));
        cl.addSubcommand(new RolesCommand(session));
        cl.addSubcommand(new AuditCommand(session));
        cl.addSubcommand(new RunCommand(session));
        cl.addSubcommand(new TasksCommand(session));
        cl.addSubcommand(new WorkersCommand(session));
        // Settings apply to the subcommands added so far, so they come last.
        cl.setOut(session.out());
        cl.setErr(session.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // No picocli argument files: "@FILE" is a value of its own (run --args @args.json).
        cl.setExpandAtFiles(false);
        // Plain text: output is parsed by scripts and compared by tests.
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
        cl.setParameterExceptionHandler(WardenCli::usageError);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine, session));
        return cl;
    }

    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return USAGE;
    }

    /** Prints a failure of a command once, in one format, and maps it to an exit code. */
    private static int report(Exception e, CommandLine commandLine, Session session) {
        PrintWriter err = session.err();
        int exit;
        Throwable detail = e;
        switch (e) {
            case CliException c -> {
                List<String> lines = c.lines();
                err.println("error: " + lines.getFirst());
                lines.subList(1, lines.size()).forEach(err::println);
                if (c.exitCode() == USAGE) {
                    err.println("See '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
                }
                exit = c.exitCode();
                detail = c.getCause();
            }
            case ApiException a -> {
                List<String> lines = a.problem().lines("");
                err.println("error: " + lines.getFirst());
                lines.subList(1, lines.size()).forEach(err::println);
                exit = ERROR;
                detail = null;
            }
            case UnreachableException u -> {
                err.println("error: " + u.getMessage());
                exit = ERROR;
            }
            default -> {
                err.println("error: " + Text.cell(Objects.requireNonNullElse(e.getMessage(), e.getClass().getName()))
                        + (session.options().verbose() ? "" : " (run with --verbose for details)"));
                exit = ERROR;
            }
        }
        if (detail != null && session.options().verbose()) {
            detail.printStackTrace(err);
        }
        err.flush();
        return exit;
    }
}
