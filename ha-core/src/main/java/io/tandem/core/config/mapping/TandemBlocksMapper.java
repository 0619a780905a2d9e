package io.tandem.core.config.mapping;

import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.model.Admin;
import io.tandem.core.config.model.LocalAddressGroup;
import io.tandem.core.config.model.SslContextConfig;
import io.tandem.core.config.model.SyncDaemon;
import io.tandem.core.config.model.ZooKeeper;
import io.tandem.core.config.reader.Node;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps Tandem's own top-level blocks, written in keepalived's syntax: {@code local_address_group},
 * {@code sync_daemon}, {@code admin}, {@code zookeeper}; and keepalived's {@code SSL} block.
 */
final class TandemBlocksMapper {
    private final BlockWalker walker;
    private final Values values;
    private final AddressParser addresses;
    private final Trackers lists;

    private final DefinedNames names;

    TandemBlocksMapper(BlockWalker walker, Values values, DefinedNames names) {
        this.names = names;
        this.walker = walker;
        this.values = values;
        this.addresses = new AddressParser(values);
        this.lists = new Trackers(values, null);
    }

    /** {@code local_address_group NAME { IP[-LAST|/N] [IFNAME] ... }} (DPVS's syntax). */
    Optional<LocalAddressGroup> localAddressGroup(Node block) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        String name = values.string(block, 0, "a group name");
        if (name == null) {
            return Optional.empty();
        }
        List<LocalAddressGroup.Range> ranges = new ArrayList<>();
        for (Node line : lists.lines(block)) {
            values.maxArgs(line, 1, "IP[-LAST|/PREFIX] [IFNAME]");
            InetAddress[] r = addresses.range(line, line.keyword());
            if (r != null) {
                ranges.add(new LocalAddressGroup.Range(r[0], r[1], Optional.ofNullable(line.arg(0))));
            }
        }
        if (ranges.isEmpty()) {
            values.error(block, "local_address_group " + name + ": no addresses (expected: one IP or range per line)");
            return Optional.empty();
        }
        return Optional.of(new LocalAddressGroup(name, block.location(), ranges));
    }

    Optional<SyncDaemon> syncDaemon(Node block) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        var s = new Object() {
            Optional<String> iface = Optional.empty();
            Optional<String> inst = Optional.empty();
            int id;
            int port = 8848;
            InetAddress group = SyncDaemon.DEFAULT_GROUP;
            int ttl = 1;
            int maxlen = 1472;
            Optional<InetAddress> src = Optional.empty();
            List<InetAddress> peers = new ArrayList<>();
            Optional<Path> keyFile = Optional.empty();
        };
        walker.walk(block, Context.SYNC_DAEMON, n -> {
            if (!values.shape(n, n.keyword().equals("unicast_peer"))) {
                return;
            }
            switch (n.keyword()) {
                case "interface" -> s.iface = Optional.ofNullable(values.string(n, 0, "an interface name"));
                case "inst" -> GlobalDefsMapper.set(values.string(n, 0, "a vrrp_instance name"), v -> {
                    if (names.check(n, DefinedNames.Kind.VRRP_INSTANCE, v)) {
                        s.inst = Optional.of(v);
                    }
                });
                case "id" -> GlobalDefsMapper.set(values.intValue(n, 0, 0, 255), v -> s.id = v);
                case "port" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 65535), v -> s.port = v);
                case "group" -> GlobalDefsMapper.set(values.ip(n, 0), v -> {
                    if (v.isMulticastAddress()) {
                        s.group = v;
                    } else {
                        values.error(n, "group " + n.arg(0) + ": not a multicast address"
                                + " (expected: 224.0.0.0/4 or ff00::/8)");
                    }
                });
                case "ttl" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 255), v -> s.ttl = v);
                case "maxlen" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 65507), v -> s.maxlen = v);
                case "unicast_src_ip" -> s.src = Optional.ofNullable(values.ip(n, 0));
                case "unicast_peer" -> lists.lines(n).forEach(l -> {
                    values.maxArgs(l, 0, "one IP address per line");
                    GlobalDefsMapper.set(values.ip(l, l.keyword()), s.peers::add);
                });
                case "key_file" -> GlobalDefsMapper.set(values.string(n, 0, "a file path"),
                        v -> s.keyFile = Optional.ofNullable(values.path(n, v)));
                default -> throw VrrpScriptMapper.unmapped(n, "sync_daemon");
            }
        });
        if (s.iface.isEmpty() && s.peers.isEmpty()) {
            values.error(block, "sync_daemon: no interface and no unicast_peer (expected: interface IFNAME"
                    + " for multicast, or unicast_peer { IP })");
        }
        return Optional.of(new SyncDaemon(s.iface, s.inst, s.id, s.port, s.group, s.ttl, s.maxlen, s.src, s.peers,
                s.keyFile));
    }

    Admin admin(Node block) {
        if (!values.shape(block, true)) {
            return Admin.DEFAULT;
        }
        var a = new Object() {
            InetAddress address = Admin.DEFAULT.address();
            int port = Admin.DEFAULT.port();
            Optional<String> token = Optional.empty();
        };
        walker.walk(block, Context.ADMIN, n -> {
            if (!values.shape(n, false)) {
                return;
            }
            switch (n.keyword()) {
                case "address" -> GlobalDefsMapper.set(values.ip(n, 0), v -> a.address = v);
                case "port" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 65535), v -> a.port = v);
                case "token" -> a.token = Optional.ofNullable(values.string(n, 0, "a bearer token"));
                default -> throw VrrpScriptMapper.unmapped(n, "admin");
            }
        });
        return new Admin(a.address, a.port, a.token);
    }

    Optional<ZooKeeper> zooKeeper(Node block) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        var z = new Object() {
            String connect;
            Duration session = Duration.ofSeconds(10);
            boolean fencing = true;
            ZooKeeper.Policy policy = ZooKeeper.Policy.FAIL_OPEN;
            String path = "/tandem";
        };
        walker.walk(block, Context.ZOOKEEPER, n -> {
            if (!values.shape(n, false)) {
                return;
            }
            switch (n.keyword()) {
                case "connect" -> GlobalDefsMapper.set(values.string(n, 0, "host:port[,host:port...]"), v -> {
                    z.connect = connectString(n, v) ? v : ""; // "": reported here, not again as missing
                });
                case "session_timeout" -> GlobalDefsMapper.set(values.timer(n, 0, 1, 3600), v -> z.session = v);
                case "fencing" -> GlobalDefsMapper.set(values.bool(n, 0, true), v -> z.fencing = v);
                case "policy" -> GlobalDefsMapper.set(values.choice(n, 0, "fail-open", "fail-closed"),
                        v -> z.policy = v.equals("fail-open") ? ZooKeeper.Policy.FAIL_OPEN : ZooKeeper.Policy.FAIL_CLOSED);
                case "path" -> GlobalDefsMapper.set(values.string(n, 0, "a znode path"), v -> {
                    if (v.startsWith("/")) {
                        z.path = v;
                    } else {
                        values.error(n, "path " + v + ": not absolute (expected: a znode path starting with /)");
                    }
                });
                default -> throw VrrpScriptMapper.unmapped(n, "zookeeper");
            }
        });
        if (z.connect == null) {
            values.error(block, "zookeeper: connect is missing (expected: connect host:port[,host:port...])");
            return Optional.empty();
        }
        if (z.connect.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ZooKeeper(z.connect, z.session, z.fencing, z.policy, z.path));
    }

    /** {@code host:port[,host:port...]}: ZooKeeper's connect string, without a chroot (the path keyword says it). */
    private boolean connectString(Node n, String v) {
        for (String server : v.split(",", -1)) {
            int colon = server.lastIndexOf(':');
            String host = colon < 0 ? server : server.substring(0, colon);
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                values.error(n, "connect " + v + ": invalid server " + (server.isEmpty() ? "(empty)" : server)
                        + " (expected: host:port[,host:port...], the path keyword for a chroot)");
                return false;
            }
            String port = colon < 0 ? "" : server.substring(colon + 1);
            int p = port.matches("[0-9]{1,5}") ? Integer.parseInt(port) : -1;
            if (p < 1 || p > 65535) {
                values.error(n, "connect " + v + ": invalid port " + (port.isEmpty() ? "(none)" : port) + " of "
                        + host + " (expected: 1 ~ 65535)");
                return false;
            }
        }
        return true;
    }

    Optional<SslContextConfig> ssl(Node block) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        var s = new Object() {
            Optional<String> password = Optional.empty();
            Optional<Path> ca = Optional.empty();
            Optional<Path> certificate = Optional.empty();
            Optional<Path> key = Optional.empty();
        };
        walker.walk(block, Context.SSL, n -> {
            if (!values.shape(n, false)) {
                return;
            }
            String v = values.string(n, 0, n.keyword().equals("password") ? "a password" : "a file path");
            if (v == null) {
                return;
            }
            switch (n.keyword()) {
                case "password" -> s.password = Optional.of(v);
                case "ca" -> s.ca = Optional.ofNullable(values.path(n, v));
                case "certificate" -> s.certificate = Optional.ofNullable(values.path(n, v));
                case "key" -> s.key = Optional.ofNullable(values.path(n, v));
                default -> throw VrrpScriptMapper.unmapped(n, "SSL");
            }
        });
        return Optional.of(new SslContextConfig(s.password, s.ca, s.certificate, s.key));
    }
}
