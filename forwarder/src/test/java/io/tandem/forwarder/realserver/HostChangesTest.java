package io.tandem.forwarder.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.netlink.Sysctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal takes back exactly what it changed, newest first, and reports each step. */
class HostChangesTest {
    @TempDir
    Path root;

    private final List<String> lines = new ArrayList<>();

    private Sysctl sysctl(String... nameValue) throws IOException {
        Sysctl s = new Sysctl(root);
        for (int i = 0; i < nameValue.length; i += 2) {
            Path p = s.path(nameValue[i]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, nameValue[i + 1] + "\n");
        }
        return s;
    }

    @Test
    void onlyWhatWasChangedIsUndoneNewestFirst() throws IOException {
        Sysctl s = sysctl("net.ipv4.conf.all.arp_ignore", "0", "net.ipv4.conf.all.arp_announce", "2",
                "net.ipv4.conf.lo.arp_ignore", "3");
        HostChanges changes = new HostChanges(s, lines::add);
        changes.sysctl("net.ipv4.conf.all.arp_ignore", 1, old -> old >= 1);
        changes.sysctl("net.ipv4.conf.all.arp_announce", 2);
        changes.sysctl("net.ipv4.conf.lo.arp_ignore", 1, old -> old >= 1); // 3 is stricter: kept
        List<String> order = new ArrayList<>();
        changes.record("made a device", "removed the device", () -> order.add("device"));
        assertThat(s.readInt("net.ipv4.conf.all.arp_ignore")).isEqualTo(1);
        assertThat(changes.size()).isEqualTo(2);

        changes.undo();
        assertThat(s.readInt("net.ipv4.conf.all.arp_ignore")).isZero();
        assertThat(s.readInt("net.ipv4.conf.all.arp_announce")).isEqualTo(2);
        assertThat(s.readInt("net.ipv4.conf.lo.arp_ignore")).isEqualTo(3);
        assertThat(order).containsExactly("device");
        assertThat(lines).containsExactly(
                "set net.ipv4.conf.all.arp_ignore 0 -> 1",
                "kept net.ipv4.conf.all.arp_announce 2",
                "kept net.ipv4.conf.lo.arp_ignore 3",
                "made a device",
                "removed the device",
                "restored net.ipv4.conf.all.arp_ignore 1 -> 0");
        changes.undo(); // nothing left
        assertThat(lines).hasSize(6);
    }

    @Test
    void aChangeThatCannotBeUndoneIsReportedAndTheRestStillAre() throws IOException {
        Sysctl s = sysctl("net.ipv4.conf.all.rp_filter", "2");
        HostChanges changes = new HostChanges(s, lines::add);
        changes.sysctl("net.ipv4.conf.all.rp_filter", 0);
        changes.record("added", "removed", () -> {
            throw new IOException("RTM_DELADDR: EADDRNOTAVAIL");
        });
        assertThatThrownBy(changes::undo).hasMessage("RTM_DELADDR: EADDRNOTAVAIL");
        assertThat(s.readInt("net.ipv4.conf.all.rp_filter")).isEqualTo(2);
        assertThat(lines).contains("could not undo (removed): RTM_DELADDR: EADDRNOTAVAIL",
                "restored net.ipv4.conf.all.rp_filter 0 -> 2");
    }
}
