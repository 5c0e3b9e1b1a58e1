package io.warden.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code warden setup}: creates the first admin with the one-time setup token the server printed
 * and wrote to {@code <data-dir>/setup-token} on its first start ({@code POST /v1/setup}).
 */
@Command(name = "setup", description = {
        "Create the first admin user of a new server with its one-time setup token.",
        "Example: warden setup --token-file /var/lib/warden/setup-token --username admin"})
final class SetupCommand implements Callable<Integer> {

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the setup token (<data-dir>/setup-token).")
    private Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The setup token itself, as the server printed it.")
    private String token;

    @Option(names = "--username", required = true, paramLabel = "NAME", description = "Name of the admin to create.")
    private String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin instead of asking twice.")
    private boolean passwordStdin;

    private final Session session;

    SetupCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if ((tokenFile == null) == (token == null)) {
            throw CliException.usage("give the setup token with either --token-file FILE or --token TOKEN");
        }
        String setupToken = token != null ? token.strip() : readTokenFile(tokenFile);
        if (setupToken.isEmpty()) {
            throw CliException.usage("the setup token is empty");
        }
        WardenClient client = session.client();
        char[] password = session.secrets().fresh(passwordStdin, "Password for " + Text.cell(username) + ": ");
        try (JsonBody body = new JsonBody()
                .put("token", setupToken)
                .put("username", username)
                .putSecret("password", password)) {
            client.post("/v1/setup", body.bytes(), WardenClient.Auth.NONE);
        } catch (ApiException e) {
            throw explain(e);
        } finally {
            SecretInput.wipe(password);
        }
        String name = Text.cell(username);
        session.out().println("admin " + name + " created; now run: warden login --username " + name);
        return WardenCli.OK;
    }

    private static RuntimeException explain(ApiException e) {
        return switch (e.status()) {
            case 401 -> CliException.error(e.problem().lines("the server refused the setup token: "));
            case 409 -> CliException.error(e.problem().lines("this server is set up already (log in with an existing admin): "));
            default -> e;
        };
    }

    private static String readTokenFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw CliException.error("cannot read the setup token: " + file + " does not exist (it is removed once setup is done)");
        } catch (IOException e) {
            throw CliException.error("cannot read the setup token from " + file + ": " + UnreachableException.reason(e));
        }
    }
}
