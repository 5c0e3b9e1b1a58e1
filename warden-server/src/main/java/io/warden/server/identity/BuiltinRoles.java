package io.warden.server.identity;

import io.warden.api.Kinds;
import io.warden.server.resources.Resources;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.RequestContext;
import java.util.List;
import java.util.Map;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates the built-in roles when they are missing. An admin may edit them afterwards; they are
 * never overwritten. Policies and bindings are admin-only by default: a writer who could edit
 * them could grant itself anything.
 */
@Component
@Order(0)
class BuiltinRoles implements ApplicationRunner {

    private static final List<String> CONTENT = List.of("agents", "tools", "modelendpoints", "workers", "tasks");
    private static final List<String> READABLE = List.of("namespaces", "roles", "rolebindings", "agents", "tools",
            "policies", "modelendpoints", "workers", "tasks");

    static final Map<String, List<Map<String, Object>>> ROLES = Map.of(
            "reader", List.of(rule(READABLE, "get", "list", "watch")),
            "writer", List.of(rule(READABLE, "get", "list", "watch"), rule(CONTENT, "create", "update", "delete", "submit")),
            "approver", List.of(rule(READABLE, "get", "list", "watch"), rule(List.of("tasks", "approvals"), "approve")),
            "admin", List.of(rule(List.of("*"), "*")),
            "worker", List.of(rule(List.of("tasks"), "claim")),
            "agent", List.of(rule(List.of("tasks"), "submit")),
            "auditor", List.of(rule(List.of("auditevents", "auditcheckpoints"), "get", "list"),
                    rule(List.of("auditcheckpoints"), "create")));

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "reader", "Read resources (get, list, watch).",
            "writer", "Read, and create, update and delete agents, tools, model endpoints, workers and tasks.",
            "approver", "Read, and decide approvals.",
            "admin", "Everything, including users, roles, bindings and policies.",
            "worker", "Claim and report tasks only.",
            "agent", "Submit tool calls on its own behalf only.",
            "auditor", "Read and verify the audit ledger, and have its head checkpointed for an export; nothing else.");

    private final Resources resources;
    private final JsonMapper json;

    BuiltinRoles(Resources resources, JsonMapper json) {
        this.resources = resources;
        this.json = json;
    }

    private static Map<String, Object> rule(List<String> on, String... verbs) {
        return Map.of("resources", on, "verbs", List.of(verbs));
    }

    @Override
    public void run(ApplicationArguments args) {
        ROLES.forEach((name, rules) -> {
            if (resources.find(Kinds.ROLE, "", name).isPresent()) {
                return;
            }
            var manifest = json.valueToTree(Map.of("apiVersion", Kinds.API_VERSION, "kind", "Role",
                    "metadata", Map.of("name", name, "labels", Map.of("warden.dev/builtin", "true")),
                    "spec", Map.of("description", DESCRIPTIONS.get(name), "rules", rules)));
            try {
                resources.apply(RequestContext.SYSTEM, Kinds.ROLE, "", name, (tools.jackson.databind.JsonNode) manifest);
            } catch (ApiProblem e) {
                // another replica created it first
            }
        });
    }
}
