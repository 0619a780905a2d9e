package io.tandem.director.drill;

import io.tandem.core.lab.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compose command this machine has: Debian's {@code docker-compose} 1.29,
 * or the {@code docker compose} plugin; run in the repository's root with the
 * stack's environment (image names, ports).
 */
final class ComposeCli {
    private final List<String> command;
    private final Path root;
    private final String project;
    private final Map<String, String> environment;

    ComposeCli(List<String> command, Path root, String project, Map<String, String> environment) {
        this.command = List.copyOf(command);
        this.root = root;
        this.project = project;
        this.environment = Map.copyOf(environment);
    }

    /** {@code [docker-compose]} or {@code [docker, compose]}, whichever answers, or null. */
    static List<String> detect() throws IOException {
        if (Command.run("sh", "-c", "command -v docker-compose").ok() && Command.run("docker-compose", "version").ok()) {
            return List.of("docker-compose");
        }
        if (Command.run("docker", "compose", "version").ok()) {
            return List.of("docker", "compose");
        }
        return null;
    }

    List<String> command() {
        return command;
    }

    /** Runs {@code compose -p PROJECT ARGS} in the repository's root; the result, whatever the exit code. */
    Command.Result run(Duration timeout, String... args) throws IOException {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of("-p", project));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(root.toFile());
        pb.environment().putAll(environment);
        Process p = pb.redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": still running after " + timeout);
            }
            return new Command.Result(argv, p.exitValue(), out.join(), "");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
