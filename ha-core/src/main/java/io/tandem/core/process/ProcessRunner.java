package io.tandem.core.process;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands (MISC_CHECK, notify_up/down, quorum_up/down, vrrp_script, VRRP notify) without
 * blocking the caller: fork and exec happen on one launcher thread, the JDK's
 * reaper collects the exit ({@link Process#onExit()}), and a command still
 * running at its timeout is killed together with all its descendants.
 * stdin is /dev/null and output is discarded, so a chatty command cannot
 * block on a full pipe. With a user, the command runs through
 * {@code runuser -u USER --} (which needs root). {@link #close} kills the commands still running.
 */
public final class ProcessRunner implements CommandRunner, AutoCloseable {
    private static final File DEV_NULL = new File("/dev/null");

    private final ExecutorService launcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tandem-process-launcher");
        t.setDaemon(true);
        return t;
    });
    private final boolean root;
    /** Commands still running: {@link #close} kills them, so that none outlives the runner. */
    private final java.util.Set<Process> running = new java.util.HashSet<>();
    /** Set by {@link #close}; a command that started while it ran is killed at once (guarded by {@code running}). */
    private boolean closed;

    public ProcessRunner() {
        this.root = "root".equals(System.getProperty("user.name"));
    }

    /** Starts {@code command} (as {@code user} when not null) and kills it after {@code timeout}. */
    @Override
    public CompletionStage<ProcessOutcome> run(List<String> command, String user, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        List<String> argv = new ArrayList<>();
        if (user != null && !user.equals(System.getProperty("user.name"))) {
            if (!root) {
                return CompletableFuture.completedFuture(new ProcessOutcome.NotStarted(
                        "cannot run as user " + user + " (expected: Tandem running as root)"));
            }
            argv.addAll(List.of("runuser", "-u", user, "--"));
        }
        argv.addAll(command);
        CompletableFuture<ProcessOutcome> outcome = new CompletableFuture<>();
        launcher.execute(() -> launch(argv, timeout, outcome));
        return outcome;
    }

    private void launch(List<String> argv, Duration timeout, CompletableFuture<ProcessOutcome> outcome) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(DEV_NULL).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            outcome.complete(new ProcessOutcome.NotStarted(argv.getFirst() + ": " + e.getMessage()));
            return;
        }
        synchronized (running) {
            if (closed) {
                // close() ran between the fork and here: it could not see this one
                killTree(process.toHandle());
            } else {
                running.add(process);
            }
        }
        process.onExit().thenAccept(p -> {
            synchronized (running) {
                running.remove(p);
            }
            outcome.complete(new ProcessOutcome.Exited(p.exitValue()));
        });
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, launcher).execute(() -> {
            if (process.isAlive() && outcome.complete(new ProcessOutcome.TimedOut(process.pid()))) {
                killTree(process.toHandle());
            }
        });
    }

    /**
     * Kills the process and every descendant: the process first, so that a shell cannot go on to its
     * next command when its child dies, then the descendants seen before, level by level (each one's
     * own descendants are listed before it is killed, as a killed process's children are reparented).
     */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> level = new ArrayList<>(root.descendants().toList());
        root.destroyForcibly();
        for (int round = 0; round < 8 && !level.isEmpty(); round++) {
            List<ProcessHandle> next = new ArrayList<>();
            for (ProcessHandle p : level) {
                next.addAll(p.descendants().toList());
                p.destroyForcibly();
            }
            level = next;
        }
    }

    @Override
    public void close() {
        launcher.shutdownNow();
        List<Process> still;
        synchronized (running) {
            closed = true;
            still = List.copyOf(running);
        }
        for (Process p : still) {
            killTree(p.toHandle());
        }
    }
}
