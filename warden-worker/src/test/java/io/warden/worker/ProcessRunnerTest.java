package io.warden.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain runner on real child processes. */
class ProcessRunnerTest {

    @TempDir
    Path work;

    private final List<String> streamed = new CopyOnWriteArrayList<>();

    private Runner.Job job(List<String> argv, String stdin, Duration timeout, int cap) {
        return new Runner.Job("t1", 1, argv, Map.of("PATH", System.getenv("PATH"), "FROM_SPEC", "yes"),
                stdin.getBytes(StandardCharsets.UTF_8), timeout, cap, work);
    }

    private Runner.Result run(Runner.Job job) throws Exception {
        return new ProcessRunner().start(job, (stream, text) -> streamed.add(stream + ":" + text)).await();
    }

    @Test
    void argsArriveOnStdinAndOutputIsCapturedAndStreamed() throws Exception {
        Runner.Result r = run(job(List.of("sh", "-c", "cat; echo; echo oops >&2; exit 7"), "{\"a\":1}", Duration.ofSeconds(10), 1024));
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdout()).isEqualTo(new Runner.Captured("{\"a\":1}\n", false));
        assertThat(r.stderr()).isEqualTo(new Runner.Captured("oops\n", false));
        assertThat(String.join("", streamed)).contains("stdout:{\"a\":1}", "stderr:oops");
        assertThat(r.timedOut()).isFalse();
    }

    @Test
    void theWorkersEnvironmentIsNotInheritedAndEachTaskHasItsOwnEmptyDirectory() throws Exception {
        Runner.Result r = run(job(List.of("sh", "-c", "env; pwd; ls -A | wc -l"), "", Duration.ofSeconds(10), 65536));
        String out = r.stdout().text();
        assertThat(out).contains("FROM_SPEC=yes").doesNotContain("JAVA_HOME=").doesNotContain("USER=").doesNotContain("MAVEN");
        String[] lines = out.strip().split("\n");
        assertThat(lines[lines.length - 1].strip()).isEqualTo("0");
        assertThat(lines[lines.length - 2]).startsWith(work.toString());
        try (var left = Files.list(work)) {
            assertThat(left).as("the task directory is removed").isEmpty();
        }
    }

    @Test
    void outputPastTheCapIsDroppedAndMarkedWhileTheProgramStillRunsToTheEnd() throws Exception {
        Runner.Result r = run(job(List.of("sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x; echo done >&2"), "",
                Duration.ofSeconds(20), 1024));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout().truncated()).isTrue();
        assertThat(r.stdout().text()).hasSize(1024);
        assertThat(r.stderr()).isEqualTo(new Runner.Captured("done\n", false));
        assertThat(streamed.stream().filter(s -> s.startsWith("stdout:")).mapToInt(s -> s.length() - 7).sum()).isEqualTo(1024);
    }

    @Test
    void aValueIsOneArgumentAndNoShellEverSeesIt() throws Exception {
        Path marker = work.resolveSibling(work.getFileName() + "-pwned");
        String hostile = "$(touch " + marker + "); `touch " + marker + "`";
        Runner.Result r = run(job(List.of("printf", "%s|", hostile, "b c"), "", Duration.ofSeconds(10), 1024));
        assertThat(r.stdout().text()).isEqualTo(hostile + "|b c|");
        assertThat(marker).doesNotExist();
    }

    @Test
    void theTimeoutKillsTheWholeProcessTree() throws Exception {
        Path pids = Files.createTempFile("pids", ".txt");
        long start = System.nanoTime();
        Runner.Result r = run(job(List.of("sh", "-c", "sleep 60 & echo $! > " + pids + "; sleep 60"), "",
                Duration.ofMillis(700), 1024));
        assertThat(r.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long child = Long.parseLong(Files.readString(pids).strip());
        assertThat(diesSoon(child)).as("the background child").isTrue();
    }

    @Test
    void killStopsARunningProgramAndItsChildren() throws Exception {
        Path pids = Files.createTempFile("pids", ".txt");
        Runner.Execution e = new ProcessRunner().start(job(List.of("sh", "-c", "sleep 60 & echo $! > " + pids + "; wait"), "",
                Duration.ofSeconds(60), 1024), (s, t) -> { });
        for (int i = 0; i < 100 && Files.size(pids) == 0; i++) {
            Thread.sleep(50);
        }
        e.kill();
        Runner.Result r = e.await();
        assertThat(r.killed()).isTrue();
        long child = Long.parseLong(Files.readString(pids).strip());
        assertThat(diesSoon(child)).as("the background child").isTrue();
    }

    /**
     * Whether a process is gone within 5 s. A SIGKILL takes a moment, and a killed orphan stays
     * a zombie until init reaps it (some containers' init never does): a zombie counts as dead.
     */
    static boolean diesSoon(long pid) throws Exception {
        for (int i = 0; i < 100; i++) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (!alive || (Files.exists(stat) && Files.readString(stat).replaceFirst("^.*\\) ", "").startsWith("Z"))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void aMissingProgramFailsToStart() {
        assertThatThrownBy(() -> run(job(List.of("/nonexistent/tool"), "", Duration.ofSeconds(5), 1024)))
                .isInstanceOf(Runner.StartFailed.class).hasMessageContaining("/nonexistent/tool");
    }

    @Test
    void multiByteCharactersSplitAcrossReadsSurviveStreaming() throws Exception {
        // 9000 three-byte characters: read boundaries (8 KiB) fall inside characters.
        Runner.Result r = run(job(List.of("sh", "-c", "i=0; while [ $i -lt 9000 ]; do printf '\\342\\202\\254'; i=$((i+1)); done"),
                "", Duration.ofSeconds(30), 1 << 20));
        assertThat(r.stdout().text()).isEqualTo("€".repeat(9000));
        String joined = String.join("", streamed.stream().map(s -> s.substring(7)).toList());
        assertThat(joined).isEqualTo("€".repeat(9000));
    }
}
