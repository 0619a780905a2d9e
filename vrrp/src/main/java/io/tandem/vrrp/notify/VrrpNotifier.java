package io.tandem.vrrp.notify;

import io.tandem.core.process.CommandRunner;
import io.tandem.core.process.ProcessOutcome;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpStateChange;
import io.tandem.vrrp.VrrpStateListener;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's VRRP notifications, off the VRRP loop: on each state change of an instance,
 * and of a sync group as a whole, the state's script ({@code notify_master}, {@code
 * notify_backup}, {@code notify_fault}, {@code notify_stop}) runs, then {@code notify} with
 * {@code INSTANCE|GROUP NAME STATE PRIORITY} appended; and the line {@code INSTANCE "NAME" STATE
 * PRIORITY} goes to each notify FIFO (keepalived.conf(5) "notify fifo output").
 *
 * <p>Unlike keepalived, whose scripts are fire-and-forget and may overlap or run out of order
 * (its issues #996, #1835), the scripts of one instance (or group) run one after the other, in
 * the order of the changes, each killed after {@code timeout}; different instances do not wait
 * for each other. FIFO lines are written in order by one thread.
 *
 * <p>A sync group is MASTER when all its members are, FAULT while any is, BACKUP when none is
 * MASTER or FAULT; between those (members moving) it keeps its state. Groups have no STOP
 * notification and report priority 0, as in keepalived.
 *
 * <p>{@link #stateChanged} runs on the VRRP loop and only queues work.
 */
public final class VrrpNotifier implements VrrpStateListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpNotifier.class);

    /** One sync group's notify scripts and members. */
    public record Group(String name, List<String> members, NotifyConfig scripts) {
        public Group {
            Objects.requireNonNull(name, "name");
            members = List.copyOf(members);
            Objects.requireNonNull(scripts, "scripts");
        }
    }

    private final Map<String, NotifyConfig> instances;
    private final List<Group> groups;
    private final Duration timeout;
    private final CommandRunner runner;
    private final List<RandomAccessFile> fifos = new ArrayList<>();
    private final ExecutorService fifoWriter = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("vrrp-notify-fifo").daemon().factory());
    /** The last queued run of each target ("INSTANCE VI_1"): the next one chains after it. */
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();
    private final Map<String, VrrpState> memberStates = new HashMap<>();
    private final Map<String, String> groupStates = new HashMap<>();

    /**
     * Opens the FIFOs ({@code notify_fifo}, {@code vrrp_notify_fifo}), making any that does not exist.
     *
     * @throws IOException when a FIFO cannot be made or opened
     */
    public VrrpNotifier(Map<String, NotifyConfig> instances, List<Group> groups, List<Path> fifoPaths,
                        Duration timeout, CommandRunner runner) throws IOException {
        this.instances = Map.copyOf(instances);
        this.groups = List.copyOf(groups);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.runner = Objects.requireNonNull(runner, "runner");
        try {
            for (Path path : fifoPaths) {
                fifos.add(openFifo(path));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        for (Group g : this.groups) {
            groupStates.put(g.name(), "INIT");
        }
    }

    /** Opened read-write, as keepalived does, so that neither the open nor a write waits for a reader. */
    private static RandomAccessFile openFifo(Path path) throws IOException {
        if (!Files.exists(path)) {
            Process p = new ProcessBuilder("mkfifo", "-m", "0600", path.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("cannot make notify FIFO " + path + ": " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted making notify FIFO " + path, e);
            }
        }
        try {
            return new RandomAccessFile(path.toFile(), "rw");
        } catch (IOException e) {
            throw new IOException("cannot open notify FIFO " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stateChanged(VrrpStateChange change) {
        String state = stateName(change.from(), change.to());
        memberStates.put(change.instance(), change.to());
        if (state != null) {
            notify("INSTANCE", change.instance(), state, change.priority(),
                    instances.getOrDefault(change.instance(), NotifyConfig.NONE));
        }
        for (Group g : groups) {
            if (g.members().contains(change.instance())) {
                String groupState = groupState(g);
                if (!groupState.equals(groupStates.put(g.name(), groupState)) && !groupState.equals("INIT")) {
                    notify("GROUP", g.name(), groupState, 0, g.scripts());
                }
            }
        }
    }

    /** keepalived's names: MASTER, BACKUP, FAULT, and STOP for the shutdown; none for leaving INIT's start. */
    private static String stateName(VrrpState from, VrrpState to) {
        return switch (to) {
            case MASTER -> "MASTER";
            case BACKUP -> "BACKUP";
            case FAULT -> "FAULT";
            case INIT -> from == VrrpState.INIT ? null : "STOP";
        };
    }

    private String groupState(Group g) {
        int master = 0;
        int backup = 0;
        int init = 0;
        for (String m : g.members()) {
            VrrpState s = memberStates.getOrDefault(m, VrrpState.INIT);
            switch (s) {
                case FAULT -> {
                    return "FAULT";
                }
                case MASTER -> master++;
                case BACKUP -> backup++;
                case INIT -> init++;
            }
        }
        if (master == g.members().size()) {
            return "MASTER";
        }
        if (master == 0 && backup > 0) {
            return "BACKUP";
        }
        if (init == g.members().size()) {
            return "INIT";
        }
        return groupStates.get(g.name()); // members moving: unchanged
    }

    private void notify(String kind, String name, String state, int priority, NotifyConfig config) {
        if (!fifos.isEmpty()) {
            byte[] line = (kind + " \"" + name + "\" " + state + " " + priority + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            fifoWriter.execute(() -> writeFifos(line));
        }
        List<List<String>> commands = new ArrayList<>();
        List<String> users = new ArrayList<>();
        config.forState(state).ifPresent(c -> {
            commands.add(c.argv());
            users.add(c.user().orElse(null));
        });
        config.any().ifPresent(c -> {
            List<String> argv = new ArrayList<>(c.argv());
            argv.addAll(List.of(kind, name, state, Integer.toString(priority)));
            commands.add(argv);
            users.add(c.user().orElse(null));
        });
        if (commands.isEmpty()) {
            return;
        }
        String target = kind + " " + name;
        CompletableFuture<Void> tail = tails.getOrDefault(target, CompletableFuture.completedFuture(null));
        for (int i = 0; i < commands.size(); i++) {
            List<String> argv = commands.get(i);
            String user = users.get(i);
            tail = tail.thenCompose(ignored -> run(target, state, argv, user));
        }
        tails.put(target, tail);
    }

    private CompletableFuture<Void> run(String target, String state, List<String> argv, String user) {
        return runner.run(argv, user, timeout).<Void>handle((outcome, error) -> {
            if (error != null) {
                LOG.warn("{} {}: notify {} failed: {}", target, state, argv.getFirst(), error.toString());
            } else if (!(outcome instanceof ProcessOutcome.Exited(int code) && code == 0)) {
                LOG.warn("{} {}: notify {}: {}", target, state, argv.getFirst(), outcome);
            }
            return null;
        }).toCompletableFuture();
    }

    private void writeFifos(byte[] line) {
        for (RandomAccessFile fifo : fifos) {
            try {
                fifo.write(line);
            } catch (IOException e) {
                LOG.warn("writing to a notify FIFO failed: {}", e.toString());
            }
        }
    }

    /** Waits for the queued notifications (each bounded by the timeout), then closes the FIFOs. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> pending;
        synchronized (this) {
            pending = new ArrayList<>(tails.values());
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("notify scripts still running at shutdown: {}", e.toString());
        }
        fifoWriter.shutdown();
        try {
            fifoWriter.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (RandomAccessFile fifo : fifos) {
            try {
                fifo.close();
            } catch (IOException e) {
                LOG.debug("closing a notify FIFO: {}", e.toString());
            }
        }
    }

    /** For status: each group's state as the notifications saw it. */
    public synchronized Map<String, String> groupStates() {
        return new LinkedHashMap<>(groupStates);
    }
}
