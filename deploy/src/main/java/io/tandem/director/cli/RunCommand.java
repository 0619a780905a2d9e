package io.tandem.director.cli;

import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.director.reload.ConfigCheck;
import io.tandem.director.reload.ConfigReloader;
import io.tandem.director.reload.ConfigSource;
import io.tandem.director.run.Director;
import io.tandem.director.run.DirectorOptions;
import io.tandem.director.run.MastershipSource;
import io.tandem.director.run.StaticMastership;
import io.tandem.director.vrrp.VrrpMastership;
import io.tandem.director.zk.ZnodeConfigSource;
import io.tandem.director.zk.ZooKeeperCoordination;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem run -f FILE [--vrrp | --check]}: the daemon in the foreground, logging to
 * stdout. The file (or the znode of {@code --config zk://HOST:PORT/PATH}) passes the same checks as
 * {@code check-config} first. SIGHUP reloads it, and so does every change of the znode
 * ({@link ConfigReloader}: a bad version is rejected and changes nothing, a good one is applied as a
 * difference). SIGTERM (or SIGINT) gives mastership up at once (VRRP priority 0, VIPs removed), then
 * stops the rest cleanly through the shutdown hook: steering removed,
 * checks and admin HTTP stopped, sockets closed. {@code --vrrp} runs only VRRP (keepalived -P),
 * {@code --check} only the checks and the forwarder, forwarding from the start (keepalived -C).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the director in the foreground on a keepalived.conf (a file, or a znode that is"
                + " watched). SIGHUP reloads it.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions configuration;

    @Option(names = "--interface", paramLabel = "NAME",
            description = "The forwarding interface (default: the one on the first real server's subnet).")
    String interfaceName;

    @Option(names = "--admin-port", paramLabel = "PORT",
            description = "Overrides the admin block's port (0: any free port, logged at start).")
    Integer adminPort;

    @Option(names = "--workers", paramLabel = "N",
            description = "Forwarding threads, each owning its flows; wins over global_defs forwarder_workers"
                    + " (default: the file's, else 1; see docs/fanout.md).")
    Integer workers;

    /** The forwarder's workers: {@code --workers N} wins over the file's {@code forwarder_workers N}; else 1. */
    static int workers(Integer commandLine, java.util.OptionalInt configured) {
        return commandLine != null ? commandLine : configured.orElse(1);
    }

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
        String id = configuration.configId();
        ConfigSource source;
        try {
            source = configuration.open();
        } catch (IOException e) {
            System.err.println("cannot run: " + e.getMessage());
            return ConfigCheck.EXIT_CANNOT_RUN;
        }
        boolean running = false;
        try {
            Integer exit = run(source, id, subsystems);
            running = exit == null;
            return running ? 0 : exit;
        } finally {
            if (!running) {
                source.close();
            }
        }
    }

    /** Runs the director until it stops (null), or returns why it cannot start. */
    private Integer run(ConfigSource source, String id, DirectorOptions.Subsystems subsystems) throws Exception {
        ConfigCheck.Outcome checked = source.read(id, subsystems);
        checked.lines().forEach(System.err::println);
        if (!checked.runnable()) {
            return checked.exitCode() == ConfigCheck.EXIT_OK ? ConfigCheck.EXIT_ERRORS : checked.exitCode();
        }
        KeepalivedConfig config = checked.config().get();
        if (subsystems == DirectorOptions.Subsystems.VRRP && config.vrrpInstances().isEmpty()) {
            System.err.println(source.name() + ": cannot run --vrrp: no vrrp_instance (expected: at least one)");
            return ConfigCheck.EXIT_ERRORS;
        }
        if (source instanceof ZnodeConfigSource znode) {
            znode.noteCoordination(config);
        }
        if (workers != null && workers < 1) {
            System.err.println("cannot run: invalid --workers " + workers + " (expected: >= 1)");
            return ConfigCheck.EXIT_ERRORS;
        }
        DirectorOptions options = DirectorOptions.defaults().withInterface(interfaceName).withSubsystems(subsystems)
                .withWorkers(workers(workers, config.globalDefs().forwarderWorkers()));
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
            System.err.println(source.name() + ": cannot run: " + e.getMessage());
            return ConfigCheck.EXIT_ERRORS;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tandem-stop").unstarted(() -> {
            LOG.info("stopping");
            source.close(); // no reload while the director stops
            director.close();
            stopped.countDown();
        }));
        director.start();
        // SIGTERM and SIGINT: priority 0 first, straight from the signal, then the JVM's exit (which runs
        // the hook above); through the hook alone a cold JVM took 10-20 ms more before the backup heard it
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                try {
                    director.relinquish();
                } finally {
                    System.exit(128 + signal.getNumber());
                }
            });
        }
        zooKeeper.ifPresent(z -> z.followMembership(director));
        ConfigReloader reloader = new ConfigReloader(director, source, id, subsystems);
        ExecutorService reloads = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("tandem-reload").daemon().factory());
        Signal.handle(new Signal("HUP"), signal -> reloads.execute(() -> safely(reloader::reload)));
        source.watch(id, subsystems, version -> reloads.execute(() -> safely(() -> reloader.apply(version))));
        LOG.info("running; admin on {}", director.adminAddress());
        stopped.await();
        return null;
    }

    /** One reload, one at a time on the reload thread; an unexpected failure is logged, never fatal. */
    private static void safely(Runnable reload) {
        try {
            reload.run();
        } catch (RuntimeException e) {
            LOG.error("reload failed: {}", e.toString(), e);
        }
    }
}
