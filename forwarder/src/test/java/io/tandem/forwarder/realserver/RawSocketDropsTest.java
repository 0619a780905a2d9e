package io.tandem.forwarder.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RawSocketDropsTest {
    /** /proc/net/raw as Linux 6.x writes it: the tunnel socket (protocol 4) and a VRRP one (112). */
    private static final List<String> PROC_NET_RAW = List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref"
                    + " pointer drops",
            "   4: 00000000:0004 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 81234 2"
                    + " 0000000000000000 17",
            " 112: 00000000:0070 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 81240 2"
                    + " 0000000000000000 0");

    @Test
    void theDropsOfTheSocketsRow() {
        assertThat(RawSocketDrops.parse(PROC_NET_RAW, "81234")).isEqualTo(17);
        assertThat(RawSocketDrops.parse(PROC_NET_RAW, "81240")).isZero();
        assertThat(RawSocketDrops.parse(PROC_NET_RAW, "99999")).as("no such socket").isEqualTo(-1);
        assertThat(RawSocketDrops.of(-1)).as("no descriptor").isEqualTo(-1);
    }
}
