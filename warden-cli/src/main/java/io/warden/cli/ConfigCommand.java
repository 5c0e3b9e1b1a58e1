package io.warden.cli;

import io.warden.api.Names;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warden config ...}: the contexts of the config file. Only these commands write the file,
 * always through {@link ConfigStore#save}; none of them prints a token.
 */
@Command(name = "config", description = "Show and change the contexts of the config file ($WARDEN_CONFIG or ~/.warden/config.yaml).")
final class ConfigCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final Session session;

    ConfigCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(session.out());
        return WardenCli.OK;
    }

    @Command(name = "view", description = "Print the config file, with tokens shown as REDACTED.")
    int view() {
        ConfigStore store = session.configStore();
        CliConfig config = session.config();
        session.out().println("# " + store.path() + (Files.exists(store.path()) ? "" : " (does not exist yet)"));
        session.out().print(Json.yaml(config.redacted()));
        return WardenCli.OK;
    }

    @Command(name = "get-contexts", description = "List the contexts; * marks the current one.")
    int getContexts() {
        CliConfig config = session.config();
        List<List<String>> rows = new ArrayList<>();
        for (CliConfig.Context c : config.contexts()) {
            rows.add(List.of(
                    c.name().equals(config.currentContext()) ? "*" : "",
                    Text.cell(c.name()),
                    Text.cell(Text.firstNonNull(c.server(), "")),
                    Text.cell(Text.firstNonNull(c.namespace(), ""))));
        }
        Table.render(List.of("CURRENT", "NAME", "SERVER", "NAMESPACE"), rows).forEach(session.out()::println);
        return WardenCli.OK;
    }

    @Command(name = "current-context", description = "Print the name of the current context.")
    int currentContext() {
        String current = session.config().currentContext();
        if (current == null) {
            throw CliException.error("no current context is set in " + session.configStore().path());
        }
        session.out().println(Text.cell(current));
        return WardenCli.OK;
    }

    @Command(name = "use-context", description = "Make NAME the current context.")
    int useContext(@Parameters(paramLabel = "NAME", description = "An existing context.") String name) {
        CliConfig config = session.config();
        if (config.context(name).isEmpty()) {
            throw CliException.error("no context named \"" + Text.cell(name) + "\" in " + session.configStore().path());
        }
        session.configStore().save(config.withCurrentContext(name));
        session.out().println("Switched to context \"" + Text.cell(name) + "\".");
        return WardenCli.OK;
    }

    /**
     * Creates or changes a context. Its server is the global {@code --server} option: a second
     * option of the same name here would clash with the inherited one. A token already in the
     * context is kept; the first context created becomes the current one.
     */
    @Command(name = "set-context", description = {
            "Create or change a context.",
            "Example: warden config set-context local --server http://127.0.0.1:8080 --namespace demo"})
    int setContext(
            @Parameters(paramLabel = "NAME", description = "Context name.") String name,
            @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Default namespace of the context.") String namespace) {
        if (name.isBlank()) {
            throw CliException.usage("the context name must not be blank");
        }
        String server = session.options().server();
        if (server != null) {
            server = Target.parseServer(server).toString();
        }
        if (namespace != null && !Names.isDns1123Label(namespace)) {
            throw CliException.usage("invalid namespace \"" + Text.cell(namespace) + "\": lower case letters, digits and '-'");
        }
        CliConfig config = session.config();
        CliConfig.Context existing = config.context(name).orElse(null);
        if (existing == null && server == null) {
            throw CliException.usage("a new context needs --server URL");
        }
        CliConfig.Context context = existing == null
                ? new CliConfig.Context(name, server, namespace, null)
                : new CliConfig.Context(name, Text.firstNonNull(server, existing.server()),
                        Text.firstNonNull(namespace, existing.namespace()), existing.token());
        CliConfig changed = config.withContext(context);
        boolean makeCurrent = config.currentContext() == null;
        if (makeCurrent) {
            changed = changed.withCurrentContext(name);
        }
        session.configStore().save(changed);
        session.out().println("Context \"" + Text.cell(name) + "\" " + (existing == null ? "created" : "modified") + "."
                + (makeCurrent ? " It is now the current context." : ""));
        return WardenCli.OK;
    }
}
