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
 */
public record DirectorOptions(String interfaceName, InetSocketAddress admin, List<String> nftPrefix, String instance) {
    public DirectorOptions {
        nftPrefix = List.copyOf(nftPrefix);
    }

    public static DirectorOptions defaults() {
        return new DirectorOptions(null, null, List.of(), "director");
    }

    public DirectorOptions withInterface(String name) {
        return new DirectorOptions(name, admin, nftPrefix, instance);
    }

    public DirectorOptions withNftPrefix(List<String> prefix) {
        return new DirectorOptions(interfaceName, admin, prefix, instance);
    }

    public DirectorOptions withAdmin(InetSocketAddress address) {
        return new DirectorOptions(interfaceName, address, nftPrefix, instance);
    }
}
