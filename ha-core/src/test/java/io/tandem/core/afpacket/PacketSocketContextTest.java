package io.tandem.core.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.bpf.Bpf;
import io.tandem.core.bpf.BpfProgram;
import org.junit.jupiter.api.Test;

class PacketSocketContextTest {
    @Test
    void interfaceNameIsChecked() {
        PacketSocketContext context = new PacketSocketContext();

        assertThatThrownBy(() -> context.interfaceName("averyveryverylong"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid interface name: 'averyveryverylong' (expected: 1 ~ 15 characters, no '/' or white space)");
        assertThatThrownBy(() -> context.interfaceName("a/b"))
                .hasMessage("invalid interface name: 'a/b' (expected: 1 ~ 15 characters, no '/' or white space)");
        assertThatThrownBy(() -> context.interfaceName(""))
                .hasMessage("invalid interface name: '' (expected: 1 ~ 15 characters, no '/' or white space)");
        assertThat(context.interfaceName("veth-with-15chr").interfaceName()).isEqualTo("veth-with-15chr");
    }

    @Test
    void protocolIsAnEthertype() {
        assertThatThrownBy(() -> new PacketSocketContext().protocol(0x10000))
                .hasMessage("invalid protocol: 65536 (expected: 0 ~ 65535)");
        assertThat(new PacketSocketContext().protocol()).isEqualTo(AfPacket.ETH_P_ALL);
    }

    @Test
    void openNeedsAnInterfaceAndFanoutNeedsAProtocol() {
        assertThatThrownBy(() -> PacketSocket.open(new PacketSocketContext()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no interface name (expected: interfaceName(\"eth0\") before open)");
        assertThatThrownBy(() -> PacketSocket.open(
                new PacketSocketContext().interfaceName("lo").protocol(0).fanout(Fanout.hash(1))))
                .hasMessageStartingWith("invalid protocol for fanout: 0");
    }

    @Test
    void aFanoutProgramNeedsACbpfGroup() {
        BpfProgram program = BpfProgram.builder().stmt(Bpf.RET, 0).build();
        assertThatThrownBy(() -> PacketSocket.open(new PacketSocketContext().interfaceName("eth0")
                .fanout(Fanout.hash(1)).fanoutProgram(program)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid fanout program for fanout group=1, mode=HASH (expected: a CBPF fanout group)");
        assertThatThrownBy(() -> PacketSocket.open(new PacketSocketContext().interfaceName("eth0")
                .fanoutProgram(program)))
                .hasMessage("invalid fanout program for fanout null (expected: a CBPF fanout group)");
    }

    @Test
    void describesItself() {
        PacketSocketContext context = new PacketSocketContext().interfaceName("eth1").protocol(0x0800)
                .promiscuous(true).fanout(Fanout.hash(9)).rxRing(RingGeometry.of(2048, 4, 4096));

        assertThat(context).hasToString("if=eth1, protocol=0x0800, promiscuous, fanout(group=9, mode=HASH),"
                + " rxRing(4 frames of 2048 in 2 blocks of 4096)");
    }
}
