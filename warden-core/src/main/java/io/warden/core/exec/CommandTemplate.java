package io.warden.core.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The argument vector of an {@code exec} Tool, with {@code {{args.NAME}}} placeholders filled
 * from a task's args. Each element stays one element whatever the value holds (spaces, quotes,
 * newlines): nothing is ever passed to a shell. A placeholder takes a string as it is, and a
 * number or boolean as its JSON text; a missing arg, {@code null}, an object or an array is an
 * error, and so is any other {@code {{...}}}, so a typo never runs as literal text.
 *
 * <p>The server renders the template when a task is submitted (an error is a 422) and the worker
 * renders it again before it runs the task (an error is the error class {@code invalid-template}).
 */
public final class CommandTemplate {

    /** The error class a worker reports when the template cannot be filled. */
    public static final String ERROR_CLASS = "invalid-template";

    private static final Pattern BRACES = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\s*args\\.([A-Za-z_][A-Za-z0-9_-]*)\\s*");

    private CommandTemplate() {
    }

    /** Why a template cannot be filled; {@code arg} is the arg it names, or null. */
    public static final class TemplateException extends Exception {
        private final transient String arg;

        TemplateException(String message, String arg) {
            super(message);
            this.arg = arg;
        }

        public String arg() {
            return arg;
        }
    }

    /** The argument vector with every placeholder filled from {@code args} (a JSON object). */
    public static List<String> render(List<String> command, JsonNode args) throws TemplateException {
        if (command.isEmpty()) {
            throw new TemplateException("the command is empty", null);
        }
        List<String> argv = new ArrayList<>(command.size());
        for (String element : command) {
            argv.add(fill(element, args));
        }
        if (argv.getFirst().isEmpty()) {
            throw new TemplateException("the program (the command's first element) is empty", null);
        }
        return List.copyOf(argv);
    }

    private static String fill(String element, JsonNode args) throws TemplateException {
        Matcher m = BRACES.matcher(element);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            Matcher p = PLACEHOLDER.matcher(m.group(1));
            if (!p.matches()) {
                throw new TemplateException("'{{" + m.group(1) + "}}' is not a placeholder; write {{args.NAME}}", null);
            }
            String name = p.group(1);
            JsonNode value = args == null ? null : args.get(name);
            if (value == null || value.isNull() || value.isMissingNode()) {
                throw new TemplateException("the command needs args." + name + ", which is not given", name);
            }
            if (!value.isValueNode()) {
                throw new TemplateException("args." + name + " must be a string, number or boolean to fill the command", name);
            }
            out.append(element, last, m.start()).append(value.isString() ? value.asString() : value.toString());
            last = m.end();
        }
        return out.append(element, last, element.length()).toString();
    }
}
