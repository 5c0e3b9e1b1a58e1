package io.warden.server.web;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code Set-Cookie} header, parsed for assertions: name, value and attributes (attribute
 * names lower-cased; flags such as HttpOnly map to an empty string).
 */
record SetCookie(String name, String value, Map<String, String> attributes) {

    static SetCookie parse(String header) {
        String[] parts = header.split(";");
        String pair = parts[0].strip();
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("not a cookie: " + header);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].strip();
            if (attribute.isEmpty()) {
                continue;
            }
            int aeq = attribute.indexOf('=');
            String key = (aeq < 0 ? attribute : attribute.substring(0, aeq)).strip().toLowerCase(Locale.ROOT);
            attributes.put(key, aeq < 0 ? "" : attribute.substring(aeq + 1).strip());
        }
        return new SetCookie(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip(), attributes);
    }

    /** The cookie a response sets under that name, if it sets one. */
    static Optional<SetCookie> find(HttpHeaders headers, String name) {
        return headers.allValues("Set-Cookie").stream().map(SetCookie::parse).filter(c -> c.name().equals(name))
                .findFirst();
    }

    boolean has(String attribute) {
        return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
    }

    Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name.toLowerCase(Locale.ROOT)));
    }

    /** As a browser sends it back: {@code name=value}. */
    String pair() {
        return name + "=" + value;
    }
}
