package io.warden.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CLI config file: named contexts (server, default namespace, token) and which one is current.
 * Immutable; the {@code with...} methods return changed copies for {@link ConfigStore#save}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CliConfig(String currentContext, List<Context> contexts) {

    static final String REDACTED = "REDACTED";

    /** One place to talk to. {@code namespace} and {@code token} are optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Context(String name, String server, String namespace, String token) {

        Context redacted() {
            return token == null ? this : new Context(name, server, namespace, REDACTED);
        }

        /** Records print every component; this one must never print its token, not even in a log. */
        @Override
        public String toString() {
            return "Context[name=" + name + ", server=" + server + ", namespace=" + namespace
                    + ", token=" + (token == null ? null : REDACTED) + "]";
        }
    }

    CliConfig {
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }

    static CliConfig empty() {
        return new CliConfig(null, List.of());
    }

    Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Replaces the context of the same name in place, or appends it. */
    CliConfig withContext(Context context) {
        List<Context> changed = new ArrayList<>(contexts);
        int i = indexOf(context.name());
        if (i >= 0) {
            changed.set(i, context);
        } else {
            changed.add(context);
        }
        return new CliConfig(currentContext, changed);
    }

    CliConfig withCurrentContext(String name) {
        return new CliConfig(name, contexts);
    }

    /** What {@code config view} shows: the same file with every token replaced by REDACTED. */
    CliConfig redacted() {
        return new CliConfig(currentContext, contexts.stream().map(Context::redacted).toList());
    }

    boolean hasTokens() {
        return contexts.stream().anyMatch(c -> c.token() != null);
    }

    private int indexOf(String name) {
        for (int i = 0; i < contexts.size(); i++) {
            if (contexts.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
