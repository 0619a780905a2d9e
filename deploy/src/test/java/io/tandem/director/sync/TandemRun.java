package io.tandem.director.sync;

import io.tandem.core.lab.Command;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabProcess;
import io.tandem.director.run.JsonReader;
import io.tandem.director.run.StatusReport;
import io.tandem.forwarder.api.ServiceSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lab-test support: a real {@code tandem run -f FILE} process in a lab namespace (this test
 * JVM's class path, as the distribution would run it), its admin endpoint on 127.0.0.1:9165
 * of that namespace, and waiting for what /status says.
 */
public final class TandemRun {
    /** The director's state in /status. */
    public static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");
    /** The entries in the director's connection table, in /status. */
    public static final Pattern CONNECTIONS = Pattern.compile("\"connections\"\\s*:\\s*(\\d+)");

    private TandemRun() {
    }

    /** The command line of {@code tandem ARGS} on this JVM and class path. */
    public static List<String> command(String... args) {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tandem.director.Main"));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Starts {@code tandem run -f conf} in {@code host}'s namespace, logging to {@code log}. */
    public static LabProcess start(LabHost host, Path conf, Path log, String... options) throws IOException {
        List<String> argv = command("run", "-f", conf.toString());
        argv.addAll(List.of(options));
        return host.start(argv, log);
    }

    /** Sends {@code signal} ({@code HUP}, {@code TERM} ...) to the process, by its pid. */
    public static void signal(LabProcess process, String signal) throws IOException {
        Command.run(List.of("kill", "-" + signal, Long.toString(process.pid())), Duration.ofSeconds(5)).orThrow();
    }

    /** GET {@code path} from the admin endpoint in {@code host}'s namespace; "" when it does not answer. */
    public static String get(LabHost host, String path) throws Exception {
        return host.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", 9165), 1000);
                s.setSoTimeout(10_000); // a first /metrics scrape on a busy machine can take seconds
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    public static String status(LabHost host) throws Exception {
        return get(host, "/status");
    }

    /**
     * How long {@link #awaitStatus} waits: a director starting on a loaded, shared 2-core machine
     * (other builds and labs running) has taken over 20 s to answer.
     */
    public static final long AWAIT_SECONDS = 60;

    /** Waits up to {@link #AWAIT_SECONDS} for the director's state (MASTER, BACKUP). */
    public static void awaitState(LabHost host, String state) throws Exception {
        awaitStatus(host, "state " + state, s -> {
            Matcher m = STATE.matcher(s);
            return m.find() && m.group(1).equals(state);
        });
    }

    /**
     * Waits for a VRRP instance's own state in /status's {@code vrrp_instances} (the director's
     * state reads BACKUP before its VRRP engine has even started).
     */
    public static void awaitVrrp(LabHost host, String instance, String state) throws Exception {
        Pattern p = Pattern.compile("\"" + Pattern.quote(instance) + "\"\\s*:\\s*\"([A-Z]+)\"");
        awaitStatus(host, "VRRP " + instance + " state " + state, s -> {
            Matcher m = p.matcher(s);
            return m.find() && m.group(1).equals(state);
        });
    }

    /** Waits up to {@link #AWAIT_SECONDS} for /status to satisfy {@code condition}; fails with the last /status. */
    public static void awaitStatus(LabHost host, String what, Predicate<String> condition) throws Exception {
        long end = System.nanoTime() + AWAIT_SECONDS * 1_000_000_000L;
        String last = "";
        while (System.nanoTime() < end) {
            last = status(host);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(host.name() + ": no " + what + " within " + AWAIT_SECONDS + " s; last /status: "
                + last);
    }

    /** The lines of the processes' logs that tell what happened: transitions, sync, reloads, warnings, errors. */
    public static String logs(LabProcess... processes) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (LabProcess p : processes) {
            if (p == null) {
                continue;
            }
            sb.append("--- ").append(p.logFile().getFileName()).append('\n');
            Files.readAllLines(p.logFile()).stream()
                    .filter(l -> l.contains(" -> ") || l.contains("sync") || l.contains("reload")
                            || l.contains("WARN") || l.contains("ERROR"))
                    .forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    /** Closes what a test opened, last first, whatever fails; the lab removes the namespaces. */
    public static void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    /** The first number {@code p}'s group 1 finds in {@code s}, or -1. */
    public static long number(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The services of /status with their real servers and weights, one line each (no counters). */
    @SuppressWarnings("unchecked")
    public static List<String> services(LabHost host) throws Exception {
        String status = status(host);
        Map<String, Object> doc = (Map<String, Object>) JsonReader.read(status.substring(status.indexOf('{')));
        return StatusReport.services(doc).stream().map(TandemRun::describe).toList();
    }

    private static String describe(ServiceSnapshot s) {
        return s.address().getHostAddress() + ":" + s.port() + " " + s.scheduler() + " " + s.realServers().stream()
                .map(r -> r.address().getHostAddress() + ":" + r.port() + " " + r.method() + " w" + r.weight())
                .collect(Collectors.joining(", "));
    }

    /** The VRRP series that move with a transition: state changes, becoming master, priority-0 adverts. */
    public static String vrrpCounters(LabHost host) throws Exception {
        return TandemRun.get(host, "/metrics").lines()
                .filter(l -> l.startsWith("tandem_vrrp_transitions_total") || l.startsWith("keepalived_become_master")
                        || l.startsWith("keepalived_release_master") || l.startsWith("keepalived_priority_zero_sent")
                        || l.startsWith("keepalived_vrrp_state"))
                .sorted().collect(Collectors.joining("\n"));
    }

    /** The 1-based number of the first line of {@code text} that contains {@code needle}. */
    public static int lineOf(String text, String needle) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(needle + " not in the configuration");
    }
}
