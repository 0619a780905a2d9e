package io.tandem.director.drill;

import java.time.Duration;
import java.util.List;

/**
 * A rolling restart of both directors, the way an upgrade goes: the backup
 * first ({@code docker stop}: SIGTERM, then start; it asks the master for the
 * whole connection table), then the master (its priority-0 advert hands over
 * at once). Never two masters, the client's established connections survive
 * both restarts, new ones are served throughout.
 */
final class RollingRestartDrill implements Drill {
    private static final Duration GRACE = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "rolling-restart";
    }

    @Override
    public String description() {
        return "Restart the backup, then the master (SIGTERM): never two masters, established connections survive.";
    }

    @Override
    public void run(DrillStack stack, DrillReport report) throws Exception {
        String master = DrillSteps.steady(stack, report);
        String backup = DrillSteps.other(master);
        Thread.sleep(1000);
        long start = DrillSteps.now();
        MasterWatch watch = new MasterWatch();
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                watch.add(DrillSteps.now(), stack.masters());
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            for (String director : List.of(backup, master)) {
                String peer = DrillSteps.other(director);
                report.event("docker stop %s (SIGTERM)", director);
                stack.stop(director, GRACE);
                long took = DrillSteps.await(() -> stack.directorState(peer).equals("MASTER"), DrillSteps.TAKEOVER);
                report.event("%s stopped; %s is %s", director, peer, stack.directorState(peer));
                report.check(peer + " is master while " + director + " is down", took >= 0,
                        took >= 0 ? "after " + took + " ms" : stack.directorState(peer));
                report.event("docker start %s", director);
                stack.start(director);
                long back = DrillSteps.await(() -> stack.directorState(director).equals("BACKUP"),
                        DrillSteps.SETTLE);
                report.event("%s is %s", director, stack.directorState(director));
                report.check(director + " comes back as backup", back >= 0,
                        back >= 0 ? back + " ms after the start" : stack.directorState(director));
                Thread.sleep(3000); // its bulk resync, and a little steady traffic
            }
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        report.event("masters over the restart: %s", watch.describe());
        report.check("never two masters", watch.twoMasters() == 0, watch.twoMasters() + " samples with two");
        ClientReport r = DrillSteps.client(stack, report, start);
        report.check("established connections survive both restarts", r.established() > 0 && r.broken().isEmpty(),
                r.kept() + " of " + r.established() + " kept, longest stall " + r.longestStallMillis() + " ms");
        report.check("client outage below " + DrillSteps.OUTAGE_BOUND_MILLIS + " ms",
                r.longestOutageMillis() < DrillSteps.OUTAGE_BOUND_MILLIS, r.longestOutageMillis() + " ms");
        DrillSteps.metrics(stack, report);
        DrillSteps.steady(stack, report);
    }
}
