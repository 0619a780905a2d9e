package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@code virtual_server}: keepalived's defaults are scheduler wlc (IPVS's default), NAT, TCP,
 * quorum 1, hysteresis 0, delay_loop 60 s. {@code persistenceTimeout} is present when
 * persistence is on (360 s when written without a value). {@code localAddressGroup} is Tandem's
 * FULLNAT source-address pool ({@code laddr_group_name} or {@code local_address_group}).
 */
public record VirtualServer(Location location, VirtualServiceAddress address, Protocol protocol, Scheduler scheduler,
                            ForwardingMethod method, Optional<Duration> persistenceTimeout,
                            Optional<InetAddress> persistenceGranularity, long quorum, long hysteresis,
                            Optional<ScriptCommand> quorumUp, Optional<ScriptCommand> quorumDown, boolean alpha,
                            boolean omega, boolean haSuspend, boolean inhibitOnFailure,
                            Optional<SorryServer> sorryServer, Optional<String> virtualhost,
                            Optional<String> localAddressGroup, Optional<String> ipFamily, Duration delayLoop,
                            boolean smtpAlert, List<RealServer> realServers) {
    public VirtualServer {
        realServers = List.copyOf(realServers);
    }
}
