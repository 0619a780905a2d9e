package io.tandem.healthcheck.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a configured command ({@code misc_path}, {@code notify_up}) into
 * words as keepalived does: at blanks, with double or single quotes grouping
 * words; no shell is involved.
 */
public final class CommandLine {
    private CommandLine() {
    }

    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
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
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote in command: " + command + " (expected: a closing "
                    + quote + ")");
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty command (expected: a program and its arguments)");
        }
        return words;
    }
}
