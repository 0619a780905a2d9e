package io.tandem.core.lab;

import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A named network namespace ({@code ip netns}): create it, run commands in it,
 * and run Java code in it. Sockets opened by {@link #call} belong to the
 * namespace for their whole life, whichever thread uses them afterwards.
 */
public final class Netns implements AutoCloseable {
    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates the namespace {@code name} with its loopback up. */
    public static Netns create(String name) throws IOException {
        Command.run("ip", "netns", "add", name).orThrow();
        Netns ns = new Netns(name);
        try {
            ns.exec("ip", "link", "set", "lo", "up").orThrow();
        } catch (IOException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** A handle on an existing namespace (nothing is created). */
    public static Netns existing(String name) {
        return new Netns(name);
    }

    public String name() {
        return name;
    }

    /** Runs {@code argv} inside the namespace ({@code ip netns exec}). */
    public Command.Result exec(String... argv) throws IOException {
        return exec(Duration.ofSeconds(30), argv);
    }

    public Command.Result exec(Duration timeout, String... argv) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(argv));
        return Command.run(full, timeout);
    }

    /** The command line prefix that runs a program in this namespace, for {@link ProcessBuilder}. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /**
     * Runs {@code task} on a fresh thread that has entered this namespace
     * (setns(2)), and returns its result. Sockets it opens live in the namespace.
     */
    public <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(() -> {
            enterOnThisThread();
            return task.call();
        });
        Thread thread = Thread.ofPlatform().name("netns-" + name).start(future);
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error; // an assertion failed in the namespace: the test fails with it, unwrapped
            }
            throw e;
        } finally {
            thread.join();
        }
    }

    private void enterOnThisThread() throws LinuxException {
        String path = "/run/netns/" + name;
        int fd = Libc.check(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC), "open(" + path + ")");
        try {
            Libc.check(Libc.setns(fd, Libc.CLONE_NEWNET), "setns(" + path + ", CLONE_NEWNET)");
        } finally {
            Libc.close(fd);
        }
    }

    /** Deletes the namespace; processes still inside it are killed first. Safe to call twice. */
    @Override
    public void close() throws IOException {
        Command.Result pids = Command.run("ip", "netns", "pids", name);
        if (pids.ok()) {
            for (String pid : pids.stdout().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        Command.Result del = Command.run("ip", "netns", "del", name);
        if (!del.ok() && !del.stderr().contains("No such file")) {
            del.orThrow();
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
