package io.warden.cli;

import io.warden.api.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One resource ({@code name} set) or the collection of a kind in a namespace ({@code name} null),
 * and the API path for it. {@code namespace} is null for cluster kinds.
 */
record ResourceRef(Kind kind, String namespace, String name) {

    ResourceRef {
        if (kind.namespaced() && namespace == null) {
            throw new IllegalArgumentException(kind.name() + " is namespaced");
        }
        if (!kind.namespaced()) {
            namespace = null;
        }
    }

    static ResourceRef collection(Kind kind, String namespace) {
        return new ResourceRef(kind, namespace, null);
    }

    ResourceRef named(String resourceName) {
        return new ResourceRef(kind, namespace, resourceName);
    }

    /** {@code /v1/namespaces/{ns}/{plural}[/{name}]} or {@code /v1/{plural}[/{name}]}. */
    String path() {
        StringBuilder sb = new StringBuilder("/v1");
        if (namespace != null) {
            sb.append("/namespaces/").append(segment(namespace));
        }
        sb.append('/').append(kind.plural());
        if (name != null) {
            sb.append('/').append(segment(name));
        }
        return sb.toString();
    }

    /** {@code tool/git-clone}, as kubectl prints it. */
    String display() {
        return kindWord(kind) + "/" + Text.cell(name);
    }

    /** {@code tool "git-clone"}, for messages. */
    String quoted() {
        return kindWord(kind) + " \"" + Text.cell(name) + "\"";
    }

    /** A 404 for this resource as {@code tool "x" not found}; other refusals unchanged. */
    RuntimeException explain(ApiException e) {
        return e.status() == 404 ? CliException.error(quoted() + " not found") : e;
    }

    static String kindWord(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Percent-encodes one path segment. Valid names never need it, but a name typed on the command
     * line goes into the URL as-is otherwise, and "../x" or "a/b" would address a different path.
     * Dots are encoded too, so "." and ".." cannot act as dot-segments.
     */
    static String segment(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
