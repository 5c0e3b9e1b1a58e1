package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file and how a command picks its server. Server precedence with real servers: warden-it. */
class ConfigTest {

    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeEach
    void start() {
        cli = new CliRunner(home);
    }

    private Path configFile() {
        return home.resolve(".warden").resolve("config.yaml");
    }

    @Test
    void setContextCreatesAnOwnerOnlyFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));

        CliRunner.Result result = cli.run("config", "set-context", "local", "--server", "http://127.0.0.1:8080/", "--namespace", "demo");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("Context \"local\" created. It is now the current context.");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configFile().getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(configFile())).isEqualTo("""
                currentContext: local
                contexts:
                  - name: local
                    server: http://127.0.0.1:8080
                    namespace: demo
                """);
        try (Stream<Path> files = Files.list(configFile().getParent())) {
            assertThat(files).as("no temporary files left behind").containsExactly(configFile());
        }
    }

    @Test
    void contextsCanBeListedSwitchedAndChanged() {
        cli.run("config", "set-context", "local", "--server", "http://127.0.0.1:8080");
        cli.run("config", "set-context", "staging", "--server", "https://warden.staging.example", "-n", "team");

        assertThat(cli.run("config", "get-contexts").outLines()).containsExactly(
                "CURRENT   NAME      SERVER                           NAMESPACE",
                "*         local     http://127.0.0.1:8080",
                "          staging   https://warden.staging.example   team");

        assertThat(cli.run("config", "use-context", "staging").outLines()).containsExactly("Switched to context \"staging\".");
        assertThat(cli.run("config", "current-context").outLines()).containsExactly("staging");

        assertThat(cli.run("config", "set-context", "staging", "-n", "other").outLines()).containsExactly("Context \"staging\" modified.");
        assertThat(cli.run("config", "get-contexts").outLines()).contains("*         staging   https://warden.staging.example   other");

        CliRunner.Result unknown = cli.run("config", "use-context", "prod");
        assertThat(unknown.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(unknown.errLines()).containsExactly("error: no context named \"prod\" in " + configFile());
    }

    @Test
    void aNewContextNeedsAServer() {
        CliRunner.Result result = cli.run("config", "set-context", "local");

        assertThat(result.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(result.errLines().getFirst()).isEqualTo("error: a new context needs --server URL");
        assertThat(configFile()).doesNotExist();
    }

    @Test
    void viewRedactsTokensAndASetContextKeepsThem() throws IOException {
        Files.createDirectories(configFile().getParent());
        Files.writeString(configFile(), """
                currentContext: local
                contexts:
                  - name: local
                    server: http://127.0.0.1:8080
                    token: wdn_secret_value
                """);
        Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-------"));

        CliRunner.Result view = cli.run("config", "view");

        assertThat(view.out()).doesNotContain("wdn_secret_value").contains("token: REDACTED");
        assertThat(cli.run("config", "set-context", "local", "-n", "demo").exit()).isZero();
        assertThat(Files.readString(configFile())).contains("token: wdn_secret_value").contains("namespace: demo");
        assertThat(cli.run("config", "get-contexts", "-v").out() + cli.run("config", "get-contexts", "-v").err())
                .doesNotContain("wdn_secret_value");
    }

    @Test
    void aConfigFileReadableByOthersIsWarnedAbout() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Files.createDirectories(configFile().getParent());
        Files.writeString(configFile(), "contexts:\n  - {name: a, server: 'http://127.0.0.1:1', token: t}\n");
        Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(cli.run("config", "get-contexts").errLines())
                .containsExactly("warning: " + configFile() + " holds tokens and is readable by other users; run: chmod 600 " + configFile());
    }

    @Test
    void theDefaultServerIsLoopback8080() {
        assertThat(Target.resolve(null, null, Map.of(), CliConfig.empty(), new ConfigStore(configFile())).server())
                .hasToString("http://127.0.0.1:8080");
    }

    @Test
    void wardenConfigOverridesTheLocation() {
        Path elsewhere = home.resolve("custom").resolve("warden.yaml");

        cli.env("WARDEN_CONFIG", elsewhere.toString()).run("config", "set-context", "x", "--server", "http://127.0.0.1:9");

        assertThat(elsewhere).exists();
        assertThat(configFile()).doesNotExist();
    }

    @Test
    void anInvalidConfigFileIsAnError() throws IOException {
        Files.createDirectories(configFile().getParent());
        Files.writeString(configFile(), "contexts: [~]\n");
        assertThat(cli.run("config", "view").errLines().getFirst()).startsWith("error: invalid config file " + configFile());

        Files.writeString(configFile(), "contexts:\n  - server: http://x\n");
        CliRunner.Result result = cli.run("get", "tools");
        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: invalid config file " + configFile() + ": every context needs a name");
    }

    @Test
    void anInvalidServerUrlIsAnError() {
        CliRunner.Result result = cli.run("get", "tools", "--server", "ftp://host");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: invalid server URL \"ftp://host\": expected http://HOST:PORT or https://HOST:PORT");
    }
}
