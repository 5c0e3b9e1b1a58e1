package io.warden.server.identity;

import static io.warden.server.identity.AuthorizationMatrixTest.Who.ADMIN;
import static io.warden.server.identity.AuthorizationMatrixTest.Who.AGENT;
import static io.warden.server.identity.AuthorizationMatrixTest.Who.ANONYMOUS;
import static io.warden.server.identity.AuthorizationMatrixTest.Who.APPROVER;
import static io.warden.server.identity.AuthorizationMatrixTest.Who.OUTSIDER;
import static io.warden.server.identity.AuthorizationMatrixTest.Who.READER;
import static io.warden.server.identity.AuthorizationMatrixTest.Who.WORKER;
import static io.warden.server.identity.AuthorizationMatrixTest.Who.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import io.warden.server.testing.Api;
import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The authorization matrix: every route the server registers, asked by every kind of principal,
 * answers the status the access rules promise. The rows are checked against the server's own
 * route table, so a route added without a row here fails the build, and so does a row whose
 * route is gone.
 *
 * <p>The rules the expectations are written from:
 * <ul>
 * <li>No identity: 401, except on the public routes (health, version, setup, login).
 * <li>A namespace is a security boundary: without a binding in it, everything in it is 404, so
 *     its existence does not leak. The Namespace object {@code N} itself is addressed inside
 *     {@code N} (RoleBasedAccess), whatever the verb; so creating a namespace that does not exist
 *     yet is 404 for everyone but a cluster admin (anything else would make PUT an existence oracle).
 * <li>Bound in the namespace but no rule for the verb: 403.
 * <li>Built-in roles (BuiltinRoles): reader and approver read everything readable; writer also
 *     writes agents, tools, model endpoints and workers; policies and role bindings are admin-only;
 *     worker and agent roles cover tasks only; status is written by admins only (server-internal).
 * <li>Cluster routes (roles, cluster role bindings, users, the namespace list): cluster admins
 *     only, 403 for everyone else: there is no namespace to hide.
 * <li>SELF routes (whoami, logout, password, own tokens): any authenticated principal.
 * <li>The audit ledger and metrics: cluster admins (and auditors for the ledger); the
 *     checkpoints' public key is public.
 * </ul>
 *
 * <p>Every write is per principal (each writes or deletes its own object) or idempotent, so the
 * order the cells run in does not matter; logout and password change use throwaway credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

    /** The principals of the matrix, in column order. */
    enum Who {
        ANONYMOUS, READER, WRITER, APPROVER, ADMIN, WORKER, AGENT, OUTSIDER;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String DEMO = "demo";
    private static final String OTHER = "other";
    private static final String NOWHERE = "nowhere";
    private static final String PASSWORD = "matrix-Passphrase-0451";
    private static final String NEW_PASSWORD = "matrix-Passphrase-0452-changed";

    /** Everyone with a binding in demo (the admin through its cluster-wide binding). */
    private static final Set<Who> BOUND_IN_DEMO = EnumSet.of(READER, WRITER, APPROVER, ADMIN, WORKER, AGENT);
    /** The outsider is a writer in other, and nothing in demo. */
    private static final Set<Who> BOUND_IN_OTHER = EnumSet.of(OUTSIDER, ADMIN);
    private static final Set<Who> READ_IN_DEMO = EnumSet.of(READER, WRITER, APPROVER, ADMIN);
    private static final Set<Who> CONTENT_WRITERS_IN_DEMO = EnumSet.of(WRITER, ADMIN);
    private static final Set<Who> ADMIN_ONLY = EnumSet.of(ADMIN);

    /** Who may get, list and watch each namespaced kind in demo. */
    private static final Map<String, Set<Who>> READERS_IN_DEMO = Map.of(
            "rolebindings", READ_IN_DEMO,
            "agents", READ_IN_DEMO,
            "tools", READ_IN_DEMO,
            "policies", READ_IN_DEMO,
            "modelendpoints", READ_IN_DEMO,
            "workers", READ_IN_DEMO);

    /** Who may create, update and delete each namespaced kind in demo: policies and bindings are admin-only. */
    private static final Map<String, Set<Who>> WRITERS_IN_DEMO = Map.of(
            "rolebindings", ADMIN_ONLY,
            "agents", CONTENT_WRITERS_IN_DEMO,
            "tools", CONTENT_WRITERS_IN_DEMO,
            "policies", ADMIN_ONLY,
            "modelendpoints", CONTENT_WRITERS_IN_DEMO,
            "workers", CONTENT_WRITERS_IN_DEMO);

    /** A valid spec of every kind, single quotes for double quotes. */
    private static final Map<String, String> SAMPLE_SPEC = Map.of(
            "namespaces", "{'description':'made by the authorization matrix'}",
            "roles", "{'rules':[{'resources':['tools'],'verbs':['get']}]}",
            "clusterrolebindings", "{'roleRef':{'name':'reader'},'subjects':[{'kind':'User','name':'nobody'}]}",
            "rolebindings", "{'roleRef':{'name':'reader'},'subjects':[{'kind':'User','name':'nobody'}]}",
            "agents", "{'modelEndpoint':'fixed','model':'some-model'}",
            "tools", "{'type':'exec','exec':{'command':['true']}}",
            "policies", "{'rules':[{'name':'anything','effect':'allow'}]}",
            "modelendpoints", "{'provider':'openai','baseUrl':'https://models.example'}",
            "workers", "{'concurrency':1}");

    private static final String STATUS_BODY = json("{'status':{'phase':'seen-by-the-matrix'}}");

    private TestServer server;
    private Api admin;
    private final Map<Who, Api> apis = new EnumMap<>(Who.class);
    /** A second personal token of each principal, for logging out. */
    private final Map<Who, Api> throwawayTokens = new EnumMap<>(Who.class);
    /** A user bound like each principal, for changing its password. */
    private final Map<Who, Api> throwawayUsers = new EnumMap<>(Who.class);
    /** A scoped token each principal owns, for revoking. */
    private final Map<Who, String> ownTokenIds = new EnumMap<>(Who.class);
    /** A scoped token someone else owns, for each principal to try to revoke. */
    private final Map<Who, String> othersTokenIds = new EnumMap<>(Who.class);
    private final Map<String, List<Case>> table = new LinkedHashMap<>();
    /** A task in demo everyone may read; and one per principal to cancel. */
    private String demoTask;
    private final Map<Who, String> cancelTaskIds = new EnumMap<>(Who.class);

    // --- the table ----------------------------------------------------------------------------

    /** One request of a row, as each principal makes it, and what each must get. */
    record Case(String what, Function<Who, Call> call, Map<Who, Integer> expected) {
    }

    /** A request; {@code as} overrides the principal's own credential (throwaway tokens). */
    record Call(String method, String path, String body, Api as, boolean stream) {
        Call as(Api api) {
            return new Call(method, path, body, api, stream);
        }
    }

    private void row(String route, Case... cases) {
        if (table.put(route, List.of(cases)) != null) {
            throw new IllegalStateException("two rows for " + route);
        }
    }

    private void row(String route, List<Case> cases) {
        row(route, cases.toArray(Case[]::new));
    }

    private static Case when(String what, Function<Who, Call> call, Map<Who, Integer> expected) {
        return new Case(what, call, expected);
    }

    private void buildTable() {
        // System: open to everyone.
        row("GET /healthz", when("liveness", w -> get("/healthz"), everyone(200)));
        row("GET /readyz", when("readiness", w -> get("/readyz"), everyone(200)));
        row("GET /v1/version", when("version", w -> get("/v1/version"), everyone(200)));

        // Bootstrap and credentials exchange: public; they judge the body, not the caller.
        row("POST /v1/setup", when("setup is already done", w -> post("/v1/setup",
                json("{'token':'not-the-setup-token','username':'late-" + w.id() + "','password':'" + PASSWORD + "'}")),
                everyone(409)));
        row("POST /v1/auth/login", when("unknown user in the body", w -> post("/v1/auth/login",
                json("{'username':'nobody-" + w.id() + "','password':'" + PASSWORD + "'}")), everyone(401)));
        row("POST /v1/auth/token", when("unknown user in the body", w -> post("/v1/auth/token",
                json("{'username':'nobody-" + w.id() + "','password':'" + PASSWORD + "'}")), everyone(401)));

        // About oneself.
        row("POST /v1/auth/logout", when("a throwaway personal token of the principal",
                w -> post("/v1/auth/logout", null).as(throwawayTokens.get(w)), self(204)));
        row("GET /v1/auth/whoami", when("who am I", w -> get("/v1/auth/whoami"), self(200)));
        row("POST /v1/auth/password", when("a throwaway user bound like the principal",
                w -> post("/v1/auth/password", json("{'currentPassword':'" + PASSWORD + "','newPassword':'" + NEW_PASSWORD + "'}"))
                        .as(throwawayUsers.get(w)), self(204)));

        // Users: cluster admins only.
        row("GET /v1/users", when("list", w -> get("/v1/users"), cluster(ADMIN_ONLY, 200)));
        row("POST /v1/users", when("create made-by-<principal>", w -> post("/v1/users",
                json("{'username':'made-by-" + w.id() + "','password':'" + PASSWORD + "'}")), cluster(ADMIN_ONLY, 201)));
        row("GET /v1/users/{username}", when("get target", w -> get("/v1/users/target"), cluster(ADMIN_ONLY, 200)));
        row("POST /v1/users/{username}/disable", when("disable target", w -> post("/v1/users/target/disable", null),
                cluster(ADMIN_ONLY, 200)));
        row("POST /v1/users/{username}/enable", when("enable target", w -> post("/v1/users/target/enable", null),
                cluster(ADMIN_ONLY, 200)));
        row("POST /v1/users/{username}/password", when("reset target's password", w -> post("/v1/users/target/password",
                json("{'password':'" + NEW_PASSWORD + "'}")), cluster(ADMIN_ONLY, 204)));
        row("DELETE /v1/users/{username}", when("delete doomed (admin) / spare (the rest)",
                w -> delete("/v1/users/" + (w == ADMIN ? "doomed" : "spare")), cluster(ADMIN_ONLY, 204)));

        // API tokens: anyone may mint, list and revoke its own; granting and others' tokens are limited.
        row("POST /v1/tokens",
                when("a role the caller holds, where it holds it", w -> post("/v1/tokens", ownTokenBody(w, "mint-" + w.id())),
                        self(201)),
                when("reader in demo (only a role one holds there)", w -> post("/v1/tokens",
                        json("{'name':'demo-reader-" + w.id() + "','role':'reader','namespace':'demo'}")),
                        inNamespace(BOUND_IN_DEMO, EnumSet.of(READER, ADMIN), 201)),
                when("cluster-wide (admins only)", w -> post("/v1/tokens",
                        json("{'name':'cluster-" + w.id() + "','role':'reader'}")), cluster(ADMIN_ONLY, 201)));
        row("GET /v1/tokens",
                when("own tokens", w -> get("/v1/tokens"), self(200)),
                when("everyone's (?all=true)", w -> get("/v1/tokens?all=true"), cluster(ADMIN_ONLY, 200)));
        row("DELETE /v1/tokens/{id}",
                when("own scoped token", w -> delete("/v1/tokens/" + ownTokenIds.getOrDefault(w, "no-such-token")),
                        self(204)),
                when("someone else's token (404 unless admin)",
                        w -> delete("/v1/tokens/" + othersTokenIds.getOrDefault(w, "no-such-token")),
                        hiddenUnless(ADMIN_ONLY, 204)));

        // The audit ledger: admins (and the auditor role, AuditorAccessTest); the public key is public.
        row("GET /v1/audit/events", when("events of demo", w -> get("/v1/audit/events?namespace=demo"), cluster(ADMIN_ONLY, 200)));
        row("GET /v1/audit/checkpoints", when("checkpoints", w -> get("/v1/audit/checkpoints"), cluster(ADMIN_ONLY, 200)));
        row("POST /v1/audit/checkpoints", when("checkpoint the cluster chain now",
                w -> post("/v1/audit/checkpoints?cluster=true", null), cluster(ADMIN_ONLY, 200)));
        row("GET /v1/audit/verify", when("verify demo", w -> get("/v1/audit/verify?namespace=demo"), cluster(ADMIN_ONLY, 200)));
        row("GET /v1/audit/public-key", when("public key", w -> get("/v1/audit/public-key"), everyone(200)));
        row("GET /v1/metrics", when("metrics", w -> get("/v1/metrics"), cluster(ADMIN_ONLY, 200)));

        // Tasks: submitted by writers and agents, read by readers, cancelled and retried by writers.
        Set<Who> submitters = EnumSet.of(WRITER, AGENT, ADMIN);
        row("POST /v1/namespaces/{ns}/tasks", when("run the fixed tool in demo",
                w -> post("/v1/namespaces/demo/tasks", json("{'tool':'fixed','args':{}}")), inNamespace(BOUND_IN_DEMO, submitters, 201)));
        row("GET /v1/namespaces/{ns}/tasks", when("tasks in demo", w -> get("/v1/namespaces/demo/tasks"),
                inNamespace(BOUND_IN_DEMO, READ_IN_DEMO, 200)));
        row("GET /v1/namespaces/{ns}/tasks/{id}", when("a task in demo", w -> get("/v1/namespaces/demo/tasks/" + demoTask),
                inNamespace(BOUND_IN_DEMO, READ_IN_DEMO, 200)));
        row("GET /v1/namespaces/{ns}/tasks/{id}/events", when("a task's history in demo",
                w -> get("/v1/namespaces/demo/tasks/" + demoTask + "/events"), inNamespace(BOUND_IN_DEMO, READ_IN_DEMO, 200)));
        row("POST /v1/namespaces/{ns}/tasks/{id}/cancel", when("cancel-<principal> in demo",
                w -> post("/v1/namespaces/demo/tasks/" + cancelTaskIds.get(w) + "/cancel", null),
                inNamespace(BOUND_IN_DEMO, CONTENT_WRITERS_IN_DEMO, 200)));
        row("POST /v1/namespaces/{ns}/tasks/{id}/retry", when("retry a task that is not dead-lettered (409 when allowed)",
                w -> post("/v1/namespaces/demo/tasks/" + demoTask + "/retry", null), inNamespace(BOUND_IN_DEMO, CONTENT_WRITERS_IN_DEMO, 409)));

        // Workers: credentials are minted by those who may create Workers; the worker protocol
        // takes a Worker's own credential, which no principal here holds (WorkerProtocolTest).
        row("POST /v1/namespaces/{ns}/workers/{name}/credentials", when("the fixed worker in demo",
                w -> post("/v1/namespaces/demo/workers/fixed/credentials", null), inNamespace(BOUND_IN_DEMO, CONTENT_WRITERS_IN_DEMO, 201)));
        for (String route : List.of("claim", "heartbeat")) {
            row("POST /v1/workers/" + route, when("without a worker credential", w -> post("/v1/workers/" + route, json("{}")),
                    authenticated(403)));
        }
        for (String route : List.of("events", "complete", "fail", "release")) {
            row("POST /v1/workers/tasks/{id}/" + route, when("without a worker credential",
                    w -> post("/v1/workers/tasks/" + demoTask + "/" + route, json("{'attempt':1}")), authenticated(403)));
        }

        // Namespaced resources, every namespaced kind.
        List<Kind> namespaced = Kinds.all().stream().filter(Kind::namespaced).toList();
        List<Kind> clusterKinds = Kinds.all().stream().filter(k -> !k.namespaced()).toList();

        List<Case> apply = new ArrayList<>();
        for (Kind k : namespaced) {
            apply.add(when(k.plural() + " put-<principal> in demo", w -> put(nsItem(DEMO, k, "put-" + w.id()),
                    manifest(k, "put-" + w.id())), inNamespace(BOUND_IN_DEMO, WRITERS_IN_DEMO.get(k.plural()), 201)));
        }
        apply.add(when("tools put-<principal> in other", w -> put(nsItem(OTHER, Kinds.TOOL, "put-" + w.id()),
                manifest(Kinds.TOOL, "put-" + w.id())), inNamespace(BOUND_IN_OTHER, BOUND_IN_OTHER, 201)));
        apply.add(when("tools in a namespace that does not exist", w -> put(nsItem(NOWHERE, Kinds.TOOL, "put-" + w.id()),
                manifest(Kinds.TOOL, "put-" + w.id())), authenticated(404)));
        row("PUT /v1/namespaces/{ns}/{plural}/{name}", apply);

        List<Case> read = new ArrayList<>();
        for (Kind k : namespaced) {
            read.add(when(k.plural() + " fixed in demo", w -> get(nsItem(DEMO, k, "fixed")),
                    inNamespace(BOUND_IN_DEMO, READERS_IN_DEMO.get(k.plural()), 200)));
        }
        row("GET /v1/namespaces/{ns}/{plural}/{name}", read);

        List<Case> remove = new ArrayList<>();
        for (Kind k : namespaced) {
            remove.add(when(k.plural() + " del-<principal> in demo", w -> delete(nsItem(DEMO, k, "del-" + w.id())),
                    inNamespace(BOUND_IN_DEMO, WRITERS_IN_DEMO.get(k.plural()), 200)));
        }
        row("DELETE /v1/namespaces/{ns}/{plural}/{name}", remove);

        List<Case> status = new ArrayList<>();
        for (Kind k : namespaced) {
            status.add(when(k.plural() + " fixed in demo", w -> put(nsItem(DEMO, k, "fixed") + "/status", STATUS_BODY),
                    inNamespace(BOUND_IN_DEMO, ADMIN_ONLY, 200)));
        }
        row("PUT /v1/namespaces/{ns}/{plural}/{name}/status", status);

        List<Case> list = new ArrayList<>();
        for (Kind k : namespaced) {
            list.add(when(k.plural() + " in demo", w -> get(nsList(DEMO, k)),
                    inNamespace(BOUND_IN_DEMO, READERS_IN_DEMO.get(k.plural()), 200)));
        }
        list.add(when("tools in other", w -> get(nsList(OTHER, Kinds.TOOL)), inNamespace(BOUND_IN_OTHER, BOUND_IN_OTHER, 200)));
        list.add(when("tools in a namespace that does not exist", w -> get(nsList(NOWHERE, Kinds.TOOL)), authenticated(404)));
        row("GET /v1/namespaces/{ns}/{plural} [!watch]", list);

        List<Case> watch = new ArrayList<>();
        for (Kind k : namespaced) {
            watch.add(when(k.plural() + " in demo", w -> watch(nsList(DEMO, k) + "?watch=true"),
                    inNamespace(BOUND_IN_DEMO, READERS_IN_DEMO.get(k.plural()), 200)));
        }
        row("GET /v1/namespaces/{ns}/{plural} [watch]", watch);

        // Cluster kinds. A Namespace object lives in itself; everything else is for cluster admins.
        List<Case> clusterApply = new ArrayList<>();
        List<Case> clusterRead = new ArrayList<>();
        List<Case> clusterDelete = new ArrayList<>();
        List<Case> clusterStatus = new ArrayList<>();
        List<Case> clusterList = new ArrayList<>();
        List<Case> clusterWatch = new ArrayList<>();
        for (Kind k : clusterKinds) {
            String p = k.plural();
            if (k.equals(Kinds.NAMESPACE)) {
                clusterApply.add(when("namespaces demo, unchanged", w -> put("/v1/namespaces/demo", manifest(k, DEMO)),
                        inNamespace(BOUND_IN_DEMO, ADMIN_ONLY, 200)));
                clusterApply.add(when("namespaces new-<principal> (nobody is bound there yet)",
                        w -> put("/v1/namespaces/new-" + w.id(), manifest(k, "new-" + w.id())),
                        inNamespace(ADMIN_ONLY, ADMIN_ONLY, 201)));
                clusterRead.add(when("namespaces demo", w -> get("/v1/namespaces/demo"),
                        inNamespace(BOUND_IN_DEMO, READ_IN_DEMO, 200)));
                clusterRead.add(when("namespaces other", w -> get("/v1/namespaces/other"),
                        inNamespace(BOUND_IN_OTHER, BOUND_IN_OTHER, 200)));
                clusterDelete.add(when("namespaces gone-admin (admin, empty) / demo (the rest)",
                        w -> delete("/v1/namespaces/" + (w == ADMIN ? "gone-admin" : DEMO)),
                        inNamespace(BOUND_IN_DEMO, ADMIN_ONLY, 200)));
                clusterStatus.add(when("namespaces demo", w -> put("/v1/namespaces/demo/status", STATUS_BODY),
                        inNamespace(BOUND_IN_DEMO, ADMIN_ONLY, 200)));
            } else {
                clusterApply.add(when(p + " put-<principal>", w -> put("/v1/" + p + "/put-" + w.id(),
                        manifest(k, "put-" + w.id())), cluster(ADMIN_ONLY, 201)));
                clusterRead.add(when(p + " fixed", w -> get("/v1/" + p + "/fixed"), cluster(ADMIN_ONLY, 200)));
                clusterDelete.add(when(p + " del-<principal>", w -> delete("/v1/" + p + "/del-" + w.id()),
                        cluster(ADMIN_ONLY, 200)));
                clusterStatus.add(when(p + " fixed", w -> put("/v1/" + p + "/fixed/status", STATUS_BODY),
                        cluster(ADMIN_ONLY, 200)));
            }
            clusterList.add(when(p, w -> get("/v1/" + p), cluster(ADMIN_ONLY, 200)));
            clusterWatch.add(when(p, w -> watch("/v1/" + p + "?watch=true"), cluster(ADMIN_ONLY, 200)));
        }
        row("PUT /v1/{plural}/{name}", clusterApply);
        row("GET /v1/{plural}/{name}", clusterRead);
        row("DELETE /v1/{plural}/{name}", clusterDelete);
        row("PUT /v1/{plural}/{name}/status", clusterStatus);
        row("GET /v1/{plural} [!watch]", clusterList);
        row("GET /v1/{plural} [watch]", clusterWatch);
    }

    // --- expectations -------------------------------------------------------------------------

    private static Map<Who, Integer> everyone(int status) {
        Map<Who, Integer> m = new EnumMap<>(Who.class);
        for (Who w : Who.values()) {
            m.put(w, status);
        }
        return m;
    }

    /** Any identity at all gets {@code status}; none gets 401. */
    private static Map<Who, Integer> authenticated(int status) {
        Map<Who, Integer> m = everyone(status);
        m.put(ANONYMOUS, 401);
        return m;
    }

    /** A SELF route: any identity succeeds. */
    private static Map<Who, Integer> self(int ok) {
        return authenticated(ok);
    }

    /** A cluster-level action: refusals are 403, there is no namespace to hide. */
    private static Map<Who, Integer> cluster(Set<Who> allowed, int ok) {
        Map<Who, Integer> m = authenticated(403);
        allowed.forEach(w -> m.put(w, ok));
        return m;
    }

    /** Something the caller may not even know exists (someone else's token): 404 unless allowed. */
    private static Map<Who, Integer> hiddenUnless(Set<Who> allowed, int ok) {
        Map<Who, Integer> m = authenticated(404);
        allowed.forEach(w -> m.put(w, ok));
        return m;
    }

    /** Inside a namespace: no binding there, 404; bound without the verb, 403; allowed, {@code ok}. */
    private static Map<Who, Integer> inNamespace(Set<Who> bound, Set<Who> allowed, int ok) {
        if (!bound.containsAll(allowed)) {
            throw new IllegalArgumentException("allowed but not bound: " + allowed);
        }
        Map<Who, Integer> m = authenticated(404);
        bound.forEach(w -> m.put(w, 403));
        allowed.forEach(w -> m.put(w, ok));
        return m;
    }

    // --- requests -----------------------------------------------------------------------------

    private static Call get(String path) {
        return new Call("GET", path, null, null, false);
    }

    private static Call watch(String path) {
        return new Call("GET", path, null, null, true);
    }

    private static Call put(String path, String body) {
        return new Call("PUT", path, body, null, false);
    }

    private static Call post(String path, String body) {
        return new Call("POST", path, body, null, false);
    }

    private static Call delete(String path) {
        return new Call("DELETE", path, null, null, false);
    }

    private static String nsList(String ns, Kind kind) {
        return "/v1/namespaces/" + ns + "/" + kind.plural();
    }

    private static String nsItem(String ns, Kind kind, String name) {
        return nsList(ns, kind) + "/" + name;
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String manifest(Kind kind, String name) {
        return json("{'apiVersion':'" + Kinds.API_VERSION + "','kind':'" + kind.name() + "','metadata':{'name':'" + name
                + "'},'spec':" + SAMPLE_SPEC.get(kind.plural()) + "}");
    }

    private static String binding(Kind kind, String name, String role, String user) {
        return json("{'apiVersion':'" + Kinds.API_VERSION + "','kind':'" + kind.name() + "','metadata':{'name':'" + name
                + "'},'spec':{'roleRef':{'name':'" + role + "'},'subjects':[{'kind':'User','name':'" + user + "'}]}}");
    }

    /** A scoped token body with a role the principal holds where it holds it. */
    private static String ownTokenBody(Who who, String name) {
        return switch (who) {
            case ADMIN -> json("{'name':'" + name + "','role':'admin'}");
            case OUTSIDER -> json("{'name':'" + name + "','role':'writer','namespace':'other'}");
            default -> json("{'name':'" + name + "','role':'" + who.id() + "','namespace':'demo'}");
        };
    }

    // --- the server and its principals -------------------------------------------------------

    @BeforeAll
    void start() {
        // The matrix logs in a few dozen times from one address: lift the per-address login limit.
        server = TestServer.start(TestDatabase.sqlite(),
                "--warden.edge.credential-rate-limit.per-minute=100000",
                "--warden.edge.credential-rate-limit.burst=100000");
        admin = server.api();
        Api anonymous = admin.anonymous();

        ok(admin.put("/v1/namespaces/demo", manifest(Kinds.NAMESPACE, DEMO)));
        ok(admin.put("/v1/namespaces/other", manifest(Kinds.NAMESPACE, OTHER)));
        ok(admin.put("/v1/namespaces/gone-admin", manifest(Kinds.NAMESPACE, "gone-admin")));

        apis.put(ANONYMOUS, anonymous);
        apis.put(ADMIN, admin);
        for (Who w : EnumSet.complementOf(EnumSet.of(ANONYMOUS, ADMIN))) {
            createUserBoundLike(w, w.id());
            apis.put(w, admin.withToken(TestServer.login(anonymous, w.id(), PASSWORD)));
        }
        for (Who w : EnumSet.complementOf(EnumSet.of(ANONYMOUS))) {
            String user = w == ADMIN ? TestServer.ADMIN : w.id();
            String password = w == ADMIN ? TestServer.ADMIN_PASSWORD : PASSWORD;
            throwawayTokens.put(w, admin.withToken(TestServer.login(anonymous, user, password)));
            createUserBoundLike(w, "pw-" + w.id());
            throwawayUsers.put(w, admin.withToken(TestServer.login(anonymous, "pw-" + w.id(), PASSWORD)));
        }
        for (String user : List.of("target", "doomed", "spare")) {
            created(admin.post("/v1/users", json("{'username':'" + user + "','password':'" + PASSWORD + "'}")));
        }

        // Objects to read, to write status on, and one per principal to delete.
        for (Kind k : Kinds.all()) {
            if (k.equals(Kinds.NAMESPACE)) {
                continue;
            }
            String base = k.namespaced() ? nsList(DEMO, k) : "/v1/" + k.plural();
            ok(admin.put(base + "/fixed", manifest(k, "fixed")));
            for (Who w : Who.values()) {
                ok(admin.put(base + "/del-" + w.id(), manifest(k, "del-" + w.id())));
            }
        }

        // Tasks to read and to cancel.
        demoTask = created(admin.post("/v1/namespaces/demo/tasks", json("{'tool':'fixed','args':{}}"))).path("id").asString();
        for (Who w : Who.values()) {
            cancelTaskIds.put(w, created(admin.post("/v1/namespaces/demo/tasks", json("{'tool':'fixed','args':{}}"))).path("id").asString());
        }

        // Tokens to revoke: each principal's own, and one owned by someone else.
        for (Who w : EnumSet.complementOf(EnumSet.of(ANONYMOUS))) {
            ownTokenIds.put(w, created(apis.get(w).post("/v1/tokens", ownTokenBody(w, "own-" + w.id()))).path("id").asString());
            Api owner = w == ADMIN ? apis.get(READER) : admin;
            othersTokenIds.put(w, created(owner.post("/v1/tokens", ownTokenBody(w == ADMIN ? READER : ADMIN, "victim-" + w.id())))
                    .path("id").asString());
        }

        buildTable();
    }

    /** A user bound the way {@code who} is: its role in demo, writer in other (outsider), admin everywhere. */
    private void createUserBoundLike(Who who, String username) {
        created(admin.post("/v1/users", json("{'username':'" + username + "','password':'" + PASSWORD + "'}")));
        switch (who) {
            case ADMIN -> ok(admin.put("/v1/clusterrolebindings/" + username,
                    binding(Kinds.CLUSTER_ROLE_BINDING, username, "admin", username)));
            case OUTSIDER -> ok(admin.put(nsItem(OTHER, Kinds.ROLE_BINDING, username),
                    binding(Kinds.ROLE_BINDING, username, "writer", username)));
            default -> ok(admin.put(nsItem(DEMO, Kinds.ROLE_BINDING, username),
                    binding(Kinds.ROLE_BINDING, username, who.id(), username)));
        }
    }

    private static Api.Reply ok(Api.Reply r) {
        assertThat(r.status()).as("fixture: %s", r.body()).isIn(200, 201);
        return r;
    }

    private static tools.jackson.databind.JsonNode created(Api.Reply r) {
        assertThat(r.status()).as("fixture: %s", r.body()).isEqualTo(201);
        return r.json();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // --- the route table ---------------------------------------------------------------------

    /** "METHOD pattern [params]" of every registered route, except the container's error page. */
    private Map<String, String> registeredRoutes() {
        Map<String, String> byHandler = new LinkedHashMap<>();
        Map<RequestMappingInfo, HandlerMethod> routes = server.bean(RequestMappingHandlerMapping.class).getHandlerMethods();
        routes.forEach((info, handler) -> {
            Set<String> methods = new TreeSet<>();
            info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            if (methods.isEmpty()) {
                methods.add("*");
            }
            Set<String> params = new TreeSet<>();
            info.getParamsCondition().getExpressions().forEach(e -> params.add(e.toString()));
            for (String pattern : info.getPatternValues()) {
                if (pattern.equals("/error")) {
                    continue; // the servlet container's error dispatch, not an API route
                }
                for (String method : methods) {
                    String key = method + " " + pattern + (params.isEmpty() ? "" : " " + params.toString().replace(", ", ","));
                    byHandler.put(handler.getMethod().toGenericString() + "|" + method + "|" + pattern, key);
                }
            }
        });
        return byHandler;
    }

    @Test
    void everyRegisteredRouteHasARowAndEveryRowARoute() {
        Set<String> registered = new TreeSet<>(registeredRoutes().values());
        assertThat(registered).as("registered routes").isNotEmpty();
        Set<String> missing = new TreeSet<>(registered);
        missing.removeAll(table.keySet());
        Set<String> stale = new TreeSet<>(table.keySet());
        stale.removeAll(registered);
        assertThat(missing.isEmpty() && stale.isEmpty())
                .withFailMessage("Routes with no row in the authorization matrix (add one saying who may call each):%n  %s%n"
                        + "Rows for routes the server no longer registers:%n  %s", missing, stale)
                .isTrue();
        for (Kind k : Kinds.all()) {
            assertThat(SAMPLE_SPEC).as("a sample spec of kind %s", k.name()).containsKey(k.plural());
            if (k.namespaced()) {
                assertThat(READERS_IN_DEMO).as("who reads %s", k.plural()).containsKey(k.plural());
                assertThat(WRITERS_IN_DEMO).as("who writes %s", k.plural()).containsKey(k.plural());
            }
        }
    }

    @Test
    void everyPrincipalGetsWhatTheRulesSayOnEveryRoute() throws Exception {
        Map<String, String> routeKeys = registeredRoutes();
        RequestMappingHandlerMapping mapping = server.bean(RequestMappingHandlerMapping.class);
        List<String> mismatches = new ArrayList<>();
        List<String> misrouted = new ArrayList<>();
        StringBuilder matrix = new StringBuilder();
        matrix.append(String.format("%-62s", "route / case (expected, or expected!actual)"));
        for (Who w : Who.values()) {
            matrix.append(String.format(" %9s", w.id()));
        }
        matrix.append('\n');
        int cells = 0;
        for (var entry : table.entrySet()) {
            String route = entry.getKey();
            matrix.append(route).append('\n');
            for (Case c : entry.getValue()) {
                matrix.append(String.format("  %-60s", c.what()));
                for (Who w : Who.values()) {
                    Call call = c.call().apply(w);
                    String routed = routeOf(mapping, routeKeys, call);
                    if (!route.equals(routed)) {
                        misrouted.add(route + " | " + c.what() + " | " + w.id() + ": " + call.method() + " " + call.path()
                                + " is served by " + routed);
                    }
                    int expected = c.expected().get(w);
                    Outcome got = perform(w, call);
                    cells++;
                    if (got.status() == expected) {
                        matrix.append(String.format(" %9d", expected));
                    } else {
                        matrix.append(String.format(" %9s", expected + "!" + got.status()));
                        mismatches.add(String.format("%s | %s | %s: expected %d, got %d (%s %s) %s", route, c.what(), w.id(),
                                expected, got.status(), call.method(), call.path(), got.body()));
                    }
                }
                matrix.append('\n');
            }
        }
        List<String> problems = new ArrayList<>(mismatches);
        problems.addAll(misrouted);
        assertThat(problems)
                .withFailMessage("%d of %d cells differ from the rules%n%n%s%nMismatches:%n%s%n%nCases that do not exercise "
                        + "the route of their row (a mistake in this test):%n%s", mismatches.size(), cells, matrix,
                        String.join(System.lineSeparator(), mismatches), String.join(System.lineSeparator(), misrouted))
                .isEmpty();
    }

    /** Which row's route the server's handler mapping picks for a request. */
    private static String routeOf(RequestMappingHandlerMapping mapping, Map<String, String> routeKeys, Call call) {
        int q = call.path().indexOf('?');
        String path = q < 0 ? call.path() : call.path().substring(0, q);
        MockHttpServletRequest request = new MockHttpServletRequest(call.method(), path);
        if (q >= 0) {
            request.setQueryString(call.path().substring(q + 1));
            for (String pair : call.path().substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                request.addParameter(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        ServletRequestPathUtils.parseAndCache(request);
        try {
            HandlerExecutionChain chain = mapping.getHandler(request);
            if (chain == null || !(chain.getHandler() instanceof HandlerMethod handler)) {
                return "(no route)";
            }
            Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            String key = routeKeys.get(handler.getMethod().toGenericString() + "|" + call.method() + "|" + pattern);
            return key == null ? "(" + handler.getMethod().getName() + " " + pattern + ")" : key;
        } catch (Exception e) {
            return "(" + e.getClass().getSimpleName() + ")";
        }
    }

    private record Outcome(int status, String body) {
    }

    /** Sends a call as a principal; a watch stream is closed as soon as its status is known. */
    private Outcome perform(Who who, Call call) throws Exception {
        Api as = call.as() != null ? call.as() : apis.get(who);
        HttpRequest.Builder b = as.request(call.path());
        if (call.body() != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body()));
        HttpResponse<InputStream> r = as.client().sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(30, TimeUnit.SECONDS);
        try (InputStream in = r.body()) {
            if (call.stream() && r.statusCode() == 200) {
                return new Outcome(200, "(event stream)");
            }
            String body = new String(in.readNBytes(400), StandardCharsets.UTF_8);
            return new Outcome(r.statusCode(), body.replaceAll("\\s+", " "));
        }
    }
}
