package io.tandem.director.cli;

import io.tandem.director.drill.DrillClient;
import io.tandem.director.drill.DrillReport;
import io.tandem.director.drill.DrillStack;
import io.tandem.director.drill.Drills;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem drill NAME}: a failover drill on the running compose stack
 * (compose.yaml at the repository's root), with a report; and {@code tandem
 * drill client}, the stack's traffic client.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Run a failover drill on the running compose drill stack and report what the client saw.",
        subcommands = {DrillCommand.Client.class, DrillCommand.Queries.class})
public final class DrillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DRILL",
            description = "master-crash, master-freeze, partition, real-server-crash, rolling-restart, reload, or all.")
    String drill;

    @Option(names = "--project", paramLabel = "NAME",
            description = "The compose project (default: the one running project with a director-a).")
    String project;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (drill == null) {
            out.println("drills:");
            for (String name : Drills.names()) {
                out.printf("  %-18s %s%n", name, Drills.description(name));
            }
            out.flush();
            return 0;
        }
        if (!drill.equals("all") && !Drills.names().contains(drill)) {
            spec.commandLine().getErr().printf("tandem drill: unknown drill: %s (expected: one of %s or all)%n",
                    drill, Drills.names());
            return 2;
        }
        try (DrillStack stack = DrillStack.find(project)) {
            List<DrillReport> reports = drill.equals("all") ? Drills.runAll(stack, out)
                    : List.of(Drills.run(drill, stack, out));
            if (reports.size() > 1) {
                out.println();
                reports.forEach(r -> out.println(r.verdict()));
            }
            out.flush();
            return reports.stream().allMatch(DrillReport::passed) ? 0 : 1;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("tandem drill: " + e.getMessage());
            return 1;
        }
    }

    /** {@code tandem drill queries}: every shipped dashboard and alert expression against a Prometheus. */
    @Command(name = "queries", mixinStandardHelpOptions = true,
            description = "Evaluate every PromQL expression of the shipped Grafana dashboards and alert rules against"
                    + " a Prometheus that scrapes running directors; exit 1 when one fails or a dashboard query has"
                    + " no data.")
    static final class Queries implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus (default: the drill stack's, "
                + "http://10.78.0.9:9090).")
        String prometheus;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "deploy/compose",
                description = "The folder with grafana/dashboards/*.json and prometheus/alerts.yml"
                        + " (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path dir;

        @Option(names = "--wait-seconds", paramLabel = "S", defaultValue = "0",
                description = "Ask again for up to S seconds for queries without data yet (default: ${DEFAULT-VALUE}).")
        int waitSeconds;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<io.tandem.director.drill.QueryCheck.Result> results;
            try (var client = new io.tandem.director.drill.PrometheusClient(
                    prometheus != null ? prometheus : DrillStack.prometheusUrl())) {
                results = io.tandem.director.drill.QueryCheck.run(client, dir, waitSeconds * 1000L, out);
            } catch (java.io.IOException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("tandem drill queries: " + e.getMessage());
                return 2;
            }
            long failed = results.stream().filter(r -> !r.passed()).count();
            out.printf("queries: %d ok, %d failed%n", results.size() - failed, failed);
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    /** {@code tandem drill client}: keeps traffic flowing to a virtual service and reports on HTTP. */
    @Command(name = "client", mixinStandardHelpOptions = true,
            description = "Keep new and long-lived connections flowing to a virtual service; GET /report?since=MILLIS"
                    + " on --listen says what they saw.")
    static final class Client implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--target", required = true, paramLabel = "IP:PORT", description = "The virtual service.")
        String target;

        @Option(names = "--listen", required = true, paramLabel = "IP:PORT", description = "The report's address.")
        String listen;

        @Option(names = "--interval-ms", defaultValue = "50", paramLabel = "MS",
                description = "A new connection every MS milliseconds (default: ${DEFAULT-VALUE}).")
        int intervalMillis;

        @Option(names = "--kept", defaultValue = "4", paramLabel = "N",
                description = "Long-lived keep-alive connections (default: ${DEFAULT-VALUE}).")
        int kept;

        @Option(names = "--kept-interval-ms", defaultValue = "200", paramLabel = "MS",
                description = "A request on each long-lived connection every MS milliseconds (default: ${DEFAULT-VALUE}).")
        int keptIntervalMillis;

        @Override
        public Integer call() throws Exception {
            InetSocketAddress t = address("--target", target);
            InetSocketAddress l = address("--listen", listen);
            if (intervalMillis < 1 || keptIntervalMillis < 1 || kept < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "invalid interval or count: " + intervalMillis + " ms, " + kept + " x " + keptIntervalMillis
                                + " ms (expected: intervals of at least 1 ms, a count of at least 0)");
            }
            CountDownLatch stopped = new CountDownLatch(1);
            DrillClient client = DrillClient.start(t, l, Duration.ofMillis(intervalMillis), DrillClient.TIMEOUT, kept,
                    Duration.ofMillis(keptIntervalMillis));
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                client.close();
                stopped.countDown();
            }));
            System.out.printf("drill client: new connections to %s every %d ms, %d long-lived; report on http://%s/report%n",
                    target, intervalMillis, kept, listen);
            System.out.flush();
            stopped.await();
            return 0;
        }

        private InetSocketAddress address(String option, String value) {
            int colon = value.lastIndexOf(':');
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (colon < 1 || port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new InetSocketAddress(value.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "invalid " + option + ": "
                        + value + " (expected: IP:PORT with a port of 1 ~ 65535)");
            }
        }
    }
}
