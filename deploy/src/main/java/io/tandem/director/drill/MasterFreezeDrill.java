package io.tandem.director.drill;

import java.util.List;

/**
 * {@code docker pause} of the master: the stale-master case. The frozen
 * director still holds the VIPs and its steering rules but says nothing; the
 * backup takes over. On {@code unpause} the old master wakes up believing it
 * is master, and the pair must settle on exactly one master again (the higher
 * priority wins and announces the addresses again), with the client served.
 */
final class MasterFreezeDrill implements Drill {
    private static final long FROZEN_MILLIS = 6000;
    private static final long WATCH_MILLIS = 10_000;
    private static final long SETTLED_MILLIS = 5000;

    @Override
    public String name() {
        return "master-freeze";
    }

    @Override
    public String description() {
        return "Freeze the master (docker pause) and thaw it: exactly one master afterwards, the client served.";
    }

    @Override
    public void run(DrillStack stack, DrillReport report) throws Exception {
        String master = DrillSteps.steady(stack, report);
        String backup = DrillSteps.other(master);
        long frozen = DrillSteps.now();
        report.event("docker pause %s", master);
        stack.pause(master);
        long thawed;
        try {
            long took = DrillSteps.await(() -> stack.directorState(backup).equals("MASTER"), DrillSteps.TAKEOVER);
            report.event("%s is %s", backup, took < 0 ? "still " + stack.directorState(backup) : "MASTER");
            report.check(backup + " takes over from the frozen master", took >= 0,
                    took >= 0 ? took + " ms after the pause" : stack.directorState(backup));
            Thread.sleep(Math.max(0, FROZEN_MILLIS - (DrillSteps.now() - frozen)));
        } finally {
            report.event("docker unpause %s", master);
            stack.unpause(master);
            thawed = DrillSteps.now();
        }
        MasterWatch watch = MasterWatch.during(stack, WATCH_MILLIS);
        report.event("after the thaw: %s", watch.describe());
        List<List<String>> settled = watch.since(thawed + WATCH_MILLIS - SETTLED_MILLIS);
        report.check("exactly one master once settled (the last " + SETTLED_MILLIS / 1000 + " s of "
                + WATCH_MILLIS / 1000 + " s)", !settled.isEmpty() && settled.stream().allMatch(m -> m.size() == 1)
                && settled.stream().distinct().count() == 1, watch.describe());
        ClientReport r = DrillSteps.client(stack, report, frozen);
        ClientReport last = stack.clientReport(DrillSteps.now() - 3000);
        report.check("new connections are served after the thaw", last.answered() > 0 && last.failed() == 0,
                last.answered() + " answered, " + last.failed() + " failed in the last 3 s");
        report.note("outage", r.longestOutageMillis() + " ms longest for new connections over the drill;"
                + " long-lived connections kept " + r.kept() + " of " + r.established());
        DrillSteps.metrics(stack, report);
        DrillSteps.steady(stack, report);
    }
}
