package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.io.FlowKey;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime API's changes on the worker's service and connection tables. */
class ServiceEditorTest {
    private static final Inet4Address VIP = ip("10.77.0.100");
    private static final Inet4Address RS1 = ip("10.77.0.11");
    private static final Inet4Address RS2 = ip("10.77.0.12");
    private static final Inet4Address RS3 = ip("10.77.0.13");
    private static final Inet4Address LIP1 = ip("10.77.0.200");
    private static final Inet4Address LIP2 = ip("10.77.0.201");
    private static final int CIP = 0x0A4D010A;

    private final ServiceTable services = new ServiceTable();
    private final ConnectionTable table = new ConnectionTable(4096, Timeouts.ipvsDefaults(),
            new ServiceCounters(services));
    private final ConnectionScheduler scheduler = new ConnectionScheduler(table);
    private final ServiceEditor editor = new ServiceEditor(services);
    private int nextClientPort = 40000;

    @AfterEach
    void close() {
        table.close();
    }

    private static Inet4Address ip(String text) {
        return (Inet4Address) InetAddress.ofLiteral(text);
    }

    private static RealServerSpec rs(Inet4Address address, int weight, ForwardMethod method) {
        return new RealServerSpec(address, 8080, weight, method);
    }

    private static ServiceSpec spec(String scheduler, RealServerSpec... reals) {
        return ServiceSpec.of(6, VIP, 80, scheduler, List.of(reals));
    }

    private static ServiceSpec fullNat(List<Inet4Address> locals, RealServerSpec... reals) {
        return new ServiceSpec(6, VIP, 80, "rr", List.of(), 0, -1, locals, List.of(reals));
    }

    private VirtualService service() {
        return services.lookup(6, Ipv4.toInt(VIP), 80);
    }

    /** A new flow through the service's scheduler; returns its connection id. */
    private int connect() {
        int id = scheduler.schedule(service(), CIP, nextClientPort++, 0);
        assertThat(id).isNotEqualTo(ConnectionTable.NONE);
        return id;
    }

    @Test
    void addEditAndRemoveAService() {
        ServiceSpec one = spec("rr", rs(RS1, 1, ForwardMethod.NAT));
        editor.apply(null, one);
        assertThat(service()).isNotNull();
        assertThat(service().scheduler().name()).isEqualTo("rr");
        assertThatThrownBy(() -> editor.apply(null, one)).hasMessageStartingWith("duplicate virtual service: TCP");

        ServiceSpec two = spec("wlc", rs(RS1, 1, ForwardMethod.NAT), rs(RS2, 3, ForwardMethod.DR));
        editor.apply(one, two);
        VirtualService s = service();
        assertThat(s.scheduler().name()).isEqualTo("wlc");
        int slot = s.findRealServer(Ipv4.toInt(RS2), 8080);
        assertThat(s.destinations().weight(slot)).isEqualTo(3);
        assertThat(s.destMethod(slot)).isEqualTo(ForwardMethod.DR);

        editor.apply(two, null);
        assertThat(service()).isNull();
        assertThat(services.all()).isEmpty();
        assertThat(services.trashed()).as("no connections: nothing kept").isZero();
    }

    @Test
    void aWeightIsSetOnlyWhenTheSpecChangesIt() {
        ServiceSpec before = spec("rr", rs(RS1, 2, ForwardMethod.NAT), rs(RS2, 2, ForwardMethod.NAT));
        editor.apply(null, before);
        VirtualService s = service();
        s.destinations().setWeight(0, 0); // the health checks drained RS1
        ServiceSpec after = spec("rr", rs(RS1, 2, ForwardMethod.NAT), rs(RS2, 5, ForwardMethod.NAT));
        editor.apply(before, after);
        assertThat(s.destinations().weight(0)).as("the health checks' weight kept").isZero();
        assertThat(s.destinations().weight(1)).isEqualTo(5);
    }

    @Test
    void aRemovedRealServerKeepsItsConnectionsAndGetsThemBackWhenAddedAgain() {
        ServiceSpec two = spec("rr", rs(RS1, 1, ForwardMethod.NAT), rs(RS2, 1, ForwardMethod.NAT));
        editor.apply(null, two);
        int first = connect();
        assertThat(table.destAddr(first)).isEqualTo(Ipv4.toInt(RS1));
        VirtualService s = service();

        ServiceSpec one = two.withoutRealServer(RS1, 8080);
        editor.apply(two, one);
        assertThat(s.destinations().isRemoved(0)).isTrue();
        assertThat(s.destinations().connections(0)).as("its connection stays").isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            assertThat(table.destAddr(connect())).as("new flows go to RS2 only").isEqualTo(Ipv4.toInt(RS2));
        }
        // a third server does not take the removed one's slot while a connection counts against it
        ServiceSpec withThird = one.withRealServer(rs(RS3, 1, ForwardMethod.NAT));
        editor.apply(one, withThird);
        assertThat(s.findRealServer(Ipv4.toInt(RS3), 8080)).isEqualTo(2);

        editor.apply(withThird, withThird.withRealServer(rs(RS1, 1, ForwardMethod.NAT)));
        assertThat(s.findRealServer(Ipv4.toInt(RS1), 8080)).as("IPVS's trash: the old slot").isZero();
        assertThat(table.destination(first)).isZero();
        assertThat(s.destinations().isRemoved(0)).isFalse();
    }

    @Test
    void aRemovedServiceWithConnectionsIsTrashedAndRevivedWithThem() {
        ServiceSpec one = spec("rr", rs(RS1, 1, ForwardMethod.NAT));
        editor.apply(null, one);
        VirtualService s = service();
        int id = connect();
        editor.apply(one, null);
        assertThat(service()).isNull();
        assertThat(services.all()).isEmpty();
        assertThat(services.trashed()).isEqualTo(1);
        assertThat(services.get(s.id())).as("its connections still find it").isSameAs(s);
        assertThat(s.destinations().isRemoved(0)).isTrue();

        ServiceSpec again = spec("wrr", rs(RS1, 4, ForwardMethod.NAT), rs(RS2, 1, ForwardMethod.NAT));
        editor.apply(null, again);
        assertThat(service()).as("revived, same id").isSameAs(s);
        assertThat(s.scheduler().name()).isEqualTo("wrr");
        assertThat(table.service(id)).isEqualTo(s.id());
        assertThat(s.destinations().isRemoved(table.destination(id))).isFalse();
        assertThat(s.destinations().weight(0)).isEqualTo(4);
        assertThat(services.trashed()).isZero();

        editor.apply(again, null);
        table.remove(id);
        editor.apply(null, one.withRealServers(List.of(rs(RS2, 1, ForwardMethod.NAT))));
        assertThat(services.trashed()).as("purged once its last connection went").isZero();
        assertThat(service().id()).isEqualTo(s.id()); // the freed id is the next one
        assertThat(service()).isNotSameAs(s);
    }

    @Test
    void leavingNatWhileConnectionsExistIsRefusedAndChangesNothing() {
        ServiceSpec nat = spec("rr", rs(RS1, 1, ForwardMethod.NAT));
        editor.apply(null, nat);
        int id = connect();
        ServiceSpec dr = spec("wlc", rs(RS1, 1, ForwardMethod.DR), rs(RS2, 1, ForwardMethod.DR));
        assertThatThrownBy(() -> editor.apply(nat, dr))
                .hasMessage("cannot change the forwarding method of real server 10.77.0.11:8080 of TCP 10.77.0.100:80 rr"
                        + " from NAT to DR while it has 1 connection(s) (expected: drain it first; their replies come"
                        + " back through the director)");
        VirtualService s = service();
        assertThat(s.scheduler().name()).as("nothing changed").isEqualTo("rr");
        assertThat(s.findRealServer(Ipv4.toInt(RS2), 8080)).isEqualTo(-1);
        assertThat(s.destMethod(0)).isEqualTo(ForwardMethod.NAT);

        table.remove(id);
        editor.apply(nat, dr);
        assertThat(s.destMethod(0)).isEqualTo(ForwardMethod.DR);
        int next = connect();
        assertThat(table.method(next)).isEqualTo(ForwardMethod.DR);
        // DR replies bypass the director: going to NAT with DR connections is safe; they keep DR
        ServiceSpec backToNat = spec("wlc", rs(RS1, 1, ForwardMethod.NAT), rs(RS2, 1, ForwardMethod.DR));
        editor.apply(dr, backToNat);
        assertThat(table.method(next)).isEqualTo(ForwardMethod.DR);
        assertThat(s.destMethod(0)).isEqualTo(ForwardMethod.NAT);
    }

    @Test
    void fullNatLocalAddressesMayGrowButNotLoseOneInUse() {
        ServiceSpec one = fullNat(List.of(LIP1), rs(RS1, 1, ForwardMethod.FULLNAT));
        editor.apply(null, one);
        connect();
        ServiceSpec two = fullNat(List.of(LIP1, LIP2), rs(RS1, 1, ForwardMethod.FULLNAT));
        editor.apply(one, two);
        assertThat(service().localAddresses().size()).isEqualTo(2);
        ServiceSpec other = fullNat(List.of(LIP2), rs(RS1, 1, ForwardMethod.FULLNAT));
        assertThatThrownBy(() -> editor.apply(two, other))
                .hasMessageStartingWith("cannot remove local address(es) [10.77.0.200] of TCP 10.77.0.100:80 rr"
                        + " while it has 1 FULLNAT connection(s)");
        assertThat(service().localAddresses().size()).isEqualTo(2);
    }

    @Test
    void aServiceCannotTurnIntoAnother() {
        ServiceSpec one = spec("rr", rs(RS1, 1, ForwardMethod.NAT));
        editor.apply(null, one);
        ServiceSpec other = ServiceSpec.of(6, VIP, 81, "rr", List.of(rs(RS1, 1, ForwardMethod.NAT)));
        assertThatThrownBy(() -> editor.apply(one, other)).hasMessage("cannot turn service TCP 10.77.0.100:80 into"
                + " TCP 10.77.0.100:81 (expected: the same protocol, address and port)");
        assertThatThrownBy(() -> editor.apply(other, null))
                .hasMessage("no virtual service TCP 10.77.0.100:81 in the worker's table");
        assertThatThrownBy(() -> editor.apply(null, ServiceSpec.of(6, VIP, 82, "nope", List.of())))
                .hasMessageStartingWith("unknown scheduler: nope");
        assertThatThrownBy(() -> spec("rr", rs(RS1, 1, ForwardMethod.NAT), rs(RS1, 2, ForwardMethod.DR)))
                .hasMessage("duplicate real server 10.77.0.11:8080 in service 10.77.0.100:80 (expected: each address"
                        + " and port once)");
    }

    @Test
    void aWorkersEditorGivesFullNatServicesItsSliceOfLocalPorts() {
        // worker 1 of 2: only the local ports whose key it owns, at add and after the local addresses change
        ServiceEditor second = new ServiceEditor(services, 1, 2);
        second.apply(null, fullNat(List.of(LIP1), rs(RS1, 1, ForwardMethod.FULLNAT)));
        for (int i = 0; i < 8; i++) {
            int port = (int) service().localAddresses().allocate(table, 6, Ipv4.toInt(RS1), 8080, 0);
            assertThat(FlowKey.owner(FlowKey.mix(port), 2)).isEqualTo(1);
        }
        second.apply(fullNat(List.of(LIP1), rs(RS1, 1, ForwardMethod.FULLNAT)),
                fullNat(List.of(LIP1, LIP2), rs(RS1, 1, ForwardMethod.FULLNAT)));
        assertThat(service().localAddresses().size()).isEqualTo(2);
        for (int i = 0; i < 8; i++) {
            int port = (int) service().localAddresses().allocate(table, 6, Ipv4.toInt(RS1), 8080, 0);
            assertThat(FlowKey.owner(FlowKey.mix(port), 2)).isEqualTo(1);
        }
    }
}
