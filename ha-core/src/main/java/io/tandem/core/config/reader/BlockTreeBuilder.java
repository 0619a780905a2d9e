package io.tandem.core.config.reader;

import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.Location;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds the generic block tree from lines: a statement is the words of one line up to a brace;
 * a statement followed by {@code {} (on the same line or the next) opens a block that the matching
 * {@code }} closes. Unbalanced braces are reported with the location of the unmatched one.
 */
public final class BlockTreeBuilder {
    /** Deeper nesting than any keepalived block needs; bounds recursion on garbage input. */
    static final int MAX_NESTING = 32;

    private final Diagnostics diagnostics;

    public BlockTreeBuilder(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The top-level statements; the synthetic root is not returned. */
    public List<Node> build(List<SourceLine> lines, Location start) {
        Pending root = new Pending("", List.of(), start);
        root.block = true;
        Deque<Pending> open = new ArrayDeque<>();
        open.push(root);
        Pending last = null;
        int ignoredOpens = 0;
        for (SourceLine line : lines) {
            String[] problem = new String[1];
            List<Token> tokens = Tokenizer.tokenize(line.text(), problem);
            if (problem[0] != null) {
                diagnostics.error(line.location(), problem[0]);
            }
            List<String> words = new ArrayList<>();
            for (Token token : tokens) {
                if (token.kind() == Token.Kind.WORD) {
                    words.add(token.text());
                    continue;
                }
                if (!words.isEmpty()) {
                    last = add(open.peek(), words, line.location());
                    words = new ArrayList<>();
                }
                if (token.kind() == Token.Kind.OPEN && open.size() > MAX_NESTING) {
                    if (ignoredOpens++ == 0) {
                        diagnostics.error(line.location(), "blocks nested more than " + MAX_NESTING + " deep");
                    }
                } else if (token.kind() == Token.Kind.CLOSE && ignoredOpens > 0) {
                    ignoredOpens--;
                } else if (token.kind() == Token.Kind.OPEN) {
                    if (last == null || last.block) {
                        diagnostics.error(line.location(), "'{' without a keyword before it");
                        last = add(open.peek(), List.of("{"), line.location());
                    }
                    last.block = true;
                    open.push(last);
                } else if (open.size() == 1) {
                    diagnostics.error(line.location(), "'}' without a matching '{'");
                } else {
                    open.pop();
                }
                last = null;
            }
            if (!words.isEmpty()) {
                last = add(open.peek(), words, line.location());
            }
        }
        while (open.size() > 1) {
            Pending unclosed = open.pop();
            diagnostics.error(unclosed.location, "'" + unclosed.keyword + "' block opened here is missing its '}'");
        }
        return root.toNode().children();
    }

    private static Pending add(Pending parent, List<String> words, Location at) {
        Pending p = new Pending(words.getFirst(), words.subList(1, words.size()), at);
        parent.children.add(p);
        return p;
    }

    /** A statement while its block is still being read. */
    private static final class Pending {
        final String keyword;
        final List<String> args;
        final Location location;
        final List<Pending> children = new ArrayList<>();
        boolean block;

        Pending(String keyword, List<String> args, Location location) {
            this.keyword = keyword;
            this.args = List.copyOf(args);
            this.location = location;
        }

        Node toNode() {
            return new Node(keyword, args, location, children.stream().map(Pending::toNode).toList(), block);
        }
    }
}
