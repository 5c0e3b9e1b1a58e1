package io.warden.server.identity;

import io.warden.api.Kinds;
import io.warden.api.Names;
import io.warden.api.Resource;
import io.warden.server.resources.Resources;
import io.warden.server.web.AccessPolicy;
import io.warden.server.web.AccessRequest;
import io.warden.server.web.Caller;
import io.warden.server.web.Verb;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Role-based access from Role, RoleBinding and ClusterRoleBinding resources. Deny by default:
 * a verb is allowed only when a rule of one of the caller's roles names it. A caller with no role
 * at all in a namespace is told the thing does not exist (404), never that it is forbidden.
 */
@Component
public class RoleBasedAccess implements AccessPolicy {

    private final Resources resources;
    private final IdentityEvents events;

    RoleBasedAccess(Resources resources, IdentityEvents events) {
        this.resources = resources;
        this.events = events;
    }

    /** Every refusal is an audit event (on the namespace's chain when there is one), before the answer. */
    private Deny refuse(AccessRequest request, String namespace, String reason, boolean hide) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("verb", request.verb().ruleName());
        details.put("resource", request.resource() != null && request.resource().length() <= 64 ? request.resource() : "(long)");
        details.put("answer", hide ? 404 : 403);
        // Only an existing namespace gets the record on its chain: a name typed into a URL must not
        // create chains (or overflow columns). Anything else goes to the cluster chain.
        boolean known = namespace != null && Names.isDns1123Label(namespace)
                && resources.find(Kinds.NAMESPACE, "", namespace).isPresent();
        String name = request.name() != null && request.name().length() <= 253 ? request.name() : null;
        String resource = request.resource() != null && request.resource().length() <= 64 ? request.resource() : null;
        events.appendRefusal(request.context(), known ? namespace : null, resource, name, details);
        return new Deny(reason, hide);
    }

    @Override
    public Decision decide(AccessRequest request) {
        if (request.verb() == Verb.PUBLIC) {
            return new Allow();
        }
        Caller caller = request.caller();
        if (!caller.authenticated()) {
            return new Unauthenticated();
        }
        if (caller.credential() instanceof Caller.Credential.WorkerToken || request.verb() == Verb.WORKER) {
            // A worker credential reaches the worker routes and nothing else; only it reaches them.
            return caller.credential() instanceof Caller.Credential.WorkerToken && request.verb() == Verb.WORKER
                    ? new Allow()
                    : refuse(request, request.namespace(), "only a worker's own credential may call this, and it may call nothing else", false);
        }
        if (request.verb() == Verb.SELF) {
            return new Allow();
        }
        String namespace = request.namespace();
        if (namespace == null && "namespaces".equals(request.resource()) && request.name() != null) {
            namespace = request.name(); // a Namespace object belongs to its own namespace's readers
        }
        Set<String> roles = rolesOf(caller, namespace);
        if (namespace != null && roles.isEmpty()) {
            return refuse(request, namespace, "no role in this namespace", true);
        }
        String resource = request.verb() == Verb.WRITE_STATUS ? request.resource() + "/status" : request.resource();
        List<String> verbs = switch (request.verb()) {
            case APPLY -> List.of("create", "update");
            case WRITE_STATUS -> List.of("update");
            default -> List.of(request.verb().ruleName());
        };
        for (String verb : verbs) {
            if (!allows(roles, resource, verb)) {
                return refuse(request, namespace, "your roles do not allow '" + verb + "' on " + resource, false);
            }
        }
        return new Allow();
    }

    /** True when one of the caller's roles allows {@code verb} on {@code resource} there. */
    public boolean allows(Caller caller, String namespace, String resource, String verb) {
        return allows(rolesOf(caller, namespace), resource, verb);
    }

    /** Role names the caller holds in a namespace (cluster-wide roles included); null: cluster only. */
    public Set<String> rolesOf(Caller caller, String namespace) {
        Set<String> roles = new LinkedHashSet<>();
        if (caller.credential() instanceof Caller.Credential.ScopedToken t
                && (t.namespace() == null || t.namespace().equals(namespace))) {
            roles.add(t.role());
        }
        for (Resource b : resources.all(Kinds.CLUSTER_ROLE_BINDING, "")) {
            addIfSubject(roles, b, caller);
        }
        if (namespace != null) {
            for (Resource b : resources.all(Kinds.ROLE_BINDING, namespace)) {
                addIfSubject(roles, b, caller);
            }
        }
        return roles;
    }

    /**
     * A session or personal token is its user; a scoped token is itself (subject kind Token, by
     * token name) and never its owner, so a token cannot reach beyond what it was given.
     */
    private static void addIfSubject(Set<String> roles, Resource binding, Caller caller) {
        if (caller.credential() instanceof Caller.Credential.WorkerToken) {
            return; // a worker is no user: no binding names it
        }
        String kind;
        String name;
        if (caller.credential() instanceof Caller.Credential.ScopedToken t) {
            kind = "Token";
            name = t.name();
        } else {
            kind = "User";
            name = caller.username();
        }
        for (JsonNode s : binding.spec().path("subjects")) {
            if (kind.equals(s.path("kind").asString()) && s.path("name").asString().equals(name)) {
                roles.add(binding.spec().path("roleRef").path("name").asString());
            }
        }
    }

    private boolean allows(Set<String> roles, String resource, String verb) {
        for (String role : roles) {
            var found = resources.find(Kinds.ROLE, "", role);
            if (found.isEmpty()) {
                continue;
            }
            for (JsonNode rule : found.get().spec().path("rules")) {
                if (matches(rule.path("resources"), resource) && matches(rule.path("verbs"), verb)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(JsonNode list, String value) {
        for (JsonNode v : list) {
            String s = v.asString();
            if (s.equals("*") || s.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
