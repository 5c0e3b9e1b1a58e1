package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command's help fits a terminal of 80 columns. */
class HelpTest {

    @TempDir
    Path home;

    @Test
    void everyHelpFitsEightyColumns() {
        CliRunner cli = new CliRunner(home);
        List<List<String>> commands = new ArrayList<>();
        try (Session session = new Session(Map.of(), home, InputStream.nullInputStream(), new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()), Clock.systemUTC(), WatchPolicy.DEFAULT, new GlobalOptions(), Prompter.NONE)) {
            collect(WardenCli.commandLine(session), new ArrayList<>(), commands);
        }
        assertThat(commands).extracting(c -> String.join(" ", c)).contains("run", "tasks logs", "workers register");

        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CliRunner.Result help = cli.run(args.toArray(String[]::new));
            assertThat(help.exit()).as("warden %s --help", command).isZero();
            assertThat(help.outLines()).as("warden %s --help", command)
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            out.add(sub);
            collect(e.getValue(), sub, out);
        }
    }
}
