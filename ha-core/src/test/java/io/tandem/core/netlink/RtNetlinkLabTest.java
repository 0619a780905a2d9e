package io.tandem.core.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.Netns;
import io.tandem.core.linux.Errno;
import io.tandem.core.linux.LinuxException;
import io.tandem.core.netlink.NetlinkEvent.AddressAdded;
import io.tandem.core.netlink.NetlinkEvent.AddressRemoved;
import io.tandem.core.netlink.NetlinkEvent.LinkDown;
import io.tandem.core.netlink.NetlinkEvent.LinkUp;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rtnetlink against the real kernel: two namespaces joined by a veth pair
 * (a0 in A, b0 in B, 10.231.0.1/24 and 10.231.0.2/24), every change made and
 * read through {@link RtNetlink}, cross-checked with iproute2.
 */
@LabTest
class RtNetlinkLabTest {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

    private static Netns a;
    private static Netns b;
    private static RtNetlink rtA;
    private static RtNetlink rtB;
    private static int a0;
    private static int b0;

    @BeforeAll
    static void buildLab() throws Exception {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String prefix = "t" + HexFormat.of().formatHex(random).substring(0, 5) + "nl";
        try {
            a = Netns.create(prefix + "a");
            b = Netns.create(prefix + "b");
            a.exec("ip", "link", "add", "a0", "type", "veth", "peer", "name", "b0", "netns", b.name()).orThrow();
            b.exec("ip", "addr", "add", "10.231.0.2/24", "dev", "b0").orThrow();
            b.exec("ip", "link", "set", "b0", "up").orThrow();
            rtA = a.call(RtNetlink::open);
            rtB = b.call(RtNetlink::open);
            a0 = rtA.link("a0").orElseThrow().index();
            b0 = rtB.link("b0").orElseThrow().index();
            rtA.setLinkUp(a0);
            rtA.addAddress(IfAddress.of(a0, ip("10.231.0.1"), 24));
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (rtA != null) {
            rtA.close();
        }
        if (rtB != null) {
            rtB.close();
        }
        try {
            if (a != null) {
                a.close();
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void linksAreListedWithTheirMacMtuAndState() throws Exception {
        Link link = rtA.link("a0").orElseThrow();
        String ipLink = a.exec("ip", "-o", "link", "show", "dev", "a0").orThrow().stdout();

        assertThat(rtA.listLinks()).extracting(Link::name).contains("lo", "a0");
        assertThat(link.index()).isEqualTo(a0);
        assertThat(ipLink).startsWith(a0 + ": a0@").contains("link/ether " + link.address(), "mtu " + link.mtu());
        assertThat(link.address().isEthernet()).isTrue();
        assertThat(link.adminUp()).isTrue();
        assertThat(rtA.link(a0)).contains(link);
        assertThat(rtA.link("nosuch0")).isEmpty();
    }

    @Test
    void addedAddressIsReadBackAndSeenByIpThenRemoved() throws Exception {
        IfAddress vip = IfAddress.of(a0, ip("10.231.0.100"), 24).withLabel("a0:vip");

        rtA.addAddress(vip);
        assertThat(rtA.listAddresses(a0)).anySatisfy(found -> {
            assertThat(found.sameAssignment(vip)).isTrue();
            assertThat(found.label()).isEqualTo("a0:vip");
            assertThat(found.scope()).isEqualTo(AddressScope.UNIVERSE);
        });
        assertThat(a.exec("ip", "-o", "addr", "show", "dev", "a0").orThrow().stdout())
                .contains("inet 10.231.0.100/24 scope global secondary a0:vip");

        rtA.removeAddress(vip);
        assertThat(rtA.listAddresses(a0)).noneMatch(found -> found.sameAssignment(vip));
        assertThat(a.exec("ip", "-o", "addr", "show", "dev", "a0").orThrow().stdout()).doesNotContain("10.231.0.100");
        assertThatThrownBy(() -> rtA.removeAddress(vip))
                .isInstanceOf(NetlinkException.class)
                .hasMessageStartingWith("RTM_DELADDR(10.231.0.100/24 dev a0): EADDRNOTAVAIL");
    }

    @Test
    void addingAnAddressTwiceFailsWithEexistNamingTheAddressAndDevice() throws Exception {
        IfAddress vip = IfAddress.of(a0, ip("10.231.0.101"), 24);
        rtA.addAddress(vip);
        try {
            assertThatThrownBy(() -> rtA.addAddress(vip))
                    .isInstanceOfSatisfying(LinuxException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                        assertThat(e.call()).isEqualTo("RTM_NEWADDR(10.231.0.101/24 dev a0)");
                    })
                    .hasMessageStartingWith("RTM_NEWADDR(10.231.0.101/24 dev a0): EEXIST");
        } finally {
            rtA.removeAddress(vip);
        }
    }

    @Test
    void ipv6AddressWithoutDadIsUsableAtOnce() throws Exception {
        IfAddress v6 = IfAddress.of(a0, ip("fd00:231::1"), 64).withNoDad();

        rtA.addAddress(v6);
        try {
            assertThat(rtA.listAddresses(a0)).anySatisfy(found -> {
                assertThat(found.sameAssignment(v6)).isTrue();
                assertThat(found.flags() & IfAddrMsg.IFA_F_NODAD).isNotZero();
                assertThat(found.flags() & IfAddrMsg.IFA_F_TENTATIVE).isZero();
            });
            assertThat(a.exec("ip", "-o", "-6", "addr", "show", "dev", "a0").orThrow().stdout())
                    .contains("inet6 fd00:231::1/64 scope global nodad");
        } finally {
            rtA.removeAddress(v6);
        }
        assertThat(rtA.listAddresses(a0)).noneMatch(found -> found.sameAssignment(v6));
    }

    @Test
    void peerGoingDownAndUpIsReportedAsCarrierLossAndReturn() throws Exception {
        BlockingQueue<NetlinkEvent> events = new LinkedBlockingQueue<>();
        RtNetlinkEvents watcher = a.call(RtNetlinkEvents::open);
        try {
            watcher.start(events::add);

            rtB.setLinkDown(b0);
            LinkDown down = (LinkDown) awaitEvent(events, e -> e instanceof LinkDown d && d.link().index() == a0);
            assertThat(down.link().carrier()).isFalse();
            assertThat(down.link().adminUp()).isTrue();
            assertThat(down.link().running()).isFalse();

            rtB.setLinkUp(b0);
            LinkUp up = (LinkUp) awaitEvent(events, e -> e instanceof LinkUp u && u.link().index() == a0);
            assertThat(up.link().carrier()).isTrue();
            assertThat(up.link().operState()).isEqualTo(OperState.UP);

            IfAddress vip = IfAddress.of(a0, ip("10.231.0.102"), 32);
            rtA.addAddress(vip);
            rtA.removeAddress(vip);
            awaitEvent(events, e -> e instanceof AddressAdded added && added.address().sameAssignment(vip));
            awaitEvent(events, e -> e instanceof AddressRemoved removed && removed.address().sameAssignment(vip));
        } finally {
            watcher.close();
            rtB.setLinkUp(b0);
        }
        assertThat(watcher.poll(Duration.ofMillis(1), events::add)).isZero();
        assertThat(watcher.malformed()).isZero();
    }

    @Test
    void pollingDeliversEventsWithoutAThread() throws Exception {
        BlockingQueue<NetlinkEvent> events = new LinkedBlockingQueue<>();
        try (RtNetlinkEvents watcher = a.call(RtNetlinkEvents::open)) {
            IfAddress vip = IfAddress.of(a0, ip("10.231.0.103"), 32);
            rtA.addAddress(vip);
            rtA.removeAddress(vip);
            long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
            while (events.stream().noneMatch(e -> e instanceof AddressRemoved) && System.nanoTime() < deadline) {
                watcher.poll(Duration.ofMillis(200), events::add);
            }
            assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new AddressAdded(
                    new IfAddress(a0, ip("10.231.0.103"), 32, "a0", AddressScope.UNIVERSE, IfAddrMsg.IFA_F_PERMANENT))));
            assertThat(events).anyMatch(e -> e instanceof AddressRemoved);
        }
    }

    @Test
    void neighbourResolutionReturnsThePeersRealMac() throws Exception {
        HardwareAddress peerMac = rtB.link("b0").orElseThrow().address();
        assertThat(b.exec("ip", "-o", "link", "show", "dev", "b0").orThrow().stdout())
                .contains("link/ether " + peerMac);

        HardwareAddress resolved = rtA.resolveNeighbour(a0, (Inet4Address) ip("10.231.0.2"), Duration.ofSeconds(5));

        assertThat(resolved).isEqualTo(peerMac);
        assertThat(rtA.listNeighbours(a0)).anySatisfy(n -> {
            assertThat(n.address()).isEqualTo(ip("10.231.0.2"));
            assertThat(n.hardwareAddress()).isEqualTo(peerMac);
            assertThat(n.resolved()).isTrue();
        });
        assertThat(a.exec("ip", "neigh", "show", "dev", "a0").orThrow().stdout())
                .contains("10.231.0.2 lladdr " + peerMac);
    }

    @Test
    void unansweredNeighbourResolutionFails() throws Exception {
        assertThatThrownBy(() -> rtA.resolveNeighbour(a0, (Inet4Address) ip("10.231.0.99"), Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(LinuxException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.EHOSTUNREACH))
                .hasMessage("resolveNeighbour(10.231.0.99 dev a0): FAILED: EHOSTUNREACH");
    }

    @Test
    void defaultRouteIsAddedAndRemoved() throws Exception {
        InetAddress gateway = ip("10.231.0.2");
        rtA.addDefaultRoute(gateway, a0);
        try {
            assertThat(a.exec("ip", "route", "show", "default").orThrow().stdout())
                    .contains("default via 10.231.0.2 dev a0");
            assertThatThrownBy(() -> rtA.addDefaultRoute(gateway, a0))
                    .hasMessageStartingWith("RTM_NEWROUTE(default via 10.231.0.2 dev a0): EEXIST");
        } finally {
            rtA.removeDefaultRoute(gateway, a0);
        }
        assertThat(a.exec("ip", "route", "show", "default").orThrow().stdout()).isBlank();
    }

    @Test
    void routesOfEachKindAreAddedAndRemoved() throws Exception {
        Route via = Route.unicast(ip("10.232.0.0"), 16, ip("10.231.0.2"), 0);
        Route onLink = new Route(RtMsg.RTN_UNICAST, ip("10.233.0.0"), 24, null, a0, ip("10.231.0.1"), 100, 7, null);
        Route blackhole = new Route(RtMsg.RTN_BLACKHOLE, ip("192.0.2.0"), 24, null, 0, null, RtMsg.RT_TABLE_MAIN,
                -1, null);
        Route v6 = Route.unicast(ip("fd00:232::"), 48, null, a0);
        for (Route r : List.of(via, onLink, blackhole, v6)) {
            rtA.addRoute(r);
        }
        try {
            assertThat(a.exec("ip", "route", "show").orThrow().stdout())
                    .contains("10.232.0.0/16 via 10.231.0.2 dev a0")
                    .contains("blackhole 192.0.2.0/24");
            assertThat(a.exec("ip", "route", "show", "table", "100").orThrow().stdout())
                    .contains("10.233.0.0/24 dev a0 proto static scope link src 10.231.0.1 metric 7");
            assertThat(a.exec("ip", "-6", "route", "show").orThrow().stdout()).contains("fd00:232::/48 dev a0");
            assertThatThrownBy(() -> rtA.addRoute(via))
                    .hasMessageStartingWith("RTM_NEWROUTE(10.232.0.0/16 via 10.231.0.2): EEXIST");
        } finally {
            for (Route r : List.of(via, onLink, blackhole, v6)) {
                rtA.removeRoute(r);
            }
        }
        assertThat(a.exec("ip", "route", "show").orThrow().stdout()).doesNotContain("10.232.0.0", "192.0.2.0");
        assertThat(a.exec("ip", "route", "show", "table", "100").orThrow().stdout()).isBlank();
        assertThat(a.exec("ip", "-6", "route", "show").orThrow().stdout()).doesNotContain("fd00:232::");
        assertThatThrownBy(() -> rtA.removeRoute(via))
                .hasMessageStartingWith("RTM_DELROUTE(10.232.0.0/16 via 10.231.0.2): ESRCH");
    }

    @Test
    void sysctlsAreReadAndWrittenInsideTheNamespace() throws Exception {
        Sysctl sysctl = Sysctl.proc();
        int rootForwarding = sysctl.readInt("net.ipv4.ip_forward");
        int wanted = 1 - rootForwarding;

        a.call(() -> {
            sysctl.write("net.ipv4.conf.a0.arp_ignore", 1);
            sysctl.write("net.ipv4.ip_forward", wanted);
            return null;
        });

        assertThat(a.call(() -> sysctl.readInt("net.ipv4.conf.a0.arp_ignore"))).isEqualTo(1);
        assertThat(a.call(() -> sysctl.readInt("net.ipv4.ip_forward"))).isEqualTo(wanted);
        assertThat(a.exec("cat", "/proc/sys/net/ipv4/conf/a0/arp_ignore").orThrow().stdout().strip()).isEqualTo("1");
        assertThat(a.exec("sysctl", "-n", "net.ipv4.ip_forward").orThrow().stdout().strip())
                .isEqualTo(Integer.toString(wanted));
        assertThat(sysctl.readInt("net.ipv4.ip_forward")).isEqualTo(rootForwarding);
        assertThatThrownBy(() -> a.call(() -> sysctl.read("net.ipv4.conf.nosuch0.arp_ignore")))
                .isInstanceOf(IOException.class)
                .hasMessage("sysctl net.ipv4.conf.nosuch0.arp_ignore: no such parameter "
                        + "(/proc/sys/net/ipv4/conf/nosuch0/arp_ignore does not exist)");
        assertThatThrownBy(() -> a.call(() -> {
            sysctl.write("net.ipv4.conf.a0.arp_ignore", "banana");
            return null;
        })).isInstanceOf(IOException.class).hasMessageStartingWith("sysctl net.ipv4.conf.a0.arp_ignore: kernel refused 'banana'");
    }

    private static NetlinkEvent awaitEvent(BlockingQueue<NetlinkEvent> events, Predicate<NetlinkEvent> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (true) {
            NetlinkEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching event within " + EVENT_WAIT);
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    private static InetAddress ip(String text) throws IOException {
        return InetAddress.getByName(text);
    }
}
