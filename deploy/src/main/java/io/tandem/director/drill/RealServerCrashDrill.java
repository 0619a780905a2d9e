package io.tandem.director.drill;

import java.util.List;

/**
 * {@code docker kill} of a real server: the master's health check drains it
 * (weight 0), the client's new connections go to the others, and Prometheus's
 * real-server-down alert becomes pending. Started again, it is used again.
 */
final class RealServerCrashDrill implements Drill {
    static final String VICTIM = "rs1";
    /** delay_loop 1 and a 1 s connect timeout: detected within about 2 s; room for a loaded machine. */
    private static final java.time.Duration DETECTION = java.time.Duration.ofSeconds(15);

    @Override
    public String name() {
        return "real-server-crash";
    }

    @Override
    public String description() {
        return "Kill real server rs1: drained by its health check, the client served by the others, the alert raised.";
    }

    @Override
    public void run(DrillStack stack, DrillReport report) throws Exception {
        String master = DrillSteps.steady(stack, report);
        String address = StackAddresses.realServerAddress(VICTIM);
        long crash = DrillSteps.now();
        report.event("docker kill %s (%s)", VICTIM, address);
        stack.kill(VICTIM);
        try {
            long took = DrillSteps.await(() -> stack.realServerHealth(master, address).startsWith("down"),
                    DETECTION);
            report.event("%s says %s is %s", master, VICTIM, stack.realServerHealth(master, address));
            report.check("the master drains " + VICTIM, took >= 0, took >= 0 ? "down after " + took + " ms"
                    : stack.realServerHealth(master, address));
            long drained = DrillSteps.now();
            Thread.sleep(4000);
            DrillSteps.client(stack, report, crash);
            ClientReport after = stack.clientReport(drained + 500);
            report.check("new connections are served by the others", after.failed() == 0 && after.answered() > 0
                    && !after.answeredBy().containsKey(VICTIM), after.answered() + " answered by "
                    + after.answeredBy() + ", " + after.failed() + " failed since it was drained");
            long alert = DrillSteps.await(() -> alertFor(stack, address), DETECTION);
            report.check("Prometheus raises TandemRealServerDown for " + address, alert >= 0,
                    alert >= 0 ? "pending or firing " + alert + " ms after the drain" : "no such alert");
            DrillSteps.query(stack, report, "node_ipvs_backend_weight{remote_address=\"" + address + "\"}");
            DrillSteps.query(stack, report, "tandem_healthcheck_real_server_up{real_server=~\"" + address + ".*\"}");
        } finally {
            report.event("docker start %s", VICTIM);
            stack.start(VICTIM);
        }
        long up = DrillSteps.await(() -> stack.realServerHealth(master, address).startsWith("up"), DETECTION);
        report.check(VICTIM + " is up again", up >= 0, up >= 0 ? up + " ms after the start"
                : stack.realServerHealth(master, address));
        long used = DrillSteps.await(() -> {
            try {
                return stack.clientReport(DrillSteps.now() - 1000).answeredBy().containsKey(VICTIM);
            } catch (java.io.IOException e) {
                return false;
            }
        }, DETECTION);
        report.check("the client is served by " + VICTIM + " again", used >= 0,
                used >= 0 ? "within " + used + " ms" : "not yet");
        DrillSteps.steady(stack, report);
    }

    private static boolean alertFor(DrillStack stack, String address) {
        try {
            List<PromSample> alerts = stack.query("ALERTS{alertname=\"TandemRealServerDown\"}");
            return alerts.stream().anyMatch(a -> a.labels().values().stream().anyMatch(v -> v.startsWith(address)));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
