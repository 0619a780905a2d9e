package io.tandem.director.drill;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The steps the drills share: waiting for a state, the steady state a drill
 * starts from (and leaves behind), and what the metrics say about the pair.
 */
final class DrillSteps {
    /** How long a pair may take to settle: JVM start, the first adverts, the first health checks. */
    static final Duration SETTLE = Duration.ofSeconds(90);
    /** A takeover at advert_int 0.5 takes about 2 s; this leaves room for a loaded machine. */
    static final Duration TAKEOVER = Duration.ofSeconds(15);
    /** The longest outage a client may see in a failover drill (master down interval ~1.8 s, plus ARP). */
    static final long OUTAGE_BOUND_MILLIS = 5000;

    private DrillSteps() {
    }

    static long now() {
        return System.currentTimeMillis();
    }

    /** Polls {@code condition} every 100 ms; the milliseconds it took, or -1 after {@code timeout}. */
    static long await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeout.toNanos()) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(100);
        }
        return -1;
    }

    static String other(String director) {
        return director.equals("director-a") ? "director-b" : "director-a";
    }

    /**
     * Waits for the steady state: exactly one master and the other director's VRRP instance BACKUP,
     * every real server up on the master, the client's new
     * connections all answered for 2 s, and its long-lived connections open and answering. Returns the master.
     */
    static String steady(DrillStack stack, DrillReport report) throws IOException, InterruptedException {
        String[] master = new String[1];
        long took = await(() -> {
            List<String> masters = stack.masters();
            if (masters.size() != 1) {
                return false;
            }
            master[0] = masters.getFirst();
            if (!stack.vrrpState(other(master[0])).equals("BACKUP")) {
                return false;
            }
            for (String rs : StackAddresses.REAL_SERVERS) {
                if (!stack.realServerHealth(master[0], StackAddresses.realServerAddress(rs)).startsWith("up")) {
                    return false;
                }
            }
            try {
                ClientReport r = stack.clientReport(now() - 2000);
                return r.answered() > 0 && r.failed() == 0 && r.openNow() > 0 && r.answering() == r.openNow();
            } catch (IOException e) {
                return false;
            }
        }, SETTLE);
        if (took < 0) {
            throw new IOException("the stack is not steady after " + SETTLE.toSeconds() + " s (expected: one master,"
                    + " the other BACKUP, all real servers up, the client served): masters " + stack.masters()
                    + ", VRRP director-a " + stack.vrrpState("director-a") + ", director-b "
                    + stack.vrrpState("director-b"));
        }
        report.event("steady: %s is MASTER, %s %s; all real servers up; the client is served", master[0],
                other(master[0]), stack.directorState(other(master[0])));
        return master[0];
    }

    /** The client's view of the window since {@code since}, as a note. */
    static ClientReport client(DrillStack stack, DrillReport report, long since) throws IOException {
        ClientReport r = stack.clientReport(since);
        report.note("client", r.summary());
        for (String b : r.broken()) {
            report.note("client", "broken: " + b);
        }
        return r;
    }

    /** What Prometheus says about the pair now: VRRP states, masterships taken, table entries. */
    static void metrics(DrillStack stack, DrillReport report) {
        query(stack, report, "keepalived_vrrp_state");
        query(stack, report, "increase(keepalived_become_master_total[2m])");
        query(stack, report, "tandem_connection_table_entries");
    }

    static void query(DrillStack stack, DrillReport report, String promql) {
        try {
            List<PromSample> samples = stack.query(promql);
            report.note("metrics", promql + " -> " + (samples.isEmpty() ? "no data" : samples.stream()
                    .map(s -> s.labels().getOrDefault("director", "?") + " " + PromSample.format(s.value()))
                    .toList()));
        } catch (IOException e) {
            report.note("metrics", promql + " -> " + e.getMessage());
        }
    }
}
