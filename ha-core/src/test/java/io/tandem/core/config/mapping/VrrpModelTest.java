package io.tandem.core.config.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigFiles;
import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.AddressScope;
import io.tandem.core.config.model.Authentication;
import io.tandem.core.config.model.GlobalDefs;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.model.RouteSpec;
import io.tandem.core.config.model.State;
import io.tandem.core.config.model.TrackedInterface;
import io.tandem.core.config.model.VrrpInstance;
import io.tandem.core.config.model.VrrpScript;
import io.tandem.core.config.model.VrrpSyncGroup;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** vrrp-sync.conf: global_defs, two vrrp_scripts, a sync group and two instances. */
class VrrpModelTest {
    static KeepalivedConfig config;
    static Path file = ConfigFiles.resource("vrrp-sync.conf");

    @BeforeAll
    static void load() {
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.diagnostics()).isEmpty();
        config = result.config().orElseThrow();
    }

    @Test
    void globalDefs() {
        GlobalDefs g = config.globalDefs();
        assertThat(g.routerId()).contains("LVS_DEVEL");
        assertThat(g.scriptUser()).contains("root");
        assertThat(g.enableScriptSecurity()).isTrue();
        assertThat(g.notification().emails()).containsExactly("acassen@firewall.loc", "failover@firewall.loc");
        assertThat(g.notification().smtpServer()).contains("192.168.200.1");
        assertThat(g.notification().smtpPort()).isEqualTo(25);
        assertThat(g.garp().masterDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(g.garp().masterRepeat()).isEqualTo(2);
        assertThat(g.garp().lowerPriorityDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(g.lvsSyncDaemon()).hasValueSatisfying(s -> {
            assertThat(s.interfaceName()).isEqualTo("eth0");
            assertThat(s.instance()).contains("VI_1");
            assertThat(s.syncId()).isEqualTo(OptionalInt.of(51));
            assertThat(s.port()).isEqualTo(8848);
        });
        assertThat(g.lvsTimeouts().tcp()).contains(Duration.ofSeconds(900));
        assertThat(g.lvsTimeouts().tcpFin()).contains(Duration.ofSeconds(120));
        assertThat(g.lvsTimeouts().udp()).contains(Duration.ofSeconds(300));
        assertThat(g.vrrpNotifyFifo()).hasValueSatisfying(f -> assertThat(f.path()).isEqualTo(
                Path.of("/run/keepalived-vrrp.fifo")));
        assertThat(g.vrrpVersion()).isEqualTo(2);
        assertThat(g.vrrpMulticastGroup4()).isEqualTo(InetAddress.ofLiteral("224.0.0.18"));
    }

    @Test
    void scripts() {
        VrrpScript haproxy = config.vrrpScript("chk_haproxy").orElseThrow();
        assertThat(haproxy.script().argv()).containsExactly("/bin/true", "haproxy");
        assertThat(haproxy.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(haproxy.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(haproxy.weight()).isEqualTo(-20);
        assertThat(haproxy.fall()).isEqualTo(3);
        assertThat(haproxy.rise()).isEqualTo(2);
        VrrpScript http = config.vrrpScript("chk_http_port").orElseThrow();
        assertThat(http.script().argv()).containsExactly("/bin/sh", "-c", "exit 0");
        assertThat(http.timeout()).as("timeout defaults to the interval").isEqualTo(Duration.ofSeconds(1));
        assertThat(http.location().line()).isEqualTo(29);
    }

    @Test
    void syncGroup() {
        VrrpSyncGroup g = config.syncGroups().getFirst();
        assertThat(g.name()).isEqualTo("VG1");
        assertThat(g.instances()).containsExactly("VI_1", "VI_2");
        assertThat(g.notifyScripts().master()).hasValueSatisfying(s -> assertThat(s.argv())
                .containsExactly("/bin/true", "master"));
        assertThat(g.notifyScripts().fault()).isPresent();
        assertThat(g.notifyScripts().stop()).isEmpty();
        assertThat(g.trackingWeight()).isTrue();
    }

    @Test
    void masterInstance() {
        VrrpInstance i = config.vrrpInstance("VI_1").orElseThrow();
        assertThat(i.initialState()).isEqualTo(State.BACKUP);
        assertThat(i.interfaceName()).contains("eth0");
        assertThat(i.virtualRouterId()).isEqualTo(51);
        assertThat(i.priority()).isEqualTo(150);
        assertThat(i.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(i.version()).isEqualTo(2);
        assertThat(i.preempt()).isFalse();
        assertThat(i.authentication()).contains(new Authentication(Authentication.AuthType.PASS, "1111"));
        assertThat(i.virtualIpAddresses()).hasSize(3);
        assertThat(i.virtualIpAddresses().get(0)).satisfies(a -> {
            assertThat(a.address()).isEqualTo(InetAddress.ofLiteral("192.168.200.16"));
            assertThat(a.prefixLength()).isEqualTo(24);
            assertThat(a.device()).contains("eth0");
            assertThat(a.label()).contains("eth0:1");
        });
        assertThat(i.virtualIpAddresses().get(1).prefixLength()).isEqualTo(32);
        assertThat(i.virtualIpAddresses().get(2)).satisfies(a -> {
            assertThat(a.broadcast()).contains(InetAddress.ofLiteral("192.168.200.255"));
            assertThat(a.scope()).isEqualTo(AddressScope.LINK);
        });
        assertThat(i.excludedIpAddresses()).singleElement().satisfies(a -> {
            assertThat(a.isIpv6()).isTrue();
            assertThat(a.prefixLength()).isEqualTo(64);
        });
        assertThat(i.virtualRoutes()).hasSize(2);
        assertThat(i.virtualRoutes().get(0).via()).contains(InetAddress.ofLiteral("192.168.200.254"));
        assertThat(i.virtualRoutes().get(1).type()).isEqualTo(RouteSpec.RouteType.BLACKHOLE);
        assertThat(i.virtualRoutes().get(1).noTrack()).isTrue();
        assertThat(i.trackInterfaces()).containsExactly(new TrackedInterface("lo", -10, false));
        assertThat(i.trackScripts()).extracting(t -> t.name(), t -> t.weight()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("chk_haproxy", OptionalInt.empty()),
                org.assertj.core.groups.Tuple.tuple("chk_http_port", OptionalInt.of(5)));
        assertThat(i.notifyScripts().master()).hasValueSatisfying(s -> {
            assertThat(s.argv()).containsExactly("/bin/true", "master", "VI_1");
            assertThat(s.user()).contains("root");
            assertThat(s.group()).isEmpty();
        });
        assertThat(i.garp().masterRefresh()).isEqualTo(Duration.ofSeconds(60));
        assertThat(i.garp().masterDelay()).as("inherited from global_defs").isEqualTo(Duration.ofSeconds(10));
        assertThat(i.smtpAlert()).isTrue();
        assertThat(i.downTimerAdverts()).isEqualTo(3);
    }

    @Test
    void unicastV3Instance() {
        VrrpInstance i = config.vrrpInstance("VI_2").orElseThrow();
        assertThat(i.version()).isEqualTo(3);
        assertThat(i.advertInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(i.preempt()).isTrue();
        assertThat(i.preemptDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(i.accept()).isTrue();
        assertThat(i.unicastSourceIp()).contains(InetAddress.ofLiteral("192.168.200.2"));
        assertThat(i.unicastPeers()).extracting(p -> p.address(), p -> p.minTtl()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(InetAddress.ofLiteral("192.168.200.3"), OptionalInt.empty()),
                org.assertj.core.groups.Tuple.tuple(InetAddress.ofLiteral("192.168.200.4"), OptionalInt.of(250)));
        assertThat(i.authentication()).isEqualTo(Optional.empty());
        assertThat(i.trackScripts()).isEqualTo(List.of());
    }
}
