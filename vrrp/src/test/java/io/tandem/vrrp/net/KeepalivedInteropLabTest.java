package io.tandem.vrrp.net;

import static io.tandem.vrrp.net.VrrpLabSupport.await;
import static io.tandem.vrrp.net.VrrpLabSupport.config;
import static io.tandem.vrrp.net.VrrpLabSupport.engine;
import static io.tandem.vrrp.net.VrrpLabSupport.holdsVip;
import static io.tandem.vrrp.net.VrrpLabSupport.quietly;
import static io.tandem.vrrp.net.VrrpLabSupport.routerEntryForVip;
import static io.tandem.vrrp.net.VrrpLabSupport.state;
import static io.tandem.vrrp.net.VrrpLabSupport.vipText;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabIpv6;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.WithLab;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.AddressFamily;
import io.tandem.vrrp.packet.VrrpVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tandem beside Debian's keepalived (2.2), both ways: VRRPv2 at 1 s and VRRPv3 at
 * 100 ms over IPv4 (keepalived's IPv4 v3 checksum includes the pseudo-header, Tandem's
 * default), and VRRPv3 at 100 ms over IPv6 (from link-local addresses to ff02::12, the
 * VIP fd77::100 with unsolicited Neighbor Advertisements). keepalived runs in director-b
 * in the foreground with its own pid files; only the process this test started is
 * stopped, by its pid. After each takeover the client reaches the VIP.
 */
@WithLab(realServers = 1)
class KeepalivedInteropLabTest {
    @TempDir
    Path dir;

    private VrrpEngine tandem;
    private LabProcess keepalived;

    @BeforeEach
    void ipv6(Lab lab) throws Exception {
        LabIpv6.enable(lab);
    }

    @AfterEach
    void stop(Lab lab) throws Exception {
        if (tandem != null) {
            tandem.close();
        }
        if (keepalived != null) {
            keepalived.stop();
        }
        for (AddressFamily family : AddressFamily.values()) {
            assertThat(await(Duration.ofSeconds(5), quietly(() -> !holdsVip(lab.directorA(), family)
                    && !holdsVip(lab.directorB(), family)))).as("%s VIP left behind", family).isNotNegative();
        }
    }

    private LabProcess startKeepalived(LabHost host, int version, String interval, int priority,
            AddressFamily family) throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
                global_defs {
                    router_id tandem-interop
                    vrrp_version %d
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface %s
                    virtual_router_id %d
                    priority %d
                    advert_int %s
                    virtual_ipaddress {
                        %s/%d
                    }
                }
                """.formatted(version, host.interfaceName(), VrrpLabSupport.VRID, priority, interval, vipText(family),
                family == AddressFamily.IPV4 ? 32 : 128));
        return host.start(List.of("keepalived", "--dont-fork", "--log-console", "--log-detail", "--vrrp",
                "--use-file=" + conf, "--pid=" + dir.resolve("k.pid"), "--vrrp_pid=" + dir.resolve("v.pid")),
                dir.resolve("keepalived.log"));
    }

    private String keepalivedLog() throws Exception {
        return Files.readString(dir.resolve("keepalived.log"));
    }

    @ParameterizedTest(name = "{3} VRRPv{0} at {1} s")
    @CsvSource({"2, 1, 1000, IPV4", "3, 0.1, 100, IPV4", "3, 0.1, 100, IPV6"})
    void tandemMasterKeepalivedBackupThenKeepalivedTakesOver(int version, String interval, long intervalMs,
            AddressFamily family, Lab lab) throws Exception {
        VrrpVersion v = version == 2 ? VrrpVersion.V2 : VrrpVersion.V3;
        keepalived = startKeepalived(lab.directorB(), version, interval, 100, family);
        tandem = engine(lab.directorA(), config(lab.directorA(), family, v, Duration.ofMillis(intervalMs), 150, true));
        Duration settle = Duration.ofMillis(intervalMs * 8 + 3000);
        assertThat(await(settle, quietly(() -> state(tandem) == VrrpState.MASTER
                && !holdsVip(lab.directorB(), family)))).as("Tandem master, keepalived without the VIP").isNotNegative();
        assertThat(await(settle, quietly(() -> keepalivedLog().contains("Entering BACKUP STATE")))).isNotNegative();
        Thread.sleep(intervalMs * 4); // keepalived must stay backup while Tandem advertises
        assertThat(holdsVip(lab.directorB(), family)).isFalse();
        assertThat(holdsVip(lab.directorA(), family)).isTrue();
        assertThat(lab.client().ping(vipText(family), Duration.ofSeconds(2))).isTrue();

        tandem.close(); // priority 0
        tandem = null;
        assertThat(await(settle, quietly(() -> holdsVip(lab.directorB(), family)))).as("keepalived takes over")
                .isNotNegative();
        assertThat(await(Duration.ofSeconds(2), quietly(() -> routerEntryForVip(lab, family)
                .equals(lab.directorB().mac())))).as("keepalived's announcement reached the router").isNotNegative();
        assertThat(lab.client().ping(vipText(family), Duration.ofSeconds(2))).isTrue();
    }

    @ParameterizedTest(name = "{3} VRRPv{0} at {1} s")
    @CsvSource({"2, 1, 1000, IPV4", "3, 0.1, 100, IPV4", "3, 0.1, 100, IPV6"})
    void keepalivedMasterTandemBackupThenTandemTakesOver(int version, String interval, long intervalMs,
            AddressFamily family, Lab lab) throws Exception {
        VrrpVersion v = version == 2 ? VrrpVersion.V2 : VrrpVersion.V3;
        keepalived = startKeepalived(lab.directorB(), version, interval, 200, family);
        Duration settle = Duration.ofMillis(intervalMs * 8 + 3000);
        assertThat(await(settle, quietly(() -> holdsVip(lab.directorB(), family)))).as("keepalived master")
                .isNotNegative();
        tandem = engine(lab.directorA(), config(lab.directorA(), family, v, Duration.ofMillis(intervalMs), 100, true));
        assertThat(await(settle, quietly(() -> state(tandem) == VrrpState.BACKUP))).isNotNegative();
        Thread.sleep(intervalMs * 5); // Tandem must stay backup: keepalived's adverts pass its checks
        assertThat(state(tandem)).isEqualTo(VrrpState.BACKUP);
        assertThat(holdsVip(lab.directorA(), family)).isFalse();
        assertThat(lab.client().ping(vipText(family), Duration.ofSeconds(2))).isTrue();

        keepalived.stop(); // SIGTERM: keepalived sends priority 0, removes its VIP and exits
        keepalived = null;
        long exited = System.nanoTime();
        assertThat(await(settle, quietly(() -> state(tandem) == VrrpState.MASTER))).isNotNegative();
        long ms = (System.nanoTime() - exited) / 1_000_000;
        // after keepalived is gone, Master_Down_Interval (3 x interval + skew) bounds the takeover
        assertThat(ms).as("takeover after keepalived exited, ms").isLessThan(4 * intervalMs + 500);
        assertThat(holdsVip(lab.directorA(), family)).isTrue();
        assertThat(await(Duration.ofSeconds(2), quietly(() -> routerEntryForVip(lab, family)
                .equals(lab.directorA().mac())))).as("Tandem's announcement reached the router").isNotNegative();
        assertThat(lab.client().ping(vipText(family), Duration.ofSeconds(2))).isTrue();
    }
}
