package io.tandem.core.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FanoutTest {
    @Test
    void optionValuePacksGroupIdLowAndModeWithFlagsHigh() {
        assertThat(Fanout.hash(0x1234).optionValue()).isEqualTo(0x0000_1234);
        assertThat(new Fanout(FanoutMode.LB, 7, 0).optionValue()).isEqualTo(0x0001_0007);
        assertThat(new Fanout(FanoutMode.HASH, 0xFFFF, Fanout.FLAG_ROLLOVER | Fanout.FLAG_DEFRAG).optionValue())
                .isEqualTo(0x9000_FFFF);
        assertThat(new Fanout(FanoutMode.QM, 1, 0).optionValue()).isEqualTo(0x0005_0001);
        // PACKET_FANOUT_CBPF 6 | PACKET_FANOUT_FLAG_IGNORE_OUTGOING 0x4000
        assertThat(Fanout.cbpf(3).optionValue()).isEqualTo(0x4006_0003);
    }

    @Test
    void groupIdAndFlagsAreChecked() {
        assertThatThrownBy(() -> Fanout.hash(65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid fanout group id: 65536 (expected: 0 ~ 65535)");
        assertThatThrownBy(() -> Fanout.hash(-1))
                .hasMessage("invalid fanout group id: -1 (expected: 0 ~ 65535)");
        assertThatThrownBy(() -> new Fanout(FanoutMode.HASH, 1, 0x0800))
                .hasMessage("invalid fanout flags: 0x800 (expected: a combination of FLAG_ROLLOVER 0x1000,"
                        + " FLAG_UNIQUEID 0x2000, FLAG_IGNORE_OUTGOING 0x4000, FLAG_DEFRAG 0x8000)");
        assertThatThrownBy(() -> new Fanout(FanoutMode.CBPF, 5, Fanout.FLAG_UNIQUEID))
                .hasMessage("invalid fanout group id with FLAG_UNIQUEID: 5 (expected: 0, the kernel chooses it)");
        assertThat(Fanout.cbpfUnique().optionValue()).isEqualTo(0x6006_0000);
        assertThatThrownBy(() -> new Fanout(null, 1, 0)).hasMessage("fanout mode must not be null");
    }
}
