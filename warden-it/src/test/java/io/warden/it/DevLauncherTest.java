package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command: {@code bin/warden dev} starts Warden, applies the examples, stops on a signal. */
class DevLauncherTest {

    private static final Pattern LISTENING = Pattern.compile("Warden is listening on (\\S+) \\(data in (.+)\\)");

    @Test
    void devStartsAppliesExamplesAndStopsCleanly() throws Exception {
        int port = ServerProcess.freePort();
        ProcessBuilder pb = new ProcessBuilder(ServerProcess.ROOT.resolve("bin/warden").toString(),
                "dev", "--ephemeral", "--port", Integer.toString(port))
                .directory(Files.createTempDirectory("warden-dev-cwd-").toFile())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("WARDEN_"));
        Path config = Files.createTempDirectory("warden-dev-config-").resolve("config.yaml");
        pb.environment().put("WARDEN_CONFIG", config.toString());
        Process dev = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder all = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                // process ended
            }
        });
        try {
            Matcher m = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (m == null && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    all.append(line).append('\n');
                    Matcher candidate = LISTENING.matcher(line);
                    if (candidate.find()) {
                        m = candidate;
                    }
                } else if (!dev.isAlive()) {
                    break;
                }
            }
            assertThat(m).as("bin/warden dev output:\n%s", all).isNotNull();
            assertThat(m.group(1)).isEqualTo("http://127.0.0.1:" + port);
            Path dataDir = Path.of(m.group(2).strip());
            assertThat(dataDir).exists();

            String adminLine = lines.poll(10, TimeUnit.SECONDS);
            assertThat(adminLine).as("the generated admin credentials are printed").startsWith("Admin: admin / ");
            // The CLI was logged in by `dev` itself: its config now holds a "dev" context with a token.
            var tools = new Cli(java.util.Map.of("WARDEN_CONFIG", config.toString())).run("get", "tools", "-n", "demo", "-o", "name");
            assertThat(tools.exit()).as(tools.toString()).isZero();
            assertThat(tools.out()).contains("git-clone");

            // dev also started a worker: a task of the example exec tool runs to the end.
            var run = new Cli(java.util.Map.of("WARDEN_CONFIG", config.toString()))
                    .run("run", "hello", "-n", "demo", "--args", "{\"name\": \"Ada\"}", "--wait", "-o", "json");
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).contains("Succeeded").contains("hello, Ada");
            var tree = dev.descendants().toList();
            assertThat(tree).as("a server and a worker").anyMatch(p -> p.info().commandLine().orElse("").contains("warden-worker.jar"));

            // SIGTERM, as a service manager or Ctrl-C would send; destroy() also closes our end of its
            // output pipe, as a closed terminal would, so the script must stop its children without it.
            dev.destroy();
            assertThat(dev.waitFor(60, TimeUnit.SECONDS)).as("stops by itself after SIGTERM").isTrue();
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            assertThat(tree).as("the server and the worker stop with it; output:\n%s%s", all, String.join("\n", rest))
                    .allMatch(p -> WorkerProcess.ended(p.pid()));
            assertThat(dataDir).as("--ephemeral data removed").doesNotExist();
            var after = new Cli(java.util.Map.of("WARDEN_CONFIG", config.toString())).run("get", "tools", "-n", "demo");
            assertThat(after.exit()).as("server is gone").isEqualTo(1);
        } finally {
            dev.descendants().forEach(ProcessHandle::destroyForcibly);
            dev.destroyForcibly();
        }
    }
}
