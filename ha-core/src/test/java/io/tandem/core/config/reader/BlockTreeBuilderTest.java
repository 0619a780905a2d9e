package io.tandem.core.config.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.Diagnostic;
import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockTreeBuilderTest {
    private static final Path FILE = Path.of("/etc/keepalived/keepalived.conf");
    private final Diagnostics diagnostics = new Diagnostics();

    private List<Node> build(String... lines) {
        List<SourceLine> source = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            source.add(new SourceLine(new Location(FILE, i + 1), lines[i]));
        }
        return new BlockTreeBuilder(diagnostics).build(source, Location.ofFile(FILE));
    }

    @Test
    void braceOnTheSameLineOrTheNext() {
        List<Node> top = build("vrrp_instance VI_1 {", "state MASTER", "}", "vrrp_script chk", "{", "interval 2", "}");
        assertThat(top).extracting(Node::keyword, Node::args, Node::block).containsExactly(
                org.assertj.core.groups.Tuple.tuple("vrrp_instance", List.of("VI_1"), true),
                org.assertj.core.groups.Tuple.tuple("vrrp_script", List.of("chk"), true));
        assertThat(top.get(0).children()).singleElement().satisfies(n -> {
            assertThat(n.text()).isEqualTo("state MASTER");
            assertThat(n.location().line()).isEqualTo(2);
        });
        assertThat(top.get(1).children().getFirst().text()).isEqualTo("interval 2");
        assertThat(diagnostics.list()).isEmpty();
    }

    @Test
    void oneLineBlocksAndQuotedBraces() {
        List<Node> top = build("track_interface { eth0 weight 5 }", "script \"echo {\" '}'");
        assertThat(top.get(0).children()).singleElement().extracting(Node::text).isEqualTo("eth0 weight 5");
        assertThat(top.get(1).args()).containsExactly("echo {", "}");
        assertThat(top.get(1).block()).isFalse();
    }

    @Test
    void quotesJoinWordsAndEscapesWork() {
        List<Node> top = build("a abcd\" efg h jkl \"mnop", "b 'x\\ty' \"\\x41\\102\\\"q\"");
        assertThat(top.get(0).args()).containsExactly("abcd efg h jkl mnop");
        assertThat(top.get(1).args()).containsExactly("x\ty", "AB\"q");
    }

    @Test
    void missingCloseBraceIsReportedWhereTheBlockOpened() {
        build("global_defs {", "router_id x", "}", "vrrp_instance VI_1 {", "state MASTER");
        assertThat(diagnostics.list()).extracting(Diagnostic::line, Diagnostic::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4, "'vrrp_instance' block opened here is missing its '}'"));
    }

    @Test
    void strayBracesAndUnterminatedQuotes() {
        build("}", "{", "script \"unterminated");
        assertThat(diagnostics.list()).extracting(Diagnostic::line, Diagnostic::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "'}' without a matching '{'"),
                org.assertj.core.groups.Tuple.tuple(2, "'{' without a keyword before it"),
                org.assertj.core.groups.Tuple.tuple(3, "unterminated quoted string (missing \")"),
                org.assertj.core.groups.Tuple.tuple(2, "'{' block opened here is missing its '}'"));
    }

    @Test
    void deepNestingIsBounded() {
        build("n { ".repeat(1000) + "}".repeat(1000));
        assertThat(diagnostics.list()).extracting(Diagnostic::message)
                .containsExactly("blocks nested more than " + BlockTreeBuilder.MAX_NESTING + " deep");
    }
}
