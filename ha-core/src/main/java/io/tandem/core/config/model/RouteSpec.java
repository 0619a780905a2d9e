package io.tandem.core.config.model;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A line of {@code virtual_routes} or {@code static_routes} in {@code ip route} syntax:
 * {@code [TYPE] DEST[/PREFIX] [src IP] [via|gw IP] [or IP] [dev IF] [scope S] [table N] [metric N] [no_track]}.
 */
public record RouteSpec(RouteType type, InetAddress destination, int prefixLength, Optional<InetAddress> source,
                        Optional<InetAddress> via, Optional<InetAddress> orVia, Optional<String> device,
                        Optional<AddressScope> scope, OptionalInt table, OptionalInt metric, boolean noTrack) {
    public RouteSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(destination, "destination");
    }

    /** The route types that may lead the line. */
    public enum RouteType { UNICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW }
}
