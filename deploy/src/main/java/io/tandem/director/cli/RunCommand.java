package io.tandem.director.cli;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.director.reload.ConfigCheck;
import io.tandem.director.reload.ConfigReloader;
import io.tandem.director.run.Director;
import io.tandem.director.run.DirectorOptions;
import io.tandem.director.run.MastershipSource;
import io.tandem.director.run.StaticMastership;
import io.tandem.director.vrrp.VrrpMastership;
import io.tandem.director.zk.ZooKeeperCoordination;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem run -f FILE [--vrrp | --check]}: the daemon in the foreground, logging to
 * stdout. The file passes the same checks as {@code check-config} first. SIGHUP reloads it
 * ({@link ConfigReloader}: a bad file is rejected and changes nothing, a good one is applied as a
 * difference). SIGTERM (or SIGINT) stops it cleanly through the shutdown hook: steering removed,
 * checks and admin HTTP stopped, sockets closed. {@code --vrrp} runs only VRRP (keepalived -P),
 * {@code --check} only the checks and the forwarder, forwarding from the start (keepalived -C).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the director in the foreground on a keepalived.conf. SIGHUP reloads the file.")
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

    @ArgGroup(exclusive = true)
    Part part;

    /** keepalived's -P / -C. */
    static final class Part {
        @Option(names = {"-P", "--vrrp"}, description = "Run only VRRP (the VIPs), no checks and no forwarder.")
        boolean vrrp;

        @Option(names = {"-C", "--check"},
                description = "Run only the checks and the forwarder, forwarding from the start, without VRRP.")
        boolean check;
    }

    @Override
    public Integer call() throws Exception {
        DirectorOptions.Subsystems subsystems = part == null ? DirectorOptions.Subsystems.ALL
                : part.vrrp ? DirectorOptions.Subsystems.VRRP : DirectorOptions.Subsystems.CHECK;
        String id = configId == null ? ConfigLoader.defaultConfigId() : configId;
        ConfigCheck.Outcome checked = ConfigCheck.check(file, id, subsystems);
        checked.lines().forEach(System.err::println);
        if (!checked.runnable()) {
            return checked.exitCode() == ConfigCheck.EXIT_OK ? ConfigCheck.EXIT_ERRORS : checked.exitCode();
        }
        KeepalivedConfig config = checked.config().get();
        if (subsystems == DirectorOptions.Subsystems.VRRP && config.vrrpInstances().isEmpty()) {
            System.err.println(file + ": cannot run --vrrp: no vrrp_instance (expected: at least one)");
            return ConfigCheck.EXIT_ERRORS;
        }
        DirectorOptions options = DirectorOptions.defaults().withInterface(interfaceName).withSubsystems(subsystems);
        if (adminPort != null) {
            InetAddress address = config.admin().address();
            options = options.withAdmin(new InetSocketAddress(address, adminPort));
        }
        Director director;
        java.util.Optional<ZooKeeperCoordination> zooKeeper = java.util.Optional.empty();
        try {
            zooKeeper = ZooKeeperCoordination.start(config);
            MastershipSource mastership = subsystems.vrrp() && !config.vrrpInstances().isEmpty()
                    ? new VrrpMastership(config, zooKeeper.flatMap(ZooKeeperCoordination::fence))
                    : new StaticMastership();
            director = new Director(config, options, mastership, zooKeeper);
        } catch (IllegalArgumentException e) {
            zooKeeper.ifPresent(ZooKeeperCoordination::close);
            System.err.println(file + ": cannot run: " + e.getMessage());
            return ConfigCheck.EXIT_ERRORS;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tandem-stop").unstarted(() -> {
            LOG.info("stopping");
            director.close();
            stopped.countDown();
        }));
        director.start();
        zooKeeper.ifPresent(z -> z.followMembership(director));
        reloadOnHangup(new ConfigReloader(director, file, id, subsystems));
        LOG.info("running; admin on {}", director.adminAddress());
        stopped.await();
        return 0;
    }

    /** SIGHUP reloads, one reload at a time, off the signal's thread. */
    private static void reloadOnHangup(ConfigReloader reloader) {
        ExecutorService reloads = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("tandem-reload").daemon().factory());
        Signal.handle(new Signal("HUP"), signal -> reloads.execute(() -> {
            try {
                reloader.reload();
            } catch (RuntimeException e) {
                LOG.error("reload failed: {}", e.toString(), e);
            }
        }));
    }
}
