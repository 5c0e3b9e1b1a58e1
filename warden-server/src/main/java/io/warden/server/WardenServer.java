package io.warden.server;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Warden control plane. Configuration comes from {@code application.yaml} defaults, then
 * {@code WARDEN_*} environment variables, then the command-line flags below.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WardenServer {

    /** Command-line flags and the property each one sets. */
    static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("--data-dir", "warden.data-dir"),
            Map.entry("--bind", "warden.bind"),
            Map.entry("--port", "warden.port"),
            Map.entry("--db-url", "warden.db.url"),
            Map.entry("--db-username", "warden.db.username"),
            Map.entry("--max-body-size", "warden.limits.max-body-size"),
            Map.entry("--tls-cert", "warden.tls.cert"),
            Map.entry("--tls-key", "warden.tls.key"),
            Map.entry("--trusted-proxies", "warden.edge.trusted-proxies"),
            Map.entry("--cors-allowed-origins", "warden.edge.cors-allowed-origins"),
            Map.entry("--audit-retention-days", "warden.audit.retention-days"),
            Map.entry("--audit-checkpoint-every", "warden.audit.checkpoint-every"),
            Map.entry("--audit-checkpoint-interval", "warden.audit.checkpoint-interval"),
            Map.entry("--audit-export-file", "warden.audit.export-file"),
            Map.entry("--audit-chain-key-file", "warden.audit.chain-key-file"),
            Map.entry("--audit-checkpoint-key-file", "warden.audit.checkpoint-key-file"));

    /** Flags that take no value. */
    static final Map<String, String> SWITCHES = Map.of("--insecure-http", "warden.tls.insecure-http");

    public static void main(String[] args) {
        List<String> springArgs;
        try {
            springArgs = translate(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        if (springArgs == null) {
            usage(System.out);
            return;
        }
        SpringApplication.run(WardenServer.class, springArgs.toArray(String[]::new));
    }

    /**
     * Turns {@code --data-dir X} / {@code --data-dir=X} into Spring's {@code --warden.data-dir=X}.
     * Returns null when help was asked for. Unknown flags are refused so a typo never starts a
     * server with a setting silently ignored.
     */
    static List<String> translate(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (arg.startsWith("--warden.")) {
                out.add(arg);
                continue;
            }
            if (SWITCHES.containsKey(arg)) {
                out.add("--" + SWITCHES.get(arg) + "=true");
                continue;
            }
            int eq = arg.indexOf('=');
            String flag = eq > 0 ? arg.substring(0, eq) : arg;
            String property = FLAGS.get(flag);
            if (property == null) {
                throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option '" + flag + "' needs a value");
            }
            out.add("--" + property + "=" + value);
        }
        return out;
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage: warden server [options]
                  --data-dir DIR        data directory (default $WARDEN_HOME, else ~/.warden)
                  --bind ADDRESS        address to listen on (default 127.0.0.1); any other address needs TLS
                  --tls-cert FILE       PEM certificate (chain): serve HTTPS
                  --tls-key FILE        PEM private key of --tls-cert
                  --insecure-http       allow plain HTTP on a non-loopback address (warns every hour)
                  --trusted-proxies L   comma-separated CIDRs whose X-Forwarded-For is believed
                  --cors-allowed-origins L  comma-separated origins allowed cross-origin (default none)
                  --port N              port (default 8080)
                  --db-url URL          jdbc:postgresql://... (default: SQLite in the data directory)
                  --db-username NAME    PostgreSQL user (password: WARDEN_DB_PASSWORD)
                  --max-body-size SIZE  request body limit (default 1MB)
                  --audit-retention-days N      prune audit events older than N days, up to a signed
                                                checkpoint (default 0: keep everything)
                  --audit-checkpoint-every N    sign a checkpoint every N events per chain (default 1000)
                  --audit-checkpoint-interval D ... and at least every D while a chain moves (default 60s)
                  --audit-export-file FILE      also write every audit event to FILE as JSON Lines (rotated)
                  --audit-chain-key-file FILE   the chain HMAC key (default: audit-chain.key in the data dir)
                  --audit-checkpoint-key-file FILE  the Ed25519 checkpoint key, PKCS#8 PEM
                                                (default: audit-checkpoint.key in the data dir)
                Every option can also be set as an environment variable: WARDEN_DATA_DIR, WARDEN_PORT,
                WARDEN_DB_URL, ... Flags win over the environment, which wins over defaults.""");
    }
}
