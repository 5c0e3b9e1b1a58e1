package io.warden.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code warden whoami}: who the server takes the caller for ({@code GET /v1/auth/whoami}). */
@Command(name = "whoami", description = "Show the identity the server sees: user, token, roles and bindings.")
final class WhoamiCommand implements Callable<Integer> {

    private static final int LABEL_WIDTH = "Cluster roles:".length() + 2;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, yaml or json (default: table).")
    private OutputFormat output;

    private final Session session;

    WhoamiCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        if (output == OutputFormat.NAME) {
            throw CliException.usage("-o name is not supported here; use table, yaml or json");
        }
        JsonNode identity;
        try {
            identity = session.client().get("/v1/auth/whoami", Map.of());
        } catch (ApiException e) {
            throw e.status() == 401
                    ? CliException.error(e.problem().lines("not logged in (run: warden login): "))
                    : e;
        }
        switch (output) {
            case JSON -> session.out().println(Json.pretty(identity));
            case YAML -> session.out().print(Json.yaml(identity));
            default -> render(identity).forEach(session.out()::println);
        }
        return WardenCli.OK;
    }

    /**
     * <pre>
     * User:           alice
     * Token:          ci-deploy           (only when the caller is an API token: kind "token")
     * Via:            token
     * Cluster roles:  admin
     * Bindings:
     *   NAMESPACE   ROLE
     *   demo        operator
     * </pre>
     */
    static List<String> render(JsonNode identity) {
        List<String> lines = new ArrayList<>();
        lines.add(pad("User:") + orNone(Json.text(identity, "user")));
        if ("token".equals(Json.text(identity, "kind"))) {
            lines.add(pad("Token:") + orNone(Json.text(identity, "name")));
        }
        lines.add(pad("Via:") + orNone(Json.text(identity, "via")));
        List<String> roles = new ArrayList<>();
        for (JsonNode role : identity.path("clusterRoles")) {
            if (role.isString()) {
                roles.add(Text.cell(role.stringValue()));
            }
        }
        lines.add(pad("Cluster roles:") + (roles.isEmpty() ? Columns.NONE : String.join(", ", roles)));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode binding : identity.path("bindings")) {
            rows.add(List.of(orNone(Json.text(binding, "namespace")), orNone(Json.text(binding, "role"))));
        }
        if (rows.isEmpty()) {
            lines.add(pad("Bindings:") + Columns.NONE);
        } else {
            lines.add("Bindings:");
            Table.render(List.of("NAMESPACE", "ROLE"), rows).forEach(line -> lines.add("  " + line));
        }
        return lines;
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? Columns.NONE : Text.cell(s);
    }

    private static String pad(String label) {
        return label + " ".repeat(Math.max(1, LABEL_WIDTH - label.length()));
    }
}
