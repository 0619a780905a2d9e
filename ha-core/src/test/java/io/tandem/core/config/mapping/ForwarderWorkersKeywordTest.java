package io.tandem.core.config.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigFiles;
import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.Diagnostic;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tandem's {@code global_defs { forwarder_workers N }}: the forwarder's worker threads (docs/fanout.md). */
class ForwarderWorkersKeywordTest {
    @TempDir
    Path dir;

    @Test
    void setInGlobalDefs() {
        ConfigLoader.Result r = ConfigFiles.load(dir, "global_defs {\n    router_id a\n    forwarder_workers 4\n}\n");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.config().orElseThrow().globalDefs().forwarderWorkers()).isEqualTo(OptionalInt.of(4));
    }

    @Test
    void unsetIsEmpty() {
        ConfigLoader.Result r = ConfigFiles.load(dir, "global_defs {\n    router_id a\n}\n");
        assertThat(r.config().orElseThrow().globalDefs().forwarderWorkers()).isEmpty();
    }

    @Test
    void laterBlocksWin() {
        ConfigLoader.Result r = ConfigFiles.load(dir,
                "global_defs {\n    forwarder_workers 2\n}\nglobal_defs {\n    forwarder_workers 8\n}\n");
        assertThat(r.config().orElseThrow().globalDefs().forwarderWorkers()).isEqualTo(OptionalInt.of(8));
    }

    @Test
    void badValuesAtTheirLines() {
        ConfigLoader.Result r = ConfigFiles.load(dir,
                "global_defs {\n    forwarder_workers 0\n    forwarder_workers 65\n    forwarder_workers two\n}\n");
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.diagnostics()).extracting(Diagnostic::line).containsExactly(2, 3, 4);
        assertThat(r.diagnostics()).allSatisfy(d -> assertThat(d.message()).startsWith("forwarder_workers"));
    }
}
