package io.warden.cli;

import io.warden.api.Kind;
import tools.jackson.databind.node.ObjectNode;

/**
 * One resource read from a file and checked for shape, not yet sent.
 *
 * @param origin    where it came from, for messages: {@code examples/tool.yaml (document 2)}
 * @param namespace {@code metadata.namespace} as written, or null
 * @param body      the document, sent as-is
 */
record Manifest(String origin, Kind kind, String name, String namespace, ObjectNode body) {

    /**
     * Where this resource goes. The manifest's own namespace wins over the context default; a
     * {@code -n} that disagrees with it is refused, as kubectl does, rather than guessing which
     * one the user meant.
     */
    ResourceRef ref(String namespaceFlag, String defaultNamespace) {
        if (!kind.namespaced()) {
            return new ResourceRef(kind, null, name);
        }
        if (namespace != null && namespaceFlag != null && !namespace.equals(namespaceFlag)) {
            throw CliException.error(origin + ": the namespace from the manifest (\"" + namespace
                    + "\") does not match --namespace \"" + namespaceFlag + "\"; pass --namespace=" + namespace
                    + " or remove metadata.namespace");
        }
        return new ResourceRef(kind, Text.firstNonNull(namespace, namespaceFlag, defaultNamespace), name);
    }
}
