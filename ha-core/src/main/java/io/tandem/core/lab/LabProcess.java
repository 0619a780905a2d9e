package io.tandem.core.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A long-running program started inside a lab namespace. {@link #stop} sends
 * SIGTERM, waits a grace period, then SIGKILLs it and whatever it forked. The
 * lab that started it stops it at teardown if nobody did before.
 */
public final class LabProcess implements AutoCloseable {
    /** How long {@link #stop()} waits after SIGTERM before SIGKILL. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final String description;
    private final Process process;
    private final Path logFile;
    private final Consumer<LabProcess> onStop;

    private LabProcess(String description, Process process, Path logFile, Consumer<LabProcess> onStop) {
        this.description = description;
        this.process = process;
        this.logFile = logFile;
        this.onStop = onStop;
    }

    /** Starts {@code builder}; {@code onStop} is told once the process is stopped. */
    static LabProcess start(ProcessBuilder builder, Path logFile, Consumer<LabProcess> onStop) throws IOException {
        Process process = builder.start();
        return new LabProcess(String.join(" ", builder.command()), process, logFile, onStop);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where its stdout and stderr go; null when the caller reads them through {@link #process()}. */
    public Path logFile() {
        return logFile;
    }

    /** The command line, with its {@code ip netns exec} prefix. */
    public String description() {
        return description;
    }

    /** The exit code, once it has exited. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Waits up to {@code timeout} for it to exit by itself; true when it has. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Process process() {
        return process;
    }

    /** SIGTERM, then SIGKILL after {@link #DEFAULT_GRACE}. */
    public void stop() {
        stop(DEFAULT_GRACE);
    }

    /** SIGTERM, then SIGKILL (to it and to what it forked) after {@code grace}. Safe to call twice. */
    public void stop(Duration grace) {
        List<ProcessHandle> forked = process.descendants().toList();
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            forked.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            onStop.accept(this);
        }
    }

    /** SIGKILL at once, to it and to what it forked: a crash, with no chance to clean up. */
    public void kill() {
        List<ProcessHandle> forked = process.descendants().toList();
        process.destroyForcibly();
        forked.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "pid " + pid() + ": " + description;
    }
}
