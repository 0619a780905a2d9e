package io.tandem.healthcheck.schedule;

import io.tandem.healthcheck.CheckObserver;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.CheckerFactory;
import io.tandem.healthcheck.HealthListener;
import io.tandem.healthcheck.RealServerStatus;
import io.tandem.healthcheck.config.CheckerConfig;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * All virtual services' health checks on one {@link CheckScheduler}.
 * {@link #apply} starts them and, on a reload, keeps the state of every
 * checker whose configuration did not change (compare and migrate), stops the
 * ones that went away and starts the new ones.
 *
 * <p>Every method runs on the scheduler's thread; {@link #apply} and
 * {@link #close} called elsewhere are handed to it. One periodic sweep
 * ({@link #GUARD_SWEEP}) fails the attempts of checkers that never answer
 * ({@link CheckerRunner#expireIfHung}).
 */
public final class HealthMonitor implements AutoCloseable {
    /** How often attempts are looked at for a checker that never gave its result. */
    static final Duration GUARD_SWEEP = Duration.ofMillis(500);

    private final CheckScheduler scheduler;
    private final CheckerFactory factory;
    private final HealthListener listener;
    private final CheckObserver observer;
    private final RandomGenerator random;
    private final Map<String, VirtualServiceMonitor> services = new LinkedHashMap<>();
    private final Runnable sweepTask = this::sweep;
    private CheckScheduler.Cancellable sweep;
    private boolean closed;

    public HealthMonitor(CheckScheduler scheduler, CheckerFactory factory, HealthListener listener,
            CheckObserver observer, RandomGenerator random) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Starts or reloads the checks of {@code configs}. */
    public void apply(List<VirtualServiceConfig> configs) {
        List<VirtualServiceConfig> copy = List.copyOf(configs);
        if (!scheduler.inSchedulerThread()) {
            scheduler.execute(() -> apply(copy));
            return;
        }
        if (closed) {
            throw new IllegalStateException("health monitor closed");
        }
        Map<String, VirtualServiceMonitor> old = new LinkedHashMap<>(services);
        services.clear();
        for (VirtualServiceConfig vsc : copy) {
            VirtualServiceMonitor vs = old.remove(vsc.name());
            if (vs == null) {
                vs = new VirtualServiceMonitor(vsc, listener);
                for (RealServerConfig rsc : vsc.realServers()) {
                    vs.add(startRealServer(vs, rsc));
                }
                vs.start();
            } else {
                reloadService(vs, vsc);
            }
            services.put(vsc.name(), vs);
        }
        old.values().forEach(VirtualServiceMonitor::stop);
        if (sweep == null) {
            sweep = scheduler.schedule(GUARD_SWEEP, sweepTask);
        }
    }

    private void sweep() {
        long now = scheduler.nanoTime();
        for (VirtualServiceMonitor vs : services.values()) {
            for (RealServerMonitor rs : vs.realServers().values()) {
                List<CheckerRunner> runners = rs.runners();
                for (int i = 0; i < runners.size(); i++) {
                    runners.get(i).expireIfHung(now);
                }
            }
        }
        sweep = scheduler.schedule(GUARD_SWEEP, sweepTask);
    }

    private void reloadService(VirtualServiceMonitor vs, VirtualServiceConfig vsc) {
        vs.reconfigure(vsc);
        Map<InetSocketAddress, RealServerMonitor> oldServers = new LinkedHashMap<>(vs.realServers());
        for (RealServerConfig rsc : vsc.realServers()) {
            RealServerMonitor rs = oldServers.remove(rsc.address());
            if (rs == null) {
                vs.add(startRealServer(vs, rsc));
            } else {
                reloadRealServer(vs, rs, rsc);
            }
        }
        oldServers.keySet().forEach(vs::remove);
        vs.updateQuorum();
    }

    private RealServerMonitor startRealServer(VirtualServiceMonitor vs, RealServerConfig rsc) {
        List<CheckerRunner> runners = new ArrayList<>();
        for (CheckerConfig cc : rsc.checkers()) {
            runners.add(runner(vs.name(), rsc.address(), factory.create(cc)));
        }
        RealServerMonitor rs = new RealServerMonitor(vs, rsc, runners);
        runners.forEach(r -> r.start(rs, random));
        return rs;
    }

    private void reloadRealServer(VirtualServiceMonitor vs, RealServerMonitor rs, RealServerConfig rsc) {
        List<CheckerRunner> unclaimed = new ArrayList<>(rs.runners());
        List<CheckerRunner> runners = new ArrayList<>();
        for (CheckerConfig cc : rsc.checkers()) {
            Checker checker = factory.create(cc);
            CheckerRunner runner = runner(vs.name(), rsc.address(), checker);
            CheckerRunner same = null;
            for (CheckerRunner old : unclaimed) {
                if (checker.sameCheckAs(old.checker())) {
                    same = old;
                    break;
                }
            }
            if (same != null) {
                unclaimed.remove(same);
                runner.migrateFrom(same, rs);
            } else {
                runner.start(rs, random);
            }
            runners.add(runner);
        }
        unclaimed.forEach(CheckerRunner::stop);
        rs.reconfigure(rsc, runners);
    }

    private CheckerRunner runner(String service, InetSocketAddress address, Checker checker) {
        var kind = checker.config().kind();
        String name = service + " " + address.getAddress().getHostAddress() + ":" + address.getPort() + " " + kind;
        return new CheckerRunner(checker, scheduler, observer.sink(service, address, kind), name);
    }

    /** The current state of every real server (on the scheduler's thread). */
    public List<RealServerStatus> status() {
        List<RealServerStatus> out = new ArrayList<>();
        for (VirtualServiceMonitor vs : services.values()) {
            for (RealServerMonitor rs : vs.realServers().values()) {
                out.add(new RealServerStatus(vs.name(), rs.config().address(), rs.isUp(), rs.weight(),
                        vs.hasQuorum()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (!scheduler.inSchedulerThread()) {
            scheduler.execute(this::close);
            return;
        }
        closed = true;
        if (sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        services.values().forEach(VirtualServiceMonitor::stop);
        services.clear();
    }
}
