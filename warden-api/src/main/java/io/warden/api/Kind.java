package io.warden.api;

import java.util.List;
import java.util.Locale;

/**
 * A kind of declarative resource: its name ({@code Tool}), its URL plural ({@code tools}),
 * whether it lives in a namespace, and short names the CLI accepts.
 */
public record Kind(String name, String plural, boolean namespaced, List<String> shortNames) {

    public Kind {
        shortNames = List.copyOf(shortNames);
    }

    /** Classpath location of the JSON Schema of this kind's {@code spec}. */
    public String specSchemaResource() {
        return "/io/warden/api/schema/" + name.toLowerCase(Locale.ROOT) + ".spec.json";
    }

    /** Name of the list wrapper kind, as in {@code ToolList}. */
    public String listKind() {
        return name + "List";
    }

    /** True when {@code word} names this kind: its name, plural or a short name, any case. */
    public boolean isNamedBy(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return w.equals(name.toLowerCase(Locale.ROOT)) || w.equals(plural) || shortNames.contains(w);
    }
}
