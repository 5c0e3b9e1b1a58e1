package io.warden.cli;

import io.warden.api.ApplyResult;
import io.warden.api.Kinds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code warden apply -f FILE|DIR|-}: every document is read and checked first, then sent with
 * PUT one by one; the first refusal stops the run.
 */
@Command(name = "apply", description = "Create or update resources from YAML or JSON manifests.")
final class ApplyCommand implements Callable<Integer> {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
            description = "Manifest file, directory of *.yaml, *.yml and *.json files, or - for stdin. Repeatable.")
    private List<String> files;

    @Option(names = {"-R", "--recursive"}, description = "Also read the subdirectories of directories given with -f.")
    private boolean recursive;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Namespace for manifests that do not name one (default: the context's, else \"default\").")
    private String namespace;

    private final Session session;

    ApplyCommand(Session session) {
        this.session = session;
    }

    /** A manifest and where it goes. */
    record Planned(Manifest manifest, ResourceRef ref) {
    }

    @Override
    public Integer call() {
        List<Manifest> manifests = new ManifestReader(session.in()).read(files, recursive, "applied");
        if (manifests.isEmpty()) {
            throw CliException.error("no objects passed to apply");
        }
        WardenClient client = session.client();
        List<Planned> plan = new ArrayList<>();
        for (Manifest m : manifests) {
            plan.add(new Planned(m, m.ref(namespace, client.target().namespace())));
        }
        for (Planned p : applyOrder(plan)) {
            ApplyResult result;
            try {
                result = client.apply(p.ref(), p.manifest().body());
            } catch (ApiException e) {
                throw CliException.error(e.problem().lines(p.manifest().origin() + ": " + p.ref().display() + ": "));
            }
            session.out().println(p.ref().display() + " " + result.word());
            session.out().flush();
        }
        return WardenCli.OK;
    }

    /**
     * Namespaces first, then Roles (bindings refer to them), then everything else in file order:
     * so that {@code apply -f dir/} works whatever the file names sort to. The sort is stable.
     */
    static List<Planned> applyOrder(List<Planned> plan) {
        List<Planned> sorted = new ArrayList<>(plan);
        sorted.sort(Comparator.comparingInt(p -> rank(p.manifest())));
        return sorted;
    }

    static int rank(Manifest m) {
        if (m.kind().equals(Kinds.NAMESPACE)) {
            return 0;
        }
        return m.kind().equals(Kinds.ROLE) ? 1 : 2;
    }
}
