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
 * {@code discovery} is Tandem's {@code real_server_discovery}: more real servers, registered in ZooKeeper.
 * {@code toa} is Tandem's (Alibaba's and DPVS's) {@code toa}: FULLNAT inserts the client's address and port
 * into its handshake segments as TCP option 254.
 */
public record VirtualServer(Location location, VirtualServiceAddress address, Protocol protocol, Scheduler scheduler,
                            ForwardingMethod method, Optional<Duration> persistenceTimeout,
                            Optional<InetAddress> persistenceGranularity, long quorum, long hysteresis,
                            Optional<ScriptCommand> quorumUp, Optional<ScriptCommand> quorumDown, boolean alpha,
                            boolean omega, boolean haSuspend, boolean inhibitOnFailure,
                            Optional<SorryServer> sorryServer, Optional<String> virtualhost,
                            Optional<String> localAddressGroup, Optional<String> ipFamily, Duration delayLoop,
                            boolean smtpAlert, List<RealServer> realServers,
                            Optional<RealServerDiscovery> discovery, boolean toa) {
    public VirtualServer {
        realServers = List.copyOf(realServers);
    }

    /** Without {@code real_server_discovery}. */
    public VirtualServer(Location location, VirtualServiceAddress address, Protocol protocol, Scheduler scheduler,
                         ForwardingMethod method, Optional<Duration> persistenceTimeout,
                         Optional<InetAddress> persistenceGranularity, long quorum, long hysteresis,
                         Optional<ScriptCommand> quorumUp, Optional<ScriptCommand> quorumDown, boolean alpha,
                         boolean omega, boolean haSuspend, boolean inhibitOnFailure,
                         Optional<SorryServer> sorryServer, Optional<String> virtualhost,
                         Optional<String> localAddressGroup, Optional<String> ipFamily, Duration delayLoop,
                         boolean smtpAlert, List<RealServer> realServers) {
        this(location, address, protocol, scheduler, method, persistenceTimeout, persistenceGranularity, quorum,
                hysteresis, quorumUp, quorumDown, alpha, omega, haSuspend, inhibitOnFailure, sorryServer, virtualhost,
                localAddressGroup, ipFamily, delayLoop, smtpAlert, realServers, Optional.empty(), false);
    }

    /** The same virtual server with {@code list} as its real servers (the discovered ones added). */
    public VirtualServer withRealServers(List<RealServer> list) {
        return new VirtualServer(location, address, protocol, scheduler, method, persistenceTimeout,
                persistenceGranularity, quorum, hysteresis, quorumUp, quorumDown, alpha, omega, haSuspend,
                inhibitOnFailure, sorryServer, virtualhost, localAddressGroup, ipFamily, delayLoop, smtpAlert, list,
                discovery, toa);
    }
}
