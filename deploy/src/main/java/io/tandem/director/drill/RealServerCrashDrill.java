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
            long took = DrillSteps.await(() -> stack.realServerHealth(master, address).equals("down 0"), DETECTION);
            report.event("%s says %s is %s", master, VICTIM, stack.realServerHealth(master, address));
            report.check("the master drains " + VICTIM, took >= 0, took >= 0 ? "down after " + took + " ms"
                    : stack.realServerHealth(master, address));
            long drained = DrillSteps.now();
            // A SYN whose 4-tuple is still in the table (a client that reuses the source port of a connect that
            // timed out on the dead server) goes where that entry points until it expires, as in IPVS without
            // expire_nodest_conn: the client may see failures for a while after the drain. The check is when
            // they stop: 2 s without a failure, none answered by the drained server.
            long clean = DrillSteps.await(() -> {
                try {
                    ClientReport w = stack.clientReport(DrillSteps.now() - 2000);
                    return w.failed() == 0 && w.answered() > 0 && !w.answeredBy().containsKey(VICTIM);
                } catch (java.io.IOException e) {
                    return false;
                }
            }, java.time.Duration.ofSeconds(20));
            long served = DrillSteps.now();
            DrillSteps.client(stack, report, crash);
            ClientReport after = stack.clientReport(drained);
            report.check("new connections are all served by the others again", clean >= 0,
                    clean >= 0 ? "2 s without a failure " + (served - drained) + " ms after the drain; since the drain "
                            + after.failed() + " failed " + after.failures() + ", the last "
                            + Math.max(0, after.lastFailureAt() - drained) + " ms after it"
                            : "still failing 20 s after the drain: " + after.failures());
            long alert = DrillSteps.await(() -> alertFor(stack, address), DETECTION);
            report.check("Prometheus raises TandemRealServerDown for " + address, alert >= 0,
                    alert >= 0 ? "pending or firing " + alert + " ms after the drain" : "no such alert");
            Thread.sleep(3000); // a scrape after the drain
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
