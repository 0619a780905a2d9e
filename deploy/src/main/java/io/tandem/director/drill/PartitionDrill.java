package io.tandem.director.drill;

import java.util.List;

/**
 * {@code docker network disconnect} of the master from the lan: its interface
 * goes away with the VIPs on it, the backup stops hearing adverts and takes
 * over. On {@code connect} (same address) the pair must settle on one master
 * again, with the client served.
 */
final class PartitionDrill implements Drill {
    private static final long PARTITION_MILLIS = 6000;
    private static final long WATCH_MILLIS = 20_000;
    private static final long SETTLED_MILLIS = 5000;

    @Override
    public String name() {
        return "partition";
    }

    @Override
    public String description() {
        return "Disconnect the master from the lan and connect it again: one master after the partition heals.";
    }

    @Override
    public void run(DrillStack stack, DrillReport report) throws Exception {
        String master = DrillSteps.steady(stack, report);
        String backup = DrillSteps.other(master);
        long cut = DrillSteps.now();
        report.event("docker network disconnect lan %s", master);
        stack.disconnect(master, StackAddresses.LAN_NETWORK);
        long healed;
        try {
            long took = DrillSteps.await(() -> stack.directorState(backup).equals("MASTER"), DrillSteps.TAKEOVER);
            report.event("%s is %s", backup, took < 0 ? "still " + stack.directorState(backup) : "MASTER");
            report.check(backup + " takes over from the cut-off master", took >= 0,
                    took >= 0 ? took + " ms after the disconnect" : stack.directorState(backup));
            Thread.sleep(Math.max(0, PARTITION_MILLIS - (DrillSteps.now() - cut)));
            ClientReport during = stack.clientReport(DrillSteps.now() - 2000);
            report.note("client", "during the partition, last 2 s: " + during.answered() + " answered, "
                    + during.failed() + " failed");
        } finally {
            report.event("docker network connect lan %s (%s)", master, StackAddresses.directorAddress(master));
            stack.connect(master, StackAddresses.LAN_NETWORK, StackAddresses.directorAddress(master));
            healed = DrillSteps.now();
        }
        MasterWatch watch = MasterWatch.during(stack, WATCH_MILLIS);
        report.event("after the heal: %s", watch.describe());
        List<List<String>> settled = watch.since(healed + WATCH_MILLIS - SETTLED_MILLIS);
        report.check("one master after the partition heals", !settled.isEmpty()
                && settled.stream().allMatch(m -> m.size() == 1) && settled.stream().distinct().count() == 1,
                watch.describe());
        String rejoined = stack.vrrpState(master);
        report.note("state", master + " " + stack.directorState(master) + " (VRRP " + rejoined + "), " + backup + " "
                + stack.directorState(backup) + " (VRRP " + stack.vrrpState(backup) + ")");
        ClientReport r = DrillSteps.client(stack, report, cut);
        ClientReport last = stack.clientReport(DrillSteps.now() - 3000);
        report.check("new connections are served after the heal", last.answered() > 0 && last.failed() == 0,
                last.answered() + " answered, " + last.failed() + " failed in the last 3 s");
        report.note("outage", r.longestOutageMillis() + " ms longest for new connections over the drill");
        DrillSteps.metrics(stack, report);
        if (!rejoined.equals("BACKUP") && !rejoined.equals("MASTER")) {
            // the interface came back as a new one (same name, new index): the director's sockets stay bound to
            // the old one; this is what the drill found, not what a pair should do
            report.note("finding", master + " did not rejoin after the heal (VRRP " + rejoined + "): its interface"
                    + " was replaced and it stays bound to the old one; restarting it");
            stack.stop(master, java.time.Duration.ofSeconds(15));
            stack.start(master);
        }
        DrillSteps.steady(stack, report);
    }
}
