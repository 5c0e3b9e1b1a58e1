package io.warden.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark jar's entry point: JMH's own command line ({@code org.openjdk.jmh.Main}, same
 * arguments), except that when {@value AuditAppendBench#POSTGRES_URL_ENV} is not set and no
 * {@code -p db=...} is given, the benchmarks with a {@code db} parameter run on SQLite only, with
 * a message saying so, instead of failing their PostgreSQL trials.
 *
 * <pre>
 * java -jar warden-bench/target/warden-bench.jar -l                  # list the benchmarks
 * java -jar warden-bench/target/warden-bench.jar ManifestValidationBench
 * java -jar warden-bench/target/warden-bench.jar AuditAppendBench -p db=sqlite
 * </pre>
 * The task queue benchmark is not JMH: {@link TaskQueueLoad} (or {@code bench/tasks.sh}, with its peers).
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        List<String> jmh = new ArrayList<>(Arrays.asList(args));
        String url = System.getenv(AuditAppendBench.POSTGRES_URL_ENV);
        if ((url == null || url.isBlank()) && !choosesDatabase(args) && !informational(args)) {
            System.out.println("# " + AuditAppendBench.POSTGRES_URL_ENV + " is not set: skipping the PostgreSQL runs"
                    + " (db=postgresql); set it to jdbc:postgresql://HOST:5432/DB?user=U&password=P to include them.");
            jmh.add("-p");
            jmh.add("db=sqlite");
        }
        org.openjdk.jmh.Main.main(jmh.toArray(String[]::new));
    }

    private static boolean choosesDatabase(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-pdb=") || (a.equals("-p") && i + 1 < args.length && args[i + 1].startsWith("db="))) {
                return true;
            }
        }
        return false;
    }

    private static boolean informational(String[] args) {
        return Arrays.stream(args).anyMatch(a -> a.equals("-h") || a.equals("-l") || a.equals("-lp")
                || a.equals("-lprof") || a.equals("-lrf"));
    }
}
