package io.warden.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden tokens ...}: API tokens for scripts, CI and workers ({@code /v1/tokens}).
 * {@code create} prints the new token once, alone on stdout, so that
 * {@code TOKEN=$(warden tokens create ...)} captures exactly the token; the details go to stderr.
 */
@Command(name = "tokens", description = "Create, list and revoke API tokens.")
final class TokensCommand implements Callable<Integer> {

    /** {@code 90m}, {@code 12h}, {@code 30d}: what the server accepts; the server checks the upper bound. */
    private static final Pattern TTL = Pattern.compile("[1-9][0-9]{0,6}[mhd]");

    /** What the NAMESPACE column shows for a cluster-wide token. */
    static final String CLUSTER_WIDE = "*";

    @Spec
    private CommandSpec spec;

    private final Session session;

    TokensCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(session.out());
        return WardenCli.OK;
    }

    static void checkTtl(String ttl) {
        if (ttl != null && !TTL.matcher(ttl).matches()) {
            throw CliException.usage("invalid --ttl \"" + Text.cell(ttl) + "\": a number with m, h or d, e.g. 90m, 12h, 30d");
        }
    }

    @Command(name = "create", description = {
            "Create an API token and print it once on stdout (details on stderr).",
            "Example: TOKEN=$(warden tokens create --name ci --role operator -n demo)"})
    int create(
            @Option(names = "--name", required = true, paramLabel = "NAME", description = "Token name.") String name,
            @Option(names = "--role", required = true, paramLabel = "ROLE", description = "Role the token acts with.") String role,
            @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
                    description = "Namespace the role applies in; absent: cluster-wide (admins only).") String namespace,
            @Option(names = "--ttl", paramLabel = "DURATION", description = "Lifetime: 90m, 12h, 30d (default 30d, at most 365d).") String ttl,
            @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
                    description = "json or yaml: print the whole answer, token included, instead of the token alone.") OutputFormat output) {
        if (output == OutputFormat.TABLE || output == OutputFormat.NAME) {
            throw CliException.usage("-o accepts json or yaml here; without -o the token alone is printed");
        }
        checkTtl(ttl);
        ObjectNode answer;
        try (JsonBody body = new JsonBody().put("name", name).put("role", role).put("namespace", namespace).put("ttl", ttl)) {
            answer = session.client().post("/v1/tokens", body.bytes(), WardenClient.Auth.BEARER);
        }
        String token = Text.nonBlank(Json.text(answer, "token"));
        if (token == null) {
            throw CliException.error("the server created the token but did not send it; revoke it with warden tokens revoke "
                    + Text.cell(Text.firstNonNull(Json.scalar(answer, "id"), "ID")));
        }
        if (output == OutputFormat.JSON) {
            session.out().println(Json.pretty(answer));
        } else if (output == OutputFormat.YAML) {
            session.out().print(Json.yaml(answer));
        } else {
            // Printed as is, since a cleaned token would silently be a different one; so it must be printable.
            if (!Text.isPrintableToken(token)) {
                throw CliException.error("the server sent a token with unprintable characters; revoke it with warden tokens revoke "
                        + Text.cell(Text.firstNonNull(Json.scalar(answer, "id"), "ID")));
            }
            session.out().println(token);
        }
        session.out().flush();
        String ns = Json.text(answer, "namespace");
        String expires = Json.text(answer, "expiresAt");
        session.err().println("Token \"" + Text.cell(Text.firstNonNull(Json.text(answer, "name"), name)) + "\" created"
                + " (id " + Text.cell(Text.firstNonNull(Json.scalar(answer, "id"), Columns.NONE))
                + ", role " + Text.cell(Text.firstNonNull(Json.text(answer, "role"), role))
                + ", " + (ns == null ? "cluster-wide" : "namespace " + Text.cell(ns))
                + (expires == null ? "" : ", expires " + Text.cell(expires)) + ").");
        session.err().println("It is shown only this once; store it now.");
        return WardenCli.OK;
    }

    @Command(name = "list", description = "List your API tokens (--all: everyone's, admins only). Never shows the tokens themselves.")
    int list(
            @Option(names = "--all", description = "Tokens of all users (admins only).") boolean all,
            @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                    description = "table, yaml, json or name (default: table).") OutputFormat output) {
        ObjectNode answer = session.client().get("/v1/tokens", all ? Map.of("all", "true") : Map.of());
        switch (output) {
            case JSON -> session.out().println(Json.pretty(answer));
            case YAML -> session.out().print(Json.yaml(answer));
            case NAME -> answer.path("items").forEach(t -> session.out().println(Text.cell(Json.scalar(t, "id"))));
            case TABLE -> {
                List<List<String>> rows = new ArrayList<>();
                Instant now = session.clock().instant();
                for (JsonNode t : answer.path("items")) {
                    rows.add(List.of(
                            cell(Json.scalar(t, "id")),
                            cell(Json.text(t, "name")),
                            cell(Json.text(t, "owner")),
                            cell(Json.text(t, "role")),
                            Json.text(t, "namespace") == null ? CLUSTER_WIDE : cell(Json.text(t, "namespace")),
                            Age.relative(Json.text(t, "expiresAt"), now, "never"),
                            Age.relative(Json.text(t, "lastUsedAt"), now, "never"),
                            Text.cell(Text.firstNonNull(Json.scalar(t, "revoked"), "false"))));
                }
                if (rows.isEmpty()) {
                    session.err().println("No tokens found.");
                } else {
                    Table.render(List.of("ID", "NAME", "OWNER", "ROLE", "NAMESPACE", "EXPIRES", "LAST USED", "REVOKED"), rows)
                            .forEach(session.out()::println);
                }
            }
        }
        return WardenCli.OK;
    }

    @Command(name = "revoke", description = "Revoke an API token at once.")
    int revoke(@Parameters(paramLabel = "ID", description = "Token id, as `warden tokens list` shows it.") String id) {
        try {
            session.client().delete("/v1/tokens/" + ResourceRef.segment(id));
        } catch (ApiException e) {
            throw e.status() == 404 ? CliException.error("token \"" + Text.cell(id) + "\" not found") : e;
        }
        session.out().println("token " + Text.cell(id) + " revoked");
        return WardenCli.OK;
    }

    private static String cell(String s) {
        return s == null || s.isEmpty() ? Columns.NONE : Text.cell(s);
    }
}
