package io.tandem.director.run;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * How a {@link Director} runs beyond what the configuration says.
 *
 * @param interfaceName the forwarding interface; null: the one on the first real server's subnet
 * @param admin overrides the {@code admin} block's address and port; null: use the block (127.0.0.1:9165 by default)
 * @param nftPrefix a prefix for nft commands (the lab's {@code ip netns exec NS}); empty in production
 * @param instance names the steering table
 * @param subsystems what runs: everything, only VRRP, or only the checks and forwarding
 * @param workers the forwarder's worker threads ({@code EngineOptions.workers}): 1 by default;
 *     {@code tandem run} takes {@code --workers N}, else {@code global_defs forwarder_workers N} (docs/fanout.md)
 */
public record DirectorOptions(String interfaceName, InetSocketAddress admin, List<String> nftPrefix, String instance,
        Subsystems subsystems, int workers) {
    /** keepalived's {@code -P} (VRRP only) and {@code -C} (checkers and IPVS only): {@code tandem run --vrrp | --check}. */
    public enum Subsystems {
        /** VRRP, the checks and the forwarder. */
        ALL,
        /** Only VRRP: VIPs and state, no forwarder, no checks (keepalived -P). */
        VRRP,
        /** Only the checks and the forwarder, forwarding from the start as if master (keepalived -C). */
        CHECK;

        public boolean vrrp() {
            return this != CHECK;
        }

        public boolean forwarding() {
            return this != VRRP;
        }
    }

    public DirectorOptions {
        nftPrefix = List.copyOf(nftPrefix);
        if (subsystems == null) {
            subsystems = Subsystems.ALL;
        }
        if (workers < 1) {
            throw new IllegalArgumentException("invalid workers: " + workers + " (expected: >= 1)");
        }
    }

    public static DirectorOptions defaults() {
        return new DirectorOptions(null, null, List.of(), "director", Subsystems.ALL, 1);
    }

    public DirectorOptions withInterface(String name) {
        return new DirectorOptions(name, admin, nftPrefix, instance, subsystems, workers);
    }

    public DirectorOptions withNftPrefix(List<String> prefix) {
        return new DirectorOptions(interfaceName, admin, prefix, instance, subsystems, workers);
    }

    public DirectorOptions withAdmin(InetSocketAddress address) {
        return new DirectorOptions(interfaceName, address, nftPrefix, instance, subsystems, workers);
    }

    public DirectorOptions withSubsystems(Subsystems which) {
        return new DirectorOptions(interfaceName, admin, nftPrefix, instance, which, workers);
    }

    /** Runs the forwarder with {@code count} workers, each owning its flows ({@code tandem run --workers N}). */
    public DirectorOptions withWorkers(int count) {
        return new DirectorOptions(interfaceName, admin, nftPrefix, instance, subsystems, count);
    }
}
