package io.tandem.core.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab is removed on every path: close, failure while building, JVM exit, and a killed owner. */
@LabTest
class LabLifecycleTest {
    @TempDir
    Path records;

    private LabOptions small() {
        return LabOptions.defaults().withRealServers(1).withDirectors(false).withRecordDirectory(records);
    }

    @Test
    void closeRemovesNamespacesProcessesAndRecord() throws Exception {
        Lab lab = Lab.create(small());
        LabProcess sleeper;
        try {
            sleeper = lab.realServer(1).start(List.of("sleep", "300"), records.resolve("sleep.log"));
            assertThat(LabNamespaces.ofLab(lab.prefix())).hasSize(4);
            assertThat(LabRegistry.at(records).read(lab.prefix()).orElseThrow().namespaces())
                    .containsExactlyElementsOf(lab.namespaces());
        } finally {
            lab.close();
        }
        assertThat(LabNamespaces.ofLab(lab.prefix())).isEmpty();
        assertThat(ProcessHandle.of(sleeper.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(LabRegistry.at(records).read(lab.prefix())).isEmpty();
        lab.close();
    }

    @Test
    void failureHalfwayRemovesWhatWasMadeAndNothingElse() throws Exception {
        LabOptions options = small();
        // someone else's namespace already has the name rs1 would get: creating the lab fails there
        try (Netns foreign = Netns.create(options.prefix() + "-rs1")) {
            assertThatThrownBy(() -> Lab.create(options)).isInstanceOf(IOException.class)
                    .hasMessageContaining(options.prefix() + "-rs1");

            assertThat(LabNamespaces.ofLab(options.prefix())).containsExactly(foreign.name());
            assertThat(LabRegistry.at(records).read(options.prefix())).isEmpty();
        }
        assertThat(LabNamespaces.ofLab(options.prefix())).isEmpty();
    }

    @Test
    void cleanupStaleRemovesOnlyWhatDeadOwnersRecorded() throws Exception {
        LabRegistry registry = LabRegistry.at(records);
        String dead = LabOptions.randomPrefix();
        String reusedPid = LabOptions.randomPrefix();
        String alive = LabOptions.randomPrefix();
        String kept = LabOptions.randomPrefix();
        List<Netns> made = new ArrayList<>();
        try {
            for (String name : List.of(dead + "-a", dead + "-b", dead + "-unrecorded", reusedPid + "-a", alive + "-a",
                    kept + "-a")) {
                made.add(Netns.create(name));
            }
            long deadPid = exitedPid();
            ProcessHandle self = ProcessHandle.current();
            registry.write(new LabRecord(dead, deadPid, null, false, List.of(dead + "-a", dead + "-b")));
            registry.write(new LabRecord(reusedPid, self.pid(), Instant.EPOCH, false, List.of(reusedPid + "-a")));
            registry.write(new LabRecord(alive, self.pid(), self.info().startInstant().orElse(null), false,
                    List.of(alive + "-a")));
            registry.write(new LabRecord(kept, deadPid, null, true, List.of(kept + "-a")));

            List<LabRecord> removed = registry.cleanupStale();

            assertThat(removed).extracting(LabRecord::prefix).containsExactlyInAnyOrder(dead, reusedPid);
            assertThat(LabNamespaces.ofLab(dead)).containsExactly(dead + "-unrecorded");
            assertThat(LabNamespaces.ofLab(reusedPid)).isEmpty();
            assertThat(LabNamespaces.ofLab(alive)).containsExactly(alive + "-a");
            assertThat(LabNamespaces.ofLab(kept)).containsExactly(kept + "-a");
            assertThat(registry.list()).extracting(LabRecord::prefix).containsExactlyInAnyOrder(alive, kept);

            assertThat(registry.destroy(kept)).isTrue();
            assertThat(LabNamespaces.ofLab(kept)).isEmpty();
            assertThat(registry.destroy(kept)).isFalse();
        } finally {
            for (Netns ns : made) {
                ns.close();
            }
        }
    }

    @Test
    void recordRejectsNamespacesOutsideItsPrefix() {
        assertThatThrownBy(() -> new LabRecord("tlabcde", 1, null, false, List.of("other-ns")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid namespace in lab record tlabcde: other-ns (expected: a name starting with tlabcde-)");
    }

    @Test
    void shutdownHookRemovesTheLabWhenCloseIsNeverCalled() throws Exception {
        Process owner = startOwner("exit");
        String prefix = readPrefix(owner);
        assertThat(owner.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(LabNamespaces.ofLab(prefix)).isEmpty();
        assertThat(LabRegistry.at(records).list()).isEmpty();
    }

    @Test
    void labOfAKilledOwnerIsRemovedByCleanupStale() throws Exception {
        Process owner = startOwner("hang");
        String prefix = readPrefix(owner);
        try {
            assertThat(LabRegistry.at(records).cleanupStale()).isEmpty();
            assertThat(LabNamespaces.ofLab(prefix)).hasSize(4);
        } finally {
            owner.destroyForcibly();
            owner.waitFor(30, TimeUnit.SECONDS);
        }
        // SIGKILL: no shutdown hook ran
        assertThat(LabNamespaces.ofLab(prefix)).hasSize(4);

        assertThat(LabRegistry.at(records).cleanupStale()).extracting(LabRecord::prefix).containsExactly(prefix);
        assertThat(LabNamespaces.ofLab(prefix)).isEmpty();
        assertThat(LabRegistry.at(records).list()).isEmpty();
    }

    private Process startOwner(String mode) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LabOwnerMain.class.getName(), records.toString(), mode)
                .redirectErrorStream(true)
                .start();
    }

    private static String readPrefix(Process owner) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PREFIX ")) {
                Thread.startVirtualThread(() -> drain(out));
                return line.substring("PREFIX ".length()).strip();
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("lab owner exited without printing its prefix:\n" + seen);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the child's pipe from filling
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    private static long exitedPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(ProcessHandle.of(p.pid())).isEmpty();
        return p.pid();
    }
}
