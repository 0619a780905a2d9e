package io.tandem.core.config.reader;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into words as keepalived.conf(5) "Quoted strings" describes: white space separates
 * words; {@code "} and {@code '} group text (the quotes are removed, so {@code ab"c d"e} is one
 * word), with shell-like escapes inside quotes; unquoted {@code {} and {@code }} are words of their own.
 */
final class Tokenizer {
    private Tokenizer() {
    }

    /** The tokens of {@code line}; {@code problem[0]} is set when a quote is not closed. */
    static List<Token> tokenize(String line, String[] problem) {
        List<Token> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length()) {
                    i = escape(line, i + 1, word);
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                inWord = flush(out, word, inWord);
            } else if (c == '{' || c == '}') {
                inWord = flush(out, word, inWord);
                out.add(c == '{' ? Token.OPEN : Token.CLOSE);
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            problem[0] = "unterminated quoted string (missing " + quote + ")";
        }
        flush(out, word, inWord);
        return out;
    }

    private static boolean flush(List<Token> out, StringBuilder word, boolean inWord) {
        if (inWord) {
            out.add(new Token(Token.Kind.WORD, word.toString()));
            word.setLength(0);
        }
        return false;
    }

    /** Appends the escape starting at {@code i} (the character after the backslash); returns its last index. */
    private static int escape(String s, int i, StringBuilder out) {
        char c = s.charAt(i);
        switch (c) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'E' -> out.append('\u001b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case 'x' -> {
                int end = i + 1;
                while (end < s.length() && Character.digit(s.charAt(end), 16) >= 0 && end < i + 3) {
                    end++;
                }
                if (end == i + 1) {
                    out.append('x');
                    return i;
                }
                out.append((char) Integer.parseInt(s.substring(i + 1, end), 16));
                return end - 1;
            }
            case 'c' -> {
                if (i + 1 < s.length()) {
                    out.append((char) (Character.toUpperCase(s.charAt(i + 1)) ^ 0x40));
                    return i + 1;
                }
                out.append('c');
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int end = i;
                    while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                        end++;
                    }
                    out.append((char) Integer.parseInt(s.substring(i, end), 8));
                    return end - 1;
                }
                out.append(c);
            }
        }
        return i;
    }
}
