package io.warden.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command accepts, before or after the subcommand name. With picocli's INHERIT
 * scope all commands write into this one instance, which {@link Session} reads.
 */
final class GlobalOptions {

    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Warden server URL; overrides $WARDEN_SERVER and the config file.")
    private String server;

    @Option(names = "--context", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Context of the config file to use instead of its currentContext.")
    private String context;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log HTTP requests on stderr and show stack traces of unexpected errors.")
    private boolean verbose;

    String server() {
        return server;
    }

    String context() {
        return context;
    }

    boolean verbose() {
        return verbose;
    }
}
