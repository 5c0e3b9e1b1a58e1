package io.warden.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden login}: trades a user name and password for a personal API token
 * ({@code POST /v1/auth/token}) and stores it in the context in use, which every later command
 * then sends as {@code Authorization: Bearer}. The token is never printed.
 */
@Command(name = "login", description = {
        "Log in: get a personal API token and store it in the current context.",
        "Without a context, one named \"default\" is created for the server in use."})
final class LoginCommand implements Callable<Integer> {

    static final String DEFAULT_CONTEXT = "default";

    @Option(names = "--username", paramLabel = "NAME", description = "User to log in as (asked at the terminal when absent).")
    private String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin instead of asking.")
    private boolean passwordStdin;

    @Option(names = "--name", paramLabel = "TOKEN_NAME", description = "Name of the token, as `warden tokens list` shows it.")
    private String tokenName;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "Lifetime of the token: 90m, 12h, 30d (server default: 30d).")
    private String ttl;

    private final Session session;

    LoginCommand(Session session) {
        this.session = session;
    }

    /** Where the token goes: the context to write, with its server filled in when it had none. */
    private record Placement(CliConfig.Context context, boolean created, boolean makeCurrent) {
    }

    @Override
    public Integer call() {
        TokensCommand.checkTtl(ttl);
        Placement placement = placement(session.config(), session.target());
        WardenClient client = session.client();
        String user = username != null ? username : session.secrets().username("--username");
        char[] password = session.secrets().existing(passwordStdin, "Password for " + Text.cell(user) + ": ");
        ObjectNode answer;
        try (JsonBody body = new JsonBody()
                .put("username", user)
                .putSecret("password", password)
                .put("name", tokenName)
                .put("ttl", ttl)) {
            answer = client.post("/v1/auth/token", body.bytes(), WardenClient.Auth.NONE);
        } catch (ApiException e) {
            throw e.status() == 401 ? CliException.error(e.problem().lines("login failed: ")) : e;
        } finally {
            SecretInput.wipe(password);
        }
        String token = Text.nonBlank(Json.text(answer, "token"));
        if (token == null) {
            throw CliException.error("the server answered the login without a token; nothing was stored");
        }
        CliConfig.Context context = placement.context();
        CliConfig changed = session.config().withContext(
                new CliConfig.Context(context.name(), context.server(), context.namespace(), token));
        if (placement.makeCurrent()) {
            changed = changed.withCurrentContext(context.name());
        }
        session.saveConfig(changed);
        if (placement.created()) {
            session.err().println("Context \"" + Text.cell(context.name()) + "\" created for " + context.server()
                    + " in " + session.configStore().path() + (placement.makeCurrent() ? "; it is now the current context." : "."));
        } else if (placement.makeCurrent()) {
            session.err().println("Context \"" + Text.cell(context.name()) + "\" is now the current context.");
        }
        String expires = Text.nonBlank(Json.text(answer, "expiresAt"));
        session.out().println("logged in as " + Text.cell(user)
                + (expires == null ? "" : " (token expires " + Text.cell(expires) + ")"));
        return WardenCli.OK;
    }

    /**
     * The context in use ({@code --context}, else the current one), else a new or existing
     * context named "default" that becomes current. Checked before anything is sent: a token
     * must not be stored in a context whose server is not the one that issued it.
     */
    private Placement placement(CliConfig config, Target target) {
        String server = target.server().toString();
        String name = target.contextName();
        boolean makeCurrent = false;
        if (name == null) {
            name = DEFAULT_CONTEXT;
            makeCurrent = true;
        }
        CliConfig.Context existing = config.context(name).orElse(null);
        if (existing == null) {
            return new Placement(new CliConfig.Context(name, server, null, null), true, makeCurrent);
        }
        String contextServer = Text.nonBlank(existing.server());
        if (contextServer != null && !Target.sameOrigin(Target.parseServer(contextServer), target.server())) {
            throw CliException.error(List.of(
                    "context \"" + Text.cell(name) + "\" is for " + Text.cell(contextServer) + ", not " + server
                            + "; a token from " + server + " is not stored there",
                    "Pick another context with --context NAME, or create one: warden config set-context NAME --server " + server));
        }
        return new Placement(new CliConfig.Context(name, Text.firstNonNull(contextServer, server), existing.namespace(), null),
                false, makeCurrent);
    }
}
