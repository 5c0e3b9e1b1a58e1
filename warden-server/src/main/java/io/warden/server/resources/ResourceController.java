package io.warden.server.resources;

import io.warden.api.ApplyResult;
import io.warden.api.Kind;
import io.warden.api.Kinds;
import io.warden.api.ListMeta;
import io.warden.api.Names;
import io.warden.api.Resource;
import io.warden.api.ResourceList;
import io.warden.core.labels.LabelSelector;
import io.warden.server.WardenProperties;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.JsonBodies;
import io.warden.server.web.RequestContext;
import io.warden.server.web.Requires;
import io.warden.server.web.Verb;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Kubernetes-style resource API. Each mapping serves both the namespaced form
 * ({@code /v1/namespaces/{ns}/{plural}...}) and the cluster form ({@code /v1/{plural}...}).
 */
@RestController
class ResourceController {

    private static final String NS_LIST = "/v1/namespaces/{ns}/{plural}";
    private static final String NS_ITEM = "/v1/namespaces/{ns}/{plural}/{name}";
    private static final String NS_STATUS = "/v1/namespaces/{ns}/{plural}/{name}/status";
    private static final String CLUSTER_LIST = "/v1/{plural}";
    private static final String CLUSTER_ITEM = "/v1/{plural}/{name}";
    private static final String CLUSTER_STATUS = "/v1/{plural}/{name}/status";

    private final Resources resources;
    private final JsonBodies bodies;
    private final WatchStreams watches;
    private final int maxListLimit;

    ResourceController(Resources resources, JsonBodies bodies, WatchStreams watches, WardenProperties props) {
        this.resources = resources;
        this.bodies = bodies;
        this.watches = watches;
        this.maxListLimit = props.limits().maxListLimit();
    }

    /** A resolved URL: the kind, and the namespace ("" for cluster kinds). */
    private record Target(Kind kind, String namespace) {
    }

    @Requires(Verb.APPLY)
    @PutMapping({NS_ITEM, CLUSTER_ITEM})
    ResponseEntity<Resource> apply(@PathVariable(required = false) String ns, @PathVariable String plural,
            @PathVariable String name, @RequestBody(required = false) byte[] body,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        Target t = target(ns, plural);
        Resources.Applied applied = resources.apply(RequestContext.of(request), t.kind(), t.namespace(), name,
                bodies.parse(body, contentType));
        HttpStatus status = applied.result() == ApplyResult.CREATED ? HttpStatus.CREATED : HttpStatus.OK;
        return ResponseEntity.status(status).header(ApplyResult.HEADER, applied.result().word())
                .body(applied.resource());
    }

    @Requires(Verb.WRITE_STATUS)
    @PutMapping({NS_STATUS, CLUSTER_STATUS})
    Resource replaceStatus(@PathVariable(required = false) String ns, @PathVariable String plural,
            @PathVariable String name, @RequestBody(required = false) byte[] body,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        Target t = target(ns, plural);
        requireName(t, name);
        return resources.replaceStatus(RequestContext.of(request), t.kind(), t.namespace(), name,
                bodies.parse(body, contentType));
    }

    @Requires(Verb.GET)
    @GetMapping({NS_ITEM, CLUSTER_ITEM})
    Resource get(@PathVariable(required = false) String ns, @PathVariable String plural, @PathVariable String name) {
        Target t = target(ns, plural);
        requireName(t, name);
        return resources.get(t.kind(), t.namespace(), name);
    }

    @Requires(Verb.DELETE)
    @DeleteMapping({NS_ITEM, CLUSTER_ITEM})
    Resource delete(@PathVariable(required = false) String ns, @PathVariable String plural,
            @PathVariable String name, HttpServletRequest request) {
        Target t = target(ns, plural);
        requireName(t, name);
        return resources.delete(RequestContext.of(request), t.kind(), t.namespace(), name);
    }

    @Requires(Verb.LIST)
    @GetMapping(value = {NS_LIST, CLUSTER_LIST}, params = "!watch")
    ResourceList list(@PathVariable(required = false) String ns, @PathVariable String plural,
            @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String continueToken,
            @RequestParam(required = false) String labelSelector) {
        Target t = target(ns, plural);
        int n = limit == null ? Math.min(500, maxListLimit) : limit;
        if (n < 1 || n > maxListLimit) {
            throw ApiProblem.badRequest("limit must be between 1 and " + maxListLimit);
        }
        Resources.Page page = resources.list(t.kind(), t.namespace(), selector(labelSelector), n, continueToken);
        return new ResourceList(Kinds.API_VERSION, t.kind().listKind(),
                new ListMeta(Long.toString(page.version()), page.continueToken()), page.items());
    }

    @Requires(Verb.WATCH)
    @GetMapping(value = {NS_LIST, CLUSTER_LIST}, params = "watch")
    void watch(@PathVariable(required = false) String ns, @PathVariable String plural,
            @RequestParam boolean watch,
            @RequestParam(required = false) String resourceVersion,
            @RequestParam(required = false) String labelSelector,
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
            HttpServletResponse response) throws IOException {
        Target t = target(ns, plural);
        if (!watch) {
            throw ApiProblem.badRequest("watch=false: leave the parameter out to list");
        }
        LabelSelector selector = selector(labelSelector);
        String from = lastEventId != null && !lastEventId.isBlank() ? lastEventId : resourceVersion;
        Long fromVersion = null;
        if (from != null && !from.isBlank()) {
            try {
                fromVersion = Long.parseLong(from.strip());
            } catch (NumberFormatException e) {
                throw ApiProblem.badRequest("resourceVersion must be a decimal number");
            }
            if (fromVersion < 0) {
                throw ApiProblem.badRequest("resourceVersion must not be negative");
            }
        }
        if (t.kind().namespaced()) {
            resources.list(t.kind(), t.namespace(), LabelSelector.EVERYTHING, 1, null); // 404 for a missing namespace
        }
        watches.stream(t.kind(), t.namespace(), selector, fromVersion, response);
    }

    private static LabelSelector selector(String labelSelector) {
        try {
            return LabelSelector.parse(labelSelector);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    private static Target target(String ns, String plural) {
        Kind kind = Kinds.byPlural(plural).orElseThrow(
                () -> ApiProblem.notFound("unknown resource type '" + plural + "'"));
        if (ns == null) {
            if (kind.namespaced()) {
                throw ApiProblem.notFound(kind.plural() + " live in namespaces: use /v1/namespaces/{namespace}/"
                        + kind.plural());
            }
            return new Target(kind, "");
        }
        if (!kind.namespaced()) {
            throw ApiProblem.notFound(kind.plural() + " are cluster-wide: use /v1/" + kind.plural());
        }
        if (!Names.isDns1123Label(ns)) {
            throw ApiProblem.notFound("namespace '" + ns + "' not found");
        }
        return new Target(kind, ns);
    }

    /** A name that can never be stored is simply not found (no echo of odd input as an error class). */
    private static void requireName(Target t, String name) {
        if (!Names.isDns1123Label(name)) {
            throw Resources.notFound(t.kind(), t.namespace(), name);
        }
    }
}
