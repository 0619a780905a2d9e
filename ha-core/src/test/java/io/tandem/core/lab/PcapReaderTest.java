package io.tandem.core.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PcapReaderTest {
    private static byte[] file(ByteOrder order, int magic, int... records) {
        ByteBuffer b = ByteBuffer.allocate(24 + records.length / 4 * (16 + 4)).order(order);
        b.putInt(magic);            // magic number
        b.putShort((short) 2);      // major version
        b.putShort((short) 4);      // minor version
        b.putInt(0);                // reserved 1
        b.putInt(0);                // reserved 2
        b.putInt(262144);           // snaplen
        b.putInt(1);                // link type: LINKTYPE_ETHERNET
        for (int i = 0; i < records.length; i += 4) {
            b.putInt(records[i]);       // timestamp seconds
            b.putInt(records[i + 1]);   // timestamp micro- or nanoseconds
            b.putInt(4);                // captured length
            b.putInt(records[i + 2]);   // original length
            b.putInt(records[i + 3]);   // the 4 captured bytes
        }
        return b.array();
    }

    @Test
    void readsLittleEndianMicrosecondFile() throws IOException {
        PcapReader.Pcap pcap = PcapReader.read(file(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4,
                1_700_000_000, 250_000, 60, 0x01020304));

        assertThat(pcap.linkType()).isEqualTo(PcapReader.LINKTYPE_ETHERNET);
        assertThat(pcap.frames()).hasSize(1);
        PcapFrame frame = pcap.frames().getFirst();
        assertThat(frame.timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_000, 250_000_000));
        assertThat(frame.originalLength()).isEqualTo(60);
        assertThat(frame.data()).containsExactly(4, 3, 2, 1);
    }

    @Test
    void readsBigEndianNanosecondFile() throws IOException {
        PcapReader.Pcap pcap = PcapReader.read(file(ByteOrder.BIG_ENDIAN, 0xa1b23c4d,
                10, 7, 4, 0x0a0b0c0d,
                11, 8, 4, 0x01020304));

        assertThat(pcap.frames()).extracting(PcapFrame::timestamp)
                .containsExactly(Instant.ofEpochSecond(10, 7), Instant.ofEpochSecond(11, 8));
        assertThat(pcap.frames().get(0).data()).containsExactly(0x0a, 0x0b, 0x0c, 0x0d);
    }

    @Test
    void recordCutShortEndsTheListWithoutError() throws IOException {
        byte[] whole = file(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 1, 0, 4, 1, 2, 0, 4, 2);

        assertThat(PcapReader.read(Arrays.copyOf(whole, whole.length - 1)).frames()).hasSize(1);
        assertThat(PcapReader.read(Arrays.copyOf(whole, 10)).frames()).isEmpty();
    }

    @Test
    void rejectsWhatIsNotPcap() {
        byte[] pcapng = file(ByteOrder.BIG_ENDIAN, 0x0a0d0d0a);

        assertThatThrownBy(() -> PcapReader.read(pcapng)).isInstanceOf(IOException.class)
                .hasMessage("not a pcap file: magic 0x0a0d0d0a (expected: 0xa1b2c3d4 or 0xa1b23c4d)");
    }

    @Test
    void frameAccessorsReadEthernetAndIpv4Headers() {
        byte[] data = new byte[34];
        byte[] header = {
            2, 0, 10, 77, 0, 11,            // destination MAC
            2, 0, 10, 77, 0, 1,             // source MAC
            0x08, 0x00,                     // EtherType IPv4
            0x45, 0, 0, 20, 0, 0, 0, 0,     // version/IHL, DSCP, total length, id, flags/fragment
            64, 1, 0, 0,                    // TTL, protocol ICMP, checksum
            10, 77, 1, 10,                  // source 10.77.1.10
            10, 77, 0, 11,                  // destination 10.77.0.11
        };
        System.arraycopy(header, 0, data, 0, header.length);
        PcapFrame frame = new PcapFrame(Instant.EPOCH, data, data.length);

        assertThat(frame.destinationMac()).isEqualTo("02:00:0a:4d:00:0b");
        assertThat(frame.sourceMac()).isEqualTo("02:00:0a:4d:00:01");
        assertThat(frame.etherType()).isEqualTo(0x0800);
        assertThat(frame.ipProtocol()).isEqualTo(1);
        assertThat(frame.ipv4Source()).isEqualTo("10.77.1.10");
        assertThat(frame.ipv4Destination()).isEqualTo("10.77.0.11");
        assertThat(new PcapFrame(Instant.EPOCH, new byte[10], 10).ipv4Source()).isNull();
    }
}
