package io.warden.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code warden version}: the client's version, then the server's when it answers. An unreachable
 * or failing server is a warning on stderr, not an error: the client version is still useful
 * (say, for a bug report about why the server cannot be reached), so the exit code stays 0.
 */
@Command(name = "version", description = "Print the client version and, if reachable, the server version.")
final class VersionCommand implements Callable<Integer> {

    @Option(names = "--client", description = "Only the client version; do not contact the server.")
    private boolean clientOnly;

    private final Session session;

    VersionCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        session.out().println("Client Version: " + ClientVersion.get());
        if (clientOnly) {
            return WardenCli.OK;
        }
        session.out().flush();
        JsonNode server;
        try {
            server = session.client().version();
        } catch (UnreachableException e) {
            session.err().println("warning: " + e.getMessage());
            return WardenCli.OK;
        } catch (ApiException e) {
            session.err().println("warning: the server at " + session.target().server()
                    + " did not report its version: " + e.problem().summary());
            return WardenCli.OK;
        }
        session.out().println("Server Version: " + Text.cell(Text.firstNonNull(Json.text(server, "version"), Columns.NONE)));
        session.out().println("API Version:    " + Text.cell(Text.firstNonNull(Json.text(server, "apiVersion"), Columns.NONE)));
        session.out().println("Database:       " + Text.cell(Text.firstNonNull(Json.text(server, "database"), Columns.NONE)));
        return WardenCli.OK;
    }
}
