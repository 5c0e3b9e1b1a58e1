package io.warden.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code warden logout}: revokes the context's token on the server ({@code POST /v1/auth/logout})
 * and removes it from the config file. The local token goes whatever the server says: a 401 means
 * it was dead already; any other failure is reported (exit 1), since the token may still be valid.
 */
@Command(name = "logout", description = "Revoke the token of the current context and remove it from the config file.")
final class LogoutCommand implements Callable<Integer> {

    private final Session session;

    LogoutCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        CliConfig config = session.config();
        Target target = session.target();
        CliConfig.Context context = target.contextName() == null ? null : config.context(target.contextName()).orElse(null);
        if (context == null || context.token() == null) {
            session.err().println(context == null
                    ? "Not logged in: " + session.configStore().path() + " has no current context."
                    : "Not logged in: context \"" + Text.cell(context.name()) + "\" holds no token.");
            return WardenCli.OK;
        }
        if (Text.isBlank(context.server())) {
            // Such a token is never sent anywhere (Target), so there is nothing to revoke it at.
            session.saveConfig(config.withContext(new CliConfig.Context(context.name(), context.server(), context.namespace(), null)));
            session.err().println("warning: context \"" + Text.cell(context.name()) + "\" has no server, so its token was never used;"
                    + " removed it without asking a server to revoke it.");
            session.out().println("logged out; token removed from context \"" + Text.cell(context.name()) + "\"");
            return WardenCli.OK;
        }
        if (target.token() == null) {
            // The context's token is only ever sent to the context's own server.
            throw CliException.error(List.of(
                    "the token of context \"" + Text.cell(context.name()) + "\" is for " + Text.cell(context.server())
                            + ", not " + target.server() + "; nothing was changed",
                    "Log out without --server and $WARDEN_SERVER, or with --server " + Text.cell(context.server()) + "."));
        }
        List<String> failure = null;
        try {
            session.client().post("/v1/auth/logout", null, WardenClient.Auth.BEARER);
        } catch (ApiException e) {
            if (e.status() == 401) {
                session.err().println("warning: the server did not accept the token (" + e.problem().summary()
                        + "); it had expired or been revoked already. Removing it from context \""
                        + Text.cell(context.name()) + "\" anyway.");
            } else {
                failure = new ArrayList<>(e.problem().lines("could not revoke the token on the server: "));
            }
        } catch (UnreachableException e) {
            failure = new ArrayList<>(List.of("could not revoke the token on the server: " + e.getMessage()));
        }
        session.saveConfig(config.withContext(
                new CliConfig.Context(context.name(), context.server(), context.namespace(), null)));
        if (failure != null) {
            failure.add("The token was removed from context \"" + Text.cell(context.name())
                    + "\" anyway, but it may still be valid until it expires: after the next login,");
            failure.add("find it with `warden tokens list` and revoke it with `warden tokens revoke ID`.");
            throw CliException.error(failure);
        }
        session.out().println("logged out; token removed from context \"" + Text.cell(context.name()) + "\"");
        return WardenCli.OK;
    }
}
