package io.tandem.core.config.reader;

import static io.tandem.core.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.Diagnostic;
import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.Location;
import io.tandem.core.config.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
    @TempDir
    Path dir;

    private final Diagnostics diagnostics = new Diagnostics();

    private List<SourceLine> read(String content) {
        return read(write(dir, "keepalived.conf", content), "main");
    }

    private List<SourceLine> read(Path file, String configId) {
        return new ConfigReader(configId, diagnostics, RandomGenerator.of("L64X128MixRandom")).read(file);
    }

    private static List<String> texts(List<SourceLine> lines) {
        return lines.stream().map(SourceLine::text).toList();
    }

    @Test
    void stripsCommentsOutsideQuotesAndKeepsLineNumbers() {
        List<SourceLine> lines = read("""
                ! a comment
                global_defs {   # trailing
                    script "/bin/echo # not a comment ! either"
                }
                """);
        assertThat(texts(lines)).containsExactly("global_defs {", "script \"/bin/echo # not a comment ! either\"", "}");
        assertThat(lines.get(1).location().line()).isEqualTo(3);
        assertThat(diagnostics.list()).isEmpty();
    }

    @Test
    void conditionalLinesFollowTheConfigId() {
        String conf = """
                @main router_id main_router
                @backup router_id backup_router
                @^main unicast_peer_for_others
                @^backup unicast_peer_for_not_backup
                """;
        assertThat(texts(read(conf))).containsExactly("router_id main_router", "unicast_peer_for_not_backup");
    }

    @Test
    void parametersAreSubstitutedAtUseNotAtDefinition() {
        // the example of keepalived.conf(5) "Parameter substitution"
        assertThat(texts(read("""
                $ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}
                $ADDRESS_BASE_SUB=0
                ${ADDRESS_BASE}.100/32
                $ADDRESS_BASE_SUB=10
                ${ADDRESS_BASE}.100/32
                """))).containsExactly("10.2.0.100/32", "10.2.10.100/32");
    }

    @Test
    void bareParameterNeedsWhitespaceAfterItAndUndefinedOnesStay() {
        assertThat(texts(read("""
                $P=240
                priority $P
                priority $P.5
                script "/bin/kill -0 $PID ${UNDEFINED}"
                """))).containsExactly("priority 240", "priority $P.5", "script \"/bin/kill -0 $PID ${UNDEFINED}\"");
    }

    @Test
    void conditionalDefinitionsAndDefinitionsHoldingConditions() {
        assertThat(texts(read("""
                @main $PRIORITY=240
                @backup $PRIORITY=200
                priority $PRIORITY
                $IF_MAIN=@main
                $IF_MAIN advert_int 2
                $IF_BACKUP=@backup
                $IF_BACKUP advert_int 3
                """))).containsExactly("priority 240", "advert_int 2");
    }

    @Test
    void multiLineDefinitionsExpandToLinesAtTheReferenceLocation() {
        List<SourceLine> nested = read("""
                $RS= \\
                real_server 192.168.${N}.${RS_NUM} 80 { \\
                    weight 1 \\

                }
                $VS= \\
                virtual_server 10.0.${N}.4 80 { \\
                    $RS_NUM=1 \\
                    $RS \\
                    $RS_NUM=2 \\
                    $RS \\
                }
                $N=3
                $VS
                """);
        assertThat(texts(nested)).containsExactly("virtual_server 10.0.3.4 80 {",
                "real_server 192.168.3.1 80 {", "weight 1", "}",
                "real_server 192.168.3.2 80 {", "weight 1", "}", "}");
        assertThat(nested).allSatisfy(l -> assertThat(l.location().line()).isEqualTo(14));
    }

    @Test
    void sequencesRepeatTheRestOfTheLine() {
        assertThat(texts(read("~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1")))
                .containsExactly("ip_address 10.0.0.1", "ip_address 10.0.1.1", "ip_address 10.0.2.1", "ip_address 10.0.3.1");
        assertThat(texts(read("~SEQx(S, 0x90, 0x10, 0xc0) fe80::20:${S}:1")))
                .containsExactly("fe80::20:90:1", "fe80::20:a0:1", "fe80::20:b0:1", "fe80::20:c0:1");
        assertThat(texts(read("~SEQ(A, 3) x${A}"))).containsExactly("x1", "x2", "x3");
        assertThat(texts(read("~SEQ(B, 5, 3) y${B}"))).containsExactly("y5", "y4", "y3");
        assertThat(texts(read("~SEQ(C, 1, 2) ~SEQ(D, 7, 8) ${C}.${D}"))).containsExactly("1.7", "1.8", "2.7", "2.8");
    }

    @Test
    void listsAssignOneOrSeveralVariables() {
        assertThat(texts(read("~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1}")))
                .containsExactly("192.168.10.1", "192.168.20.4");
        assertThat(texts(read("~LST(P, 80, 443) port ${P}"))).containsExactly("port 80", "port 443");
    }

    @Test
    void badSequenceIsReportedAtItsLine() {
        read("\n~SEQ(1x, 1, 2) a\n~SEQ(V, 1, 0, 3) b\n~LST({A,B}, {1}) c\n");
        assertThat(diagnostics.list()).extracting(Diagnostic::line, Diagnostic::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "invalid variable name: '1x' (expected: letters, digits and '_',"
                        + " not starting with a digit)"),
                org.assertj.core.groups.Tuple.tuple(3, "invalid ~SEQ step: 0 (expected: non-zero)"),
                org.assertj.core.groups.Tuple.tuple(4, "~LST values {1}: 1 values (expected: 2, one per variable)"));
    }

    @Test
    void selfReferencingDefinitionIsAnErrorNotAHang() {
        read("$A=$A x\nvalue $A\n");
        assertThat(diagnostics.list()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(2);
            assertThat(d.message()).contains("nested more than");
        });
    }

    @Test
    void predefinedParameters() {
        Path file = write(dir, "sub/keepalived.conf", "dir ${_PWD}\nid ${_INSTANCE}\nhash ${_HASH} bang ${_BANG}\n"
                + "r ${_RANDOM 5 5}\n");
        assertThat(texts(read(file, "node7"))).containsExactly("dir " + dir.resolve("sub"), "id node7",
                "hash # bang !", "r 5");
    }

    @Test
    void includesFollowGlobsRelativeToTheIncludingFileInSortedOrder() {
        write(dir, "conf.d/20-b.conf", "second\n");
        write(dir, "conf.d/10-a.conf", "first\ninclude ../other/{x,y}.conf\n");
        write(dir, "conf.d/ignored.txt", "never\n");
        write(dir, "other/y.conf", "from y\n");
        write(dir, "other/x.conf", "from x\n");
        List<SourceLine> lines = read("before\ninclude conf.d/*.conf\nafter\n");
        assertThat(texts(lines)).containsExactly("before", "first", "from x", "from y", "second", "after");
        assertThat(lines.get(2).location()).isEqualTo(new Location(dir.resolve("other/x.conf"), 1));
        assertThat(diagnostics.list()).isEmpty();
    }

    @Test
    void includeLoopIsReportedAtTheIncludeLine() {
        write(dir, "a.conf", "in a\ninclude b.conf\n");
        write(dir, "b.conf", "in b\ninclude a.conf\n");
        List<SourceLine> lines = read(dir.resolve("a.conf"), "x");
        assertThat(texts(lines)).containsExactly("in a", "in b");
        assertThat(diagnostics.list()).singleElement().satisfies(d -> {
            assertThat(d.location()).isEqualTo(new Location(dir.resolve("b.conf"), 2));
            assertThat(d.severity()).isEqualTo(Severity.ERROR);
            assertThat(d.message()).startsWith("include loop: " + dir.resolve("a.conf"));
        });
    }

    @Test
    void unmatchedIncludeIsAWarningAndIncludeaAnError() {
        read("include none/*.conf\nincludea missing.conf\n");
        assertThat(diagnostics.list()).extracting(Diagnostic::line, Diagnostic::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, Severity.WARNING),
                org.assertj.core.groups.Tuple.tuple(2, Severity.ERROR));
    }

    @Test
    void missingMainFileIsFatal() {
        List<SourceLine> lines = read(dir.resolve("nope.conf"), "x");
        assertThat(lines).isEmpty();
        assertThat(diagnostics.list()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.FATAL);
            assertThat(d.message()).isEqualTo("configuration file not found: " + dir.resolve("nope.conf"));
        });
    }
}
