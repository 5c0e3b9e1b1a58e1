package io.warden.cli;

import io.warden.api.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden delete KIND NAME...} or {@code warden delete -f FILE|DIR}. A missing resource is
 * reported and the others are still deleted (exit 1 at the end); any other refusal stops the run.
 */
@Command(name = "delete", description = "Delete resources by kind and name, or those described in manifests.")
final class DeleteCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", completionCandidates = KindCandidates.class,
            description = "Kind: name, plural or short name.")
    private String kindWord;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "NAME", description = "Names of the resources to delete.")
    private List<String> names = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-",
            description = "Delete the resources these manifests describe (namespaces last). Repeatable.")
    private List<String> files = new ArrayList<>();

    @Option(names = {"-R", "--recursive"}, description = "Also read the subdirectories of directories given with -f.")
    private boolean recursive;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace (default: the context's, else \"default\").")
    private String namespace;

    @Option(names = "--ignore-not-found", description = "Treat a resource that does not exist as deleted.")
    private boolean ignoreNotFound;

    private final Session session;

    DeleteCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        List<ResourceRef> refs = new ArrayList<>();
        if (!files.isEmpty()) {
            if (kindWord != null) {
                throw CliException.usage("give either KIND NAME... or -f FILE, not both");
            }
            List<ApplyCommand.Planned> plan = new ArrayList<>();
            for (Manifest m : new ManifestReader(session.in()).read(files, recursive, "deleted")) {
                plan.add(new ApplyCommand.Planned(m, m.ref(namespace, session.target().namespace())));
            }
            // The reverse of apply: contents before their namespace, which refuses to go while it holds any.
            List<ApplyCommand.Planned> ordered = new ArrayList<>(ApplyCommand.applyOrder(plan)).reversed();
            ordered.forEach(p -> refs.add(p.ref()));
        } else {
            if (kindWord == null) {
                throw CliException.usage("missing KIND and NAME (or -f FILE)");
            }
            Kind kind = Session.kind(kindWord);
            if (names.isEmpty()) {
                throw CliException.usage("missing NAME: warden delete " + kind.plural() + " NAME");
            }
            ResourceRef collection = ResourceRef.collection(kind, kind.namespaced() ? session.namespace(namespace) : null);
            names.forEach(n -> refs.add(collection.named(n)));
        }
        if (refs.isEmpty()) {
            throw CliException.error("no objects passed to delete");
        }
        WardenClient client = session.client();
        int exit = WardenCli.OK;
        for (ResourceRef ref : refs) {
            try {
                client.delete(ref);
                session.out().println(ref.display() + " deleted");
            } catch (ApiException e) {
                if (e.status() != 404) {
                    throw CliException.error(e.problem().lines(ref.display() + ": "));
                }
                if (!ignoreNotFound) {
                    session.err().println("error: " + ref.quoted() + " not found");
                    exit = WardenCli.ERROR;
                }
            }
            session.out().flush();
        }
        return exit;
    }
}
