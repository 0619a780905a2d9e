package io.tandem.director.drill;

/**
 * {@code docker kill} of the master (SIGKILL: no priority-0 advert, nothing
 * cleaned up). The backup takes over when its Master_Down_Timer fires, with
 * the connection table it was sent: the client's established connections go
 * on and new ones are served. The killed director is started again and comes
 * back as backup ({@code nopreempt}).
 */
final class MasterCrashDrill implements Drill {
    @Override
    public String name() {
        return "master-crash";
    }

    @Override
    public String description() {
        return "Kill the master (SIGKILL); the backup takes over, established connections survive.";
    }

    @Override
    public void run(DrillStack stack, DrillReport report) throws Exception {
        String master = DrillSteps.steady(stack, report);
        String backup = DrillSteps.other(master);
        Thread.sleep(1000); // the standby has the long-lived connections by now (sync batches are milliseconds)
        long crash = DrillSteps.now();
        report.event("docker kill %s (SIGKILL)", master);
        stack.kill(master);
        try {
            long took = DrillSteps.await(() -> stack.directorState(backup).equals("MASTER"), DrillSteps.TAKEOVER);
            report.event("%s is %s", backup, took < 0 ? "still " + stack.directorState(backup) : "MASTER");
            report.check(backup + " takes over within " + DrillSteps.TAKEOVER.toSeconds() + " s", took >= 0,
                    took >= 0 ? took + " ms after the kill" : stack.directorState(backup));
            Thread.sleep(5000);
            ClientReport r = DrillSteps.client(stack, report, crash);
            report.check("established connections survive", r.established() > 0 && r.broken().isEmpty(),
                    r.kept() + " of " + r.established() + " kept, longest stall " + r.longestStallMillis() + " ms");
            report.check("client outage below " + DrillSteps.OUTAGE_BOUND_MILLIS + " ms",
                    r.longestOutageMillis() < DrillSteps.OUTAGE_BOUND_MILLIS, r.longestOutageMillis() + " ms");
            ClientReport last = stack.clientReport(DrillSteps.now() - 3000);
            report.check("new connections are served by " + backup, last.answered() > 0 && last.failed() == 0,
                    last.answered() + " answered, " + last.failed() + " failed in the last 3 s");
            DrillSteps.metrics(stack, report);
        } finally {
            report.event("docker start %s", master);
            stack.start(master);
        }
        long back = DrillSteps.await(() -> stack.directorState(master).equals("BACKUP"), DrillSteps.SETTLE);
        report.check(master + " comes back as backup", back >= 0, back >= 0 ? back + " ms after the start"
                : stack.directorState(master));
        DrillSteps.steady(stack, report);
    }
}
