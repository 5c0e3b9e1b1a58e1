package io.warden.api;

import java.util.List;
import java.util.Optional;

/** The registry of resource kinds this version of Warden serves. */
public final class Kinds {

    public static final String API_VERSION = "warden.dev/v1";

    public static final Kind NAMESPACE = new Kind("Namespace", "namespaces", false, List.of("namespace", "ns"));
    public static final Kind ROLE = new Kind("Role", "roles", false, List.of("role"));
    public static final Kind CLUSTER_ROLE_BINDING = new Kind("ClusterRoleBinding", "clusterrolebindings", false,
            List.of("clusterrolebinding", "crb"));
    public static final Kind ROLE_BINDING = new Kind("RoleBinding", "rolebindings", true, List.of("rolebinding", "rb"));
    public static final Kind AGENT = new Kind("Agent", "agents", true, List.of("agent"));
    public static final Kind TOOL = new Kind("Tool", "tools", true, List.of("tool"));
    public static final Kind POLICY = new Kind("Policy", "policies", true, List.of("policy", "pol"));
    public static final Kind MODEL_ENDPOINT = new Kind("ModelEndpoint", "modelendpoints", true, List.of("modelendpoint", "me"));
    public static final Kind WORKER = new Kind("Worker", "workers", true, List.of("worker"));

    private static final List<Kind> ALL = List.of(
            NAMESPACE, ROLE, CLUSTER_ROLE_BINDING, ROLE_BINDING, AGENT, TOOL, POLICY, MODEL_ENDPOINT, WORKER);

    private Kinds() {
    }

    public static List<Kind> all() {
        return ALL;
    }

    public static Optional<Kind> byPlural(String plural) {
        return ALL.stream().filter(k -> k.plural().equals(plural)).findFirst();
    }

    /** Exact kind name as written in a manifest ({@code kind: Tool}). */
    public static Optional<Kind> byName(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** What a person may type on the command line: name, plural or short name, any case. */
    public static Optional<Kind> lookup(String word) {
        return ALL.stream().filter(k -> k.isNamedBy(word)).findFirst();
    }
}
