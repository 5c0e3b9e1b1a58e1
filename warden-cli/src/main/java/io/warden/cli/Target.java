package io.warden.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * Where one run sends its requests and with which credentials, resolved once per run.
 *
 * <p>Precedence for the server: {@code --server} flag, then {@code $WARDEN_SERVER}, then the
 * context's server, then {@value #DEFAULT_SERVER}. The context is {@code --context} or the config
 * file's {@code currentContext}.
 *
 * <p>The context's token is sent only to the context's own server: a token is issued by one
 * server, and a {@code --server} or {@code WARDEN_SERVER} pointing elsewhere must not receive it.
 *
 * @param server      base URL, without a trailing slash
 * @param namespace   namespace for namespaced kinds when neither the manifest nor -n names one
 * @param token       bearer token, or null
 * @param contextName the context in use, or null when the config file has none
 */
record Target(URI server, String namespace, String token, String contextName) {

    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    static final String DEFAULT_NAMESPACE = "default";
    static final String ENV_SERVER = "WARDEN_SERVER";

    static Target resolve(String serverFlag, String contextFlag, Map<String, String> env, CliConfig config, ConfigStore store) {
        String contextName = Text.firstNonNull(Text.nonBlank(contextFlag), config.currentContext());
        CliConfig.Context context = null;
        if (contextName != null) {
            context = config.context(contextName).orElseThrow(() -> CliException.error(
                    "no context named \"" + contextName + "\" in " + store.path()
                            + (contextFlag == null ? " (it is the currentContext)" : "")));
        }
        String contextServer = context == null ? null : Text.nonBlank(context.server());
        URI server = parseServer(Text.firstNonNull(
                Text.nonBlank(serverFlag), Text.nonBlank(env.get(ENV_SERVER)), contextServer, DEFAULT_SERVER));
        String token = null;
        if (context != null && context.token() != null && contextServer != null
                && sameOrigin(server, parseServer(contextServer))) {
            token = context.token();
        }
        String namespace = context == null || Text.isBlank(context.namespace()) ? DEFAULT_NAMESPACE : context.namespace();
        return new Target(server, namespace, token, contextName);
    }

    /** Accepts {@code http(s)://host[:port][/prefix]}; anything else is a configuration mistake. */
    static URI parseServer(String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw invalidServer(value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw invalidServer(value);
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    private static CliException invalidServer(String value) {
        return CliException.error("invalid server URL \"" + Text.cell(value) + "\": expected http://HOST:PORT or https://HOST:PORT");
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return "Target[server=" + server + ", namespace=" + namespace + ", token="
                + (token == null ? null : CliConfig.REDACTED) + ", context=" + contextName + "]";
    }
}
