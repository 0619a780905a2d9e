package io.tandem.core.config.model;

import java.util.List;
import java.util.Optional;

/**
 * A script keepalived would run: the command line as written, split into words (single quotes keep
 * spaces, as in keepalived.conf(5) "Quoted strings"), and the optional user and group to run it as.
 */
public record ScriptCommand(String commandLine, List<String> argv, Optional<String> user, Optional<String> group) {
    public ScriptCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty script command (expected: a program path)");
        }
    }

    /** Splits {@code commandLine} at unquoted spaces; single or double quotes group words. */
    public static ScriptCommand of(String commandLine, Optional<String> user, Optional<String> group) {
        java.util.ArrayList<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : commandLine.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return new ScriptCommand(commandLine, words, user, group);
    }
}
