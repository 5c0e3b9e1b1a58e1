package io.warden.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden users ...}: the user accounts ({@code /v1/users}, admins only) and
 * {@code users passwd} to change one's own password ({@code POST /v1/auth/password}). Passwords
 * come from the terminal (asked twice when being set) or, with {@code --password-stdin}, one per
 * line of stdin.
 */
@Command(name = "users", description = "Manage user accounts (admins) and change your own password (passwd).")
final class UsersCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final Session session;

    UsersCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(session.out());
        return WardenCli.OK;
    }

    @Command(name = "list", description = "List the users.")
    int list(@Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, yaml, json or name (default: table).") OutputFormat output) {
        ObjectNode answer = session.client().get("/v1/users", Map.of());
        switch (output) {
            case JSON -> session.out().println(Json.pretty(answer));
            case YAML -> session.out().print(Json.yaml(answer));
            case NAME -> answer.path("items").forEach(u -> session.out().println(Text.cell(Json.text(u, "username"))));
            case TABLE -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode u : answer.path("items")) {
                    rows.add(List.of(
                            Text.cell(Text.firstNonNull(Json.text(u, "username"), Columns.NONE)),
                            Text.cell(Text.firstNonNull(Json.scalar(u, "disabled"), "false")),
                            Age.relative(Json.text(u, "createdAt"), session.clock().instant(), Age.UNKNOWN),
                            Age.relative(Json.text(u, "lastLoginAt"), session.clock().instant(), "never")));
                }
                if (rows.isEmpty()) {
                    session.err().println("No users found.");
                } else {
                    Table.render(List.of("USERNAME", "DISABLED", "CREATED", "LAST LOGIN"), rows).forEach(session.out()::println);
                }
            }
        }
        return WardenCli.OK;
    }

    @Command(name = "create", description = "Create a user; its password is asked twice, or read from stdin.")
    int create(@Parameters(paramLabel = "NAME", description = "User name: 1-64 of a-z 0-9 . _ -.") String name,
               @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.") boolean passwordStdin) {
        WardenClient client = session.client();
        char[] password = session.secrets().fresh(passwordStdin, "Password for " + Text.cell(name) + ": ");
        try (JsonBody body = new JsonBody().put("username", name).putSecret("password", password)) {
            client.post("/v1/users", body.bytes(), WardenClient.Auth.BEARER);
        } finally {
            SecretInput.wipe(password);
        }
        session.out().println("user " + Text.cell(name) + " created");
        return WardenCli.OK;
    }

    @Command(name = "disable", description = "Disable a user; its sessions and tokens are revoked.")
    int disable(@Parameters(paramLabel = "NAME", description = "User name.") String name) {
        return action(name, "disable", "disabled");
    }

    @Command(name = "enable", description = "Enable a disabled user.")
    int enable(@Parameters(paramLabel = "NAME", description = "User name.") String name) {
        return action(name, "enable", "enabled");
    }

    @Command(name = "delete", description = "Delete a user with its sessions and tokens.")
    int delete(@Parameters(paramLabel = "NAME", description = "User name.") String name) {
        try {
            session.client().delete(userPath(name));
        } catch (ApiException e) {
            throw notFound(name, e);
        }
        session.out().println("user " + Text.cell(name) + " deleted");
        return WardenCli.OK;
    }

    @Command(name = "reset-password", description = "Set another user's password; its sessions and personal tokens are revoked.")
    int resetPassword(@Parameters(paramLabel = "NAME", description = "User name.") String name,
                      @Option(names = "--password-stdin", description = "Read the new password from the first line of stdin.") boolean passwordStdin) {
        WardenClient client = session.client();
        char[] password = session.secrets().fresh(passwordStdin, "New password for " + Text.cell(name) + ": ");
        try (JsonBody body = new JsonBody().putSecret("password", password)) {
            client.post(userPath(name) + "/password", body.bytes(), WardenClient.Auth.BEARER);
        } catch (ApiException e) {
            throw notFound(name, e);
        } finally {
            SecretInput.wipe(password);
        }
        session.out().println("password of user " + Text.cell(name) + " reset");
        return WardenCli.OK;
    }

    @Command(name = "passwd", description = {
            "Change your own password: asks the current one, then the new one twice.",
            "With --password-stdin: the current password on the first line, the new one on the second."})
    int passwd(@Option(names = "--password-stdin", description = "Read both passwords from stdin, one per line.") boolean passwordStdin) {
        WardenClient client = session.client();
        if (client.target().token() == null) {
            throw CliException.error("not logged in: passwd changes the password of the logged-in user (run: warden login)");
        }
        char[] current = session.secrets().existing(passwordStdin, "Current password: ");
        char[] fresh = null;
        try {
            fresh = session.secrets().fresh(passwordStdin, "New password: ");
            try (JsonBody body = new JsonBody().putSecret("currentPassword", current).putSecret("newPassword", fresh)) {
                client.post("/v1/auth/password", body.bytes(), WardenClient.Auth.BEARER);
            }
        } finally {
            SecretInput.wipe(current);
            SecretInput.wipe(fresh);
        }
        session.out().println("password changed");
        session.err().println("Your sessions and personal (login) tokens were revoked; if this context holds one, run: warden login");
        return WardenCli.OK;
    }

    private int action(String name, String verb, String done) {
        try {
            session.client().post(userPath(name) + "/" + verb, null, WardenClient.Auth.BEARER);
        } catch (ApiException e) {
            throw notFound(name, e);
        }
        session.out().println("user " + Text.cell(name) + " " + done);
        return WardenCli.OK;
    }

    private static String userPath(String name) {
        return "/v1/users/" + ResourceRef.segment(name);
    }

    private static RuntimeException notFound(String name, ApiException e) {
        return e.status() == 404 ? CliException.error("user \"" + Text.cell(name) + "\" not found") : e;
    }
}
