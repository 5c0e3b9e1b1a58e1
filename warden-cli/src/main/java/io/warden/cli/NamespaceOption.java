package io.warden.cli;

import picocli.CommandLine.Option;

/** {@code -n NS}, for commands that work in one namespace. */
final class NamespaceOption {

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace (default: the context's, else \"default\").")
    String namespace;

    /** {@code -n} if given, else the context's namespace, else "default". */
    String resolve(Session session) {
        return session.namespace(namespace);
    }
}
