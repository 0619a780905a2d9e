package io.tandem.forwarder.engine;

import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.steer.SteeringRules;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the steering table must keep from the kernel for a set of services:
 * client traffic to each VIP:port, NAT real servers' replies and ICMP errors,
 * and replies to FULLNAT local addresses. NAT replies and errors addressed to
 * the director itself (its health checks to the same RIP:port) stay the kernel's.
 */
final class SteeringPlan {
    private SteeringPlan() {
    }

    static List<SteeringRules.Match> matches(List<ServiceSpec> services, List<String> ownAddresses) {
        Set<SteeringRules.Match> matches = new LinkedHashSet<>();
        for (ServiceSpec s : services) {
            matches.add(SteeringRules.Match.toService(s.protocol(), s.address().getHostAddress(), s.port()));
            for (RealServerSpec r : s.realServers()) {
                if (r.method() == ForwardMethod.NAT) {
                    matches.add(SteeringRules.Match.fromRealServer(s.protocol(), r.address().getHostAddress(),
                            r.port(), ownAddresses));
                    matches.add(SteeringRules.Match.icmpErrorsFromRealServer(r.address().getHostAddress(),
                            ownAddresses));
                }
            }
            if (s.realServers().stream().anyMatch(r -> r.method() == ForwardMethod.FULLNAT)) {
                for (Inet4Address lip : s.localAddresses()) {
                    matches.add(SteeringRules.Match.toLocalAddress(lip.getHostAddress()));
                }
            }
        }
        return new ArrayList<>(matches);
    }
}
