package io.warden.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warden completion bash|zsh}. picocli's script is written for bash and switches zsh to
 * bash-compatible completion itself (bashcompinit), so both shells get the same script.
 */
@Command(name = "completion", description = {
        "Print a shell completion script.",
        "bash: source <(warden completion bash)    zsh: source <(warden completion zsh)"})
final class CompletionCommand implements Callable<Integer> {

    /** The shells the script supports. */
    enum Shell { BASH, ZSH }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    private Shell shell;

    @Spec
    private CommandSpec spec;

    private final Session session;

    CompletionCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        session.out().print(AutoComplete.bash("warden", spec.root().commandLine()));
        return WardenCli.OK;
    }
}
