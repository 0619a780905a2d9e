package io.tandem.director.zk;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.director.reload.ConfigCheck;
import io.tandem.director.reload.ConfigSource;
import io.tandem.director.run.DirectorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configuration kept in a znode ({@code --config zk://HOST:PORT/PATH}): read at start through its own
 * Curator session (start-up fails when the ensemble does not answer or the znode is missing), then
 * watched with a {@link CuratorCache} on that one node. Each newer version (by the znode's mzxid) is
 * parsed by the same {@link ConfigLoader} as a file, its lines named {@code zk://HOST:PORT/PATH:LINE},
 * checked by {@link ConfigCheck} and handed on, to be applied as a SIGHUP reload is. Includes in it
 * name local files (relative ones from the working directory).
 */
public final class ZnodeConfigSource implements ConfigSource {
    private static final Logger LOG = LoggerFactory.getLogger(ZnodeConfigSource.class);
    private static final int SESSION_TIMEOUT_MS = 30_000;

    private final ZnodeLocator locator;
    private final CuratorFramework client;
    private volatile long appliedZxid = -1;
    private CuratorCache cache;

    private ZnodeConfigSource(ZnodeLocator locator, CuratorFramework client) {
        this.locator = locator;
        this.client = client;
    }

    /**
     * Connects to {@code locator}'s ensemble and checks that its znode is there.
     *
     * @throws IOException naming the ensemble and the timeout, or the missing znode
     */
    public static ZnodeConfigSource open(ZnodeLocator locator, Duration connectTimeout) throws IOException {
        CuratorFramework client = connect(locator, connectTimeout);
        try {
            if (client.checkExists().forPath(locator.path()) == null) {
                throw missing(locator);
            }
        } catch (IOException e) {
            client.close();
            throw e;
        } catch (Exception e) {
            client.close();
            throw new IOException(locator + ": cannot read the znode: " + e, e);
        }
        return new ZnodeConfigSource(locator, client);
    }

    /** A started client of {@code locator}'s ensemble, connected within {@code timeout}, or an IOException. */
    static CuratorFramework connect(ZnodeLocator locator, Duration timeout) throws IOException {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(locator.connect())
                .sessionTimeoutMs(SESSION_TIMEOUT_MS)
                .connectionTimeoutMs((int) Math.min(timeout.toMillis(), 15_000))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 2_000))
                .build();
        client.start();
        try {
            if (!client.blockUntilConnected((int) timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                client.close();
                throw new IOException(locator + ": ZooKeeper " + locator.connect() + " did not answer within "
                        + timeout.toMillis() + " ms (expected: a reachable ensemble)");
            }
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new IOException(locator + ": interrupted while connecting", e);
        }
        return client;
    }

    private static IOException missing(ZnodeLocator locator) {
        return new IOException(locator + ": the znode " + locator.path() + " does not exist on " + locator.connect()
                + " (expected: a configuration written there, as by tandem config push)");
    }

    public ZnodeLocator locator() {
        return locator;
    }

    @Override
    public String name() {
        return locator.toString();
    }

    /** Reads the znode now; a missing or unreadable one is a rejected outcome naming the znode. */
    @Override
    public ConfigCheck.Outcome read(String configId, DirectorOptions.Subsystems subsystems) {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = client.getData().storingStatIn(stat).forPath(locator.path());
        } catch (KeeperException.NoNodeException e) {
            return unreadable(missing(locator).getMessage());
        } catch (Exception e) {
            return unreadable(locator + ": cannot read the znode: " + e);
        }
        ConfigCheck.Outcome outcome = check(data, configId, subsystems);
        appliedZxid = Math.max(appliedZxid, stat.getMzxid());
        return outcome;
    }

    private ConfigCheck.Outcome check(byte[] data, String configId, DirectorOptions.Subsystems subsystems) {
        if (data == null || data.length == 0) {
            return unreadable(locator + ":0: error: the znode is empty (expected: a keepalived.conf)");
        }
        String text = new String(data, StandardCharsets.UTF_8);
        return ConfigCheck.check(ConfigLoader.load(name(), text, Path.of(""), configId), subsystems);
    }

    private static ConfigCheck.Outcome unreadable(String message) {
        return new ConfigCheck.Outcome(java.util.Optional.empty(), List.of(message), List.of(message),
                ConfigCheck.EXIT_CANNOT_RUN);
    }

    /**
     * Watches the znode: every version newer than the last one read goes through the same checks and to
     * {@code changed}, on the cache's thread. A deleted znode is logged and changes nothing.
     */
    @Override
    public synchronized void watch(String configId, DirectorOptions.Subsystems subsystems,
            Consumer<ConfigCheck.Outcome> changed) {
        if (cache != null) {
            throw new IllegalStateException(locator + " is already watched");
        }
        cache = CuratorCache.build(client, locator.path(), CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, node) -> version(node, configId, subsystems, changed))
                .forDeletes(node -> LOG.error("{}: the znode was deleted; the running configuration stays", locator))
                .build());
        cache.start();
        LOG.info("watching {} for configuration changes", locator);
    }

    private void version(ChildData node, String configId, DirectorOptions.Subsystems subsystems,
            Consumer<ConfigCheck.Outcome> changed) {
        long zxid = node.getStat().getMzxid();
        if (zxid <= appliedZxid) {
            return; // the version already read (the cache's first look at the node)
        }
        appliedZxid = zxid;
        LOG.info("{}: version {} written (zxid 0x{})", locator, node.getStat().getVersion(), Long.toHexString(zxid));
        changed.accept(check(node.getData(), configId, subsystems));
    }

    /**
     * Logs which connect string does what when the configuration's own zookeeper block names another
     * ensemble than the locator: the locator's reads the configuration, the block's fences and discovers.
     */
    public void noteCoordination(KeepalivedConfig config) {
        config.zooKeeper().filter(z -> !z.connect().equals(locator.connect())).ifPresent(z -> LOG.warn(
                "{}: the configuration's zookeeper block connects to {}: fencing and real_server_discovery use"
                        + " that ensemble; the configuration itself is read from {} (the command line's)",
                locator, z.connect(), locator.connect()));
    }

    @Override
    public synchronized void close() {
        if (cache != null) {
            cache.close();
        }
        client.close();
    }
}
