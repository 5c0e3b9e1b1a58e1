package io.warden.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code warden}: holds the global options; alone, it prints the usage. */
@Command(name = "warden",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = ClientVersion.Provider.class,
        subcommands = HelpCommand.class,
        description = "Command line client of the Warden control plane.",
        footer = {"",
                "Server: --server, else $WARDEN_SERVER, else the context's server,",
                "else " + Target.DEFAULT_SERVER + ". Exit codes: 0 ok, 1 error, 2 usage error."})
final class RootCommand implements Callable<Integer> {

    @Mixin
    private GlobalOptions options;

    @Spec
    private CommandSpec spec;

    private final Session session;

    RootCommand(Session session) {
        this.session = session;
        this.options = session.options();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(session.out());
        return WardenCli.OK;
    }
}
