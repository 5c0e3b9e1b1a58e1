package io.warden.cli;

import io.warden.api.ApplyResult;
import io.warden.api.Kind;
import io.warden.api.Kinds;
import io.warden.api.Names;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden roles ...}: lists Roles, and grants or takes back a role through the resource
 * API. {@code bind} applies a RoleBinding (or with {@code --cluster} a ClusterRoleBinding) named
 * {@code <role>-user-<name>} or {@code <role>-token-<name>} with one subject, exactly as
 * {@code warden apply} would; {@code unbind} deletes that binding.
 */
@Command(name = "roles", description = "List roles, and bind or unbind them to users and tokens.")
final class RolesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final Session session;

    RolesCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(session.out());
        return WardenCli.OK;
    }

    /** Who gets the role, and where: the options {@code bind} and {@code unbind} share. */
    static final class Grant {

        @Option(names = "--user", paramLabel = "NAME", description = "Bind to this user.")
        String user;

        @Option(names = "--token", paramLabel = "NAME", description = "Bind to the API token of this name.")
        String token;

        @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
                description = "Namespace of the RoleBinding (default: the context's, else \"default\").")
        String namespace;

        @Option(names = "--cluster", description = "A ClusterRoleBinding: the role in every namespace.")
        boolean cluster;
    }

    @Command(name = "list", description = "List the roles with their number of rules.")
    int list(@Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, yaml, json or name (default: table).") OutputFormat output) {
        GetCommand.Listing listing = GetCommand.listAll(session.client(), ResourceRef.collection(Kinds.ROLE, null), null);
        if (listing.items().isEmpty() && output == OutputFormat.TABLE) {
            session.err().println("No resources found.");
            return WardenCli.OK;
        }
        session.printer().list(Kinds.ROLE, listing.items(), listing.resourceVersion(), output);
        return WardenCli.OK;
    }

    @Command(name = "bind", description = {
            "Give a user or token a role: applies the RoleBinding <role>-user-<name> (or <role>-token-<name>),",
            "or with --cluster the ClusterRoleBinding of that name (the role in every namespace).",
            "Example: warden roles bind operator --user alice -n demo"})
    int bind(@Parameters(paramLabel = "ROLE", description = "Name of the Role.") String role,
             @Mixin Grant grant) {
        ResourceRef ref = ref(role, grant);
        WardenClient client = session.client();
        try {
            client.get(new ResourceRef(Kinds.ROLE, null, role));
        } catch (ApiException e) {
            if (e.status() == 404) {
                throw CliException.error("role \"" + Text.cell(role) + "\" not found (see warden roles list); nothing was bound");
            }
            // Someone allowed to bind may still not be allowed to read roles: the server decides.
        }
        ObjectNode manifest = Json.JSON.createObjectNode();
        manifest.put("apiVersion", Kinds.API_VERSION);
        manifest.put("kind", ref.kind().name());
        ObjectNode metadata = manifest.putObject("metadata");
        metadata.put("name", ref.name());
        if (ref.namespace() != null) {
            metadata.put("namespace", ref.namespace());
        }
        ObjectNode spec = manifest.putObject("spec");
        spec.putObject("roleRef").put("name", role);
        ObjectNode subject = spec.putArray("subjects").addObject();
        subject.put("kind", grant.user != null ? "User" : "Token");
        subject.put("name", grant.user != null ? grant.user : grant.token);
        ApplyResult result;
        try {
            result = client.apply(ref, manifest);
        } catch (ApiException e) {
            throw CliException.error(e.problem().lines(ref.display() + ": "));
        }
        session.out().println(ref.display() + " " + result.word());
        return WardenCli.OK;
    }

    @Command(name = "unbind", description = "Delete the binding that `roles bind` with the same arguments created.")
    int unbind(@Parameters(paramLabel = "ROLE", description = "Name of the Role.") String role,
               @Mixin Grant grant) {
        ResourceRef ref = ref(role, grant);
        try {
            session.client().delete(ref);
        } catch (ApiException e) {
            throw ref.explain(e);
        }
        session.out().println(ref.display() + " deleted");
        return WardenCli.OK;
    }

    /** The binding {@code bind} writes and {@code unbind} deletes. */
    private ResourceRef ref(String role, Grant grant) {
        if ((grant.user == null) == (grant.token == null)) {
            throw CliException.usage("give exactly one of --user NAME or --token NAME");
        }
        if (grant.cluster && grant.namespace != null) {
            throw CliException.usage("--cluster binds in every namespace; leave out -n");
        }
        String name = role + (grant.user != null ? "-user-" + grant.user : "-token-" + grant.token);
        if (!Names.isDns1123Label(name)) {
            throw CliException.usage("the binding would be named \"" + Text.cell(name) + "\", which is not a valid name (lower case"
                    + " letters, digits and '-', at most 63 characters); write the binding as a manifest and use warden apply");
        }
        Kind kind = grant.cluster ? Kinds.CLUSTER_ROLE_BINDING : Kinds.ROLE_BINDING;
        return new ResourceRef(kind, grant.cluster ? null : session.namespace(grant.namespace), name);
    }
}
