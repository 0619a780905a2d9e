package io.tandem.core.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlTest {
    @TempDir
    Path root;

    @Test
    void dottedNamesMapToFilesAndSlashesToDots() {
        Sysctl sysctl = new Sysctl(root);

        assertThat(sysctl.path("net.ipv4.ip_forward")).isEqualTo(root.resolve("net/ipv4/ip_forward"));
        assertThat(sysctl.path("net.ipv4.conf.eth0/100.arp_ignore"))
                .isEqualTo(root.resolve("net/ipv4/conf/eth0.100/arp_ignore"));
    }

    @Test
    void malformedNamesAreRefused() {
        Sysctl sysctl = new Sysctl(root);

        for (String name : new String[] {"", "net..ipv4", ".net", "net.ipv4.", "net./x", "net.a b"}) {
            assertThatThrownBy(() -> sysctl.path(name))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid sysctl name: '" + name
                            + "' (expected: dot-separated components, such as net.ipv4.conf.eth0.arp_ignore)");
        }
    }

    @Test
    void readsAndWritesValues() throws IOException {
        Path file = Files.createDirectories(root.resolve("net/ipv4")).resolve("ip_forward");
        Files.writeString(file, "0\n");
        Sysctl sysctl = new Sysctl(root);

        assertThat(sysctl.readInt("net.ipv4.ip_forward")).isZero();
        sysctl.write("net.ipv4.ip_forward", 1);
        assertThat(Files.readString(file)).isEqualTo("1\n");
        assertThat(sysctl.read("net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void missingParameterIsNamed() {
        Sysctl sysctl = new Sysctl(root);
        Path expected = root.resolve("net/ipv4/conf/eth9/arp_ignore");

        assertThatThrownBy(() -> sysctl.read("net.ipv4.conf.eth9.arp_ignore"))
                .isInstanceOf(IOException.class)
                .hasMessage("sysctl net.ipv4.conf.eth9.arp_ignore: no such parameter (" + expected
                        + " does not exist)");
        assertThatThrownBy(() -> sysctl.write("net.ipv4.conf.eth9.arp_ignore", 1))
                .hasMessage("sysctl net.ipv4.conf.eth9.arp_ignore: no such parameter (" + expected
                        + " does not exist)");
        assertThat(Files.exists(expected)).isFalse();
    }

    @Test
    void nonIntegerValueIsReported() throws IOException {
        Files.writeString(Files.createDirectories(root.resolve("net/core")).resolve("default_qdisc"), "fq_codel\n");

        assertThatThrownBy(() -> new Sysctl(root).readInt("net.core.default_qdisc"))
                .hasMessage("sysctl net.core.default_qdisc: value 'fq_codel' is not an integer");
    }
}
