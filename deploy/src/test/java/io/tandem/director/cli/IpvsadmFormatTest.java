package io.tandem.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.api.Stats;
import io.tandem.forwarder.conn.ForwardMethod;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected texts are written from ipvsadm's own format strings (print_title,
 * print_service_entry, print_largenum, print_conn): every space counts.
 */
class IpvsadmFormatTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static RealServerSnapshot rs(String addr, int port, ForwardMethod m, int weight, int active, int inactive,
            Stats stats) throws Exception {
        return new RealServerSnapshot(ip(addr), port, m, weight, active, inactive, 0, stats);
    }

    private List<ServiceSnapshot> services() throws Exception {
        Stats s1 = new Stats(1234, 250_000_000L, 99_999_999L, 2_000_000_000L, 123_456_789_012_345L, 12, 34, 56, 78, 90);
        ServiceSnapshot web = new ServiceSnapshot(6, ip("10.0.0.100"), 80, 0, "wrr", 50, ip("255.255.255.0"), false,
                s1, List.of(
                        rs("10.0.0.12", 80, ForwardMethod.DR, 2, 3, 4, Stats.ZERO),
                        rs("10.0.0.11", 80, ForwardMethod.DR, 1, 10, 20, s1)));
        ServiceSnapshot dns = new ServiceSnapshot(17, ip("10.0.0.100"), 53, 0, "rr", 0, null, false,
                Stats.ZERO, List.of(rs("10.0.0.13", 5353, ForwardMethod.NAT, 1, 0, 7, Stats.ZERO)));
        ServiceSnapshot fnat = new ServiceSnapshot(6, ip("10.0.0.99"), 443, 0, "mh", 0, null, false,
                Stats.ZERO, List.of(rs("10.0.0.14", 443, ForwardMethod.FULLNAT, 100, 1, 0, Stats.ZERO),
                        rs("10.0.0.15", 443, ForwardMethod.TUN, 0, 0, 0, Stats.ZERO)));
        return List.of(dns, web, fnat);
    }

    @Test
    void listMatchesIpvsadmLn() throws Exception {
        String expected = ""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.99:443 mh\n"
                + "  -> 10.0.0.14:443                FullNat 100    1          0         \n"
                + "  -> 10.0.0.15:443                Tunnel  0      0          0         \n"
                + "TCP  10.0.0.100:80 wrr persistent 50 mask 255.255.255.0\n"
                + "  -> 10.0.0.11:80                 Route   1      10         20        \n"
                + "  -> 10.0.0.12:80                 Route   2      3          4         \n"
                + "UDP  10.0.0.100:53 rr\n"
                + "  -> 10.0.0.13:5353               Masq    1      0          7         \n";
        assertThat(IpvsadmFormat.list(services(), 4096, IpvsadmFormat.Mode.DEFAULT, false)).isEqualTo(expected);
    }

    @Test
    void statsAbbreviateLargeNumbersLikePrintLargenum() throws Exception {
        String out = IpvsadmFormat.list(services(), 4096, IpvsadmFormat.Mode.STATS, false);
        assertThat(out).contains(""
                + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n");
        assertThat(out).contains(
                "TCP  10.0.0.100:80                    1234  250000K 99999999    2000M     123T\n");
        assertThat(out).contains(
                "  -> 10.0.0.11:80                     1234  250000K 99999999    2000M     123T\n");
        assertThat(IpvsadmFormat.largeNum(100_000_000L, true)).isEqualTo(" 100000000");
        assertThat(IpvsadmFormat.largeNum(7, true)).isEqualTo("        7");
        assertThat(IpvsadmFormat.largeNum(100_000_000_000_000L, false)).isEqualTo("     100T");
    }

    @Test
    void rateShowsPerSecondFigures() throws Exception {
        String out = IpvsadmFormat.list(services(), 4096, IpvsadmFormat.Mode.RATE, false);
        assertThat(out).contains(""
                + "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n");
        assertThat(out).contains(
                "  -> 10.0.0.11:80                       12       34       56       78       90\n");
    }

    @Test
    void connectionsMatchIpvsadmLnc() throws Exception {
        String out = IpvsadmFormat.connections(List.of(new ConnectionSnapshot(6, 895, "ESTABLISHED",
                ip("10.77.1.10"), 40000, ip("10.77.0.100"), 80, ip("10.77.0.11"), 80)));
        assertThat(out).isEqualTo(""
                + "IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                + "TCP 14:55  ESTABLISHED 10.77.1.10:40000   10.77.0.100:80     10.77.0.11:80\n");
    }

    @Test
    void ipv6AddressesAreBracketed() throws Exception {
        assertThat(IpvsadmFormat.addrPort(ip("2001:db8::1"), 80)).isEqualTo("[2001:db8::1]:80");
        assertThat(IpvsadmFormat.addrPort(ip("2001:db8:0:1:0:0:0:1"), 80)).isEqualTo("[2001:db8:0:1::1]:80");
        assertThat(IpvsadmFormat.addrPort(ip("::"), 80)).isEqualTo("[::]:80");
        assertThat(IpvsadmFormat.addrPort(ip("fe80:0:0:1::"), 80)).isEqualTo("[fe80:0:0:1::]:80");
        assertThat(IpvsadmFormat.addrPort(ip("fe80::1:0:0:0"), 80)).isEqualTo("[fe80::1:0:0:0]:80"); // first of two equal runs
        assertThat(IpvsadmFormat.addrPort(ip("1:0:2:0:3:0:4:0"), 80)).isEqualTo("[1:0:2:0:3:0:4:0]:80");
    }
}
