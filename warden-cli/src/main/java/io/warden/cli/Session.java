package io.warden.cli;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the commands of one run share: streams, environment, global options, and the config,
 * target and HTTP client, each resolved on first use (so {@code warden config ...} works with a
 * broken server URL, and {@code warden version --client} never opens a connection).
 */
final class Session implements AutoCloseable {

    private final Map<String, String> env;
    private final Path home;
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;
    private final WatchPolicy watchPolicy;
    private final GlobalOptions options;
    private final Prompter prompter;

    private ConfigStore store;
    private CliConfig config;
    private Target target;
    private HttpClient http;
    private WardenClient client;
    private SecretInput secrets;

    Session(Map<String, String> env, Path home, InputStream in, PrintWriter out, PrintWriter err,
            Clock clock, WatchPolicy watchPolicy, GlobalOptions options, Prompter prompter) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.in = in;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.watchPolicy = watchPolicy;
        this.options = options;
        this.prompter = prompter;
    }

    InputStream in() {
        return in;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Clock clock() {
        return clock;
    }

    WatchPolicy watchPolicy() {
        return watchPolicy;
    }

    GlobalOptions options() {
        return options;
    }

    /** Passwords from stdin or the terminal; one instance per run, so stdin is read line after line. */
    SecretInput secrets() {
        if (secrets == null) {
            secrets = new SecretInput(in, prompter);
        }
        return secrets;
    }

    /** Keeps the config read at the start of the run in step with what a command saved. */
    void saveConfig(CliConfig changed) {
        configStore().save(changed);
        config = changed;
    }

    ConfigStore configStore() {
        if (store == null) {
            store = ConfigStore.locate(env, home);
        }
        return store;
    }

    CliConfig config() {
        if (config == null) {
            config = configStore().load();
            configStore().permissionWarning(config).ifPresent(err::println);
        }
        return config;
    }

    Target target() {
        if (target == null) {
            target = Target.resolve(options.server(), options.context(), env, config(), configStore());
            log().accept("using " + target);
        }
        return target;
    }

    WardenClient client() {
        if (client == null) {
            Target t = target();
            http = WardenClient.newHttpClient();
            client = new WardenClient(http, t, "warden-cli/" + ClientVersion.get(), log());
        }
        return client;
    }

    Printer printer() {
        return new Printer(out, clock);
    }

    /** {@code -n} if given, else the context's namespace, else "default". */
    String namespace(String namespaceFlag) {
        return namespaceFlag != null ? namespaceFlag : target().namespace();
    }

    /** Resolves what the user typed as KIND; an unknown word is a usage error (exit 2). */
    static Kind kind(String word) {
        return Kinds.lookup(word).orElseThrow(() -> CliException.usage("unknown kind \"" + Text.cell(word)
                + "\"; known kinds: " + Kinds.all().stream()
                        .map(k -> k.plural() + " (" + String.join(", ", k.shortNames()) + ")")
                        .collect(Collectors.joining(", "))));
    }

    /** Verbose diagnostics on stderr; a no-op without {@code -v}. Never given secrets. */
    Consumer<String> log() {
        return options.verbose()
                ? line -> {
                    err.println("[warden] " + line);
                    err.flush();
                }
                : line -> { };
    }

    @Override
    public void close() {
        if (http != null) {
            // Nothing is in flight once a command returns; do not leave selector threads behind
            // when the CLI runs inside a test JVM.
            http.shutdownNow();
        }
    }
}
