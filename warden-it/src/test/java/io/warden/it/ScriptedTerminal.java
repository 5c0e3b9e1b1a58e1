package io.warden.it;

import io.warden.cli.Prompter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A terminal for tests: answers prompts from a script, in order, and records what was asked. */
final class ScriptedTerminal implements Prompter {

    private final Deque<String> answers = new ArrayDeque<>();
    private final List<String> prompts = new ArrayList<>();

    ScriptedTerminal(String... answers) {
        this.answers.addAll(List.of(answers));
    }

    synchronized List<String> prompts() {
        return List.copyOf(prompts);
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public synchronized String readLine(String prompt) {
        prompts.add(prompt);
        return answers.poll();
    }

    @Override
    public synchronized char[] readPassword(String prompt) {
        prompts.add(prompt);
        String answer = answers.poll();
        return answer == null ? null : answer.toCharArray();
    }
}
