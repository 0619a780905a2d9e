package io.tandem.director.cli;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.Diagnostic;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.director.run.Director;
import io.tandem.director.run.DirectorOptions;
import io.tandem.director.run.MastershipSource;
import io.tandem.director.zk.ZooKeeperCoordination;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem run -f FILE}: the daemon in the foreground, logging to
 * stdout. SIGTERM (or SIGINT) stops it cleanly through the shutdown hook:
 * steering removed, checks and admin HTTP stopped, sockets closed.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the director in the foreground on a keepalived.conf.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-f", "--use-file"}, paramLabel = "FILE", defaultValue = "/etc/keepalived/keepalived.conf",
            description = "The configuration file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = {"-i", "--config-id"}, paramLabel = "ID", description = "The config id for '@ID' lines.")
    String configId;

    @Option(names = "--interface", paramLabel = "NAME",
            description = "The forwarding interface (default: the one on the first real server's subnet).")
    String interfaceName;

    @Option(names = "--admin-port", paramLabel = "PORT",
            description = "Overrides the admin block's port (0: any free port, logged at start).")
    Integer adminPort;

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Result result = ConfigLoader.load(file, configId == null ? ConfigLoader.defaultConfigId() : configId);
        for (Diagnostic d : result.diagnostics()) {
            System.err.println(d.format());
        }
        if (result.config().isEmpty() || result.hasErrors()) {
            return CheckConfigCommand.exitCode(result.diagnostics());
        }
        KeepalivedConfig config = result.config().get();
        DirectorOptions options = DirectorOptions.defaults().withInterface(interfaceName);
        if (adminPort != null) {
            InetAddress address = config.admin().address();
            options = options.withAdmin(new InetSocketAddress(address, adminPort));
        }
        Director director;
        java.util.Optional<ZooKeeperCoordination> zooKeeper = java.util.Optional.empty();
        try {
            MastershipSource mastership = config.vrrpInstances().isEmpty() ? Director.staticMastershipFor(config)
                    : new io.tandem.director.vrrp.VrrpMastership(config);
            zooKeeper = ZooKeeperCoordination.start(config);
            if (zooKeeper.flatMap(ZooKeeperCoordination::fence).isPresent()) {
                mastership = new io.tandem.director.vrrp.VrrpMastership(config, zooKeeper.get().fence());
            }
            director = new Director(config, options, mastership, zooKeeper);
        } catch (IllegalArgumentException e) {
            zooKeeper.ifPresent(ZooKeeperCoordination::close);
            System.err.println(file + ": cannot run: " + e.getMessage());
            return CheckConfigCommand.EXIT_ERRORS;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tandem-stop").unstarted(() -> {
            LOG.info("stopping");
            director.close();
            stopped.countDown();
        }));
        director.start();
        LOG.info("running; admin on {}", director.adminAddress());
        stopped.await();
        return 0;
    }
}
