package io.tandem.director.drill;

import io.tandem.core.lab.Command;

/**
 * A configuration reload with a broken file, on the backup: {@code tandem
 * check-config} must refuse the file with {@code file:line}, and SIGHUP must
 * leave the director running on its old configuration, still backup, with
 * the client served, the reload counted as rejected and logged with
 * {@code file:line}; the good file then reloads. A build without SIGHUP reload shows it here: the JVM's
 * default for SIGHUP stops the director; the drill says so, marks the reload
 * checks not run, and starts the director again. Restarting the container
 * restores the good file (the entrypoint copies it from the stack's mount).
 */
final class ReloadDrill implements Drill {
    static final String CONFIG = "/etc/keepalived/keepalived.conf";
    static final String REJECTED = "tandem_config_reloads_total{result=\"rejected\"}";
    static final String OK = "tandem_config_reloads_total{result=\"ok\"}";
    /** An unterminated block and an out-of-range VRID after the good configuration. */
    static final String BREAKAGE = "\nvrrp_instance VI_BROKEN {\n    virtual_router_id 300\n";

    @Override
    public String name() {
        return "reload";
    }

    @Override
    public String description() {
        return "Put a broken keepalived.conf in place on the backup and send SIGHUP: refused, old configuration kept.";
    }

    @Override
    public void run(DrillStack stack, DrillReport report) throws Exception {
        String master = DrillSteps.steady(stack, report);
        String backup = DrillSteps.other(master);
        String good = stack.exec(backup, "cat", CONFIG).orThrow().stdout();
        String broken = good + BREAKAGE;
        stack.write(backup, "/tmp/broken.conf", broken);
        Command.Result check = stack.exec(backup, "tandem", "check-config", "-f", "/tmp/broken.conf");
        String said = (check.stdout() + check.stderr()).strip();
        report.event("tandem check-config -f broken.conf: exit %d: %s", check.exitCode(), said.replace('\n', ' '));
        report.check("check-config refuses the broken file with file:line", check.exitCode() != 0
                && said.contains("/tmp/broken.conf:"), "exit " + check.exitCode());
        long hup = DrillSteps.now();
        double rejectedBefore = stack.sample(backup, REJECTED);
        try {
            stack.write(backup, CONFIG, broken);
            report.event("broken file in place on %s; docker kill --signal HUP %s", backup, backup);
            stack.kill(backup, "HUP");
            Thread.sleep(3000);
            String container = stack.containerState(backup);
            String state = stack.directorState(backup);
            report.event("%s: container %s, director %s", backup, container, state);
            if (!container.equals("running")) {
                report.notRun("SIGHUP keeps the director running on its old configuration",
                        "SIGHUP stopped the director (container " + container + "): this build has no SIGHUP reload,"
                                + " the JVM's default for the signal is to exit");
            } else {
                report.check("the director keeps running as backup after the refused reload",
                        state.equals("BACKUP") && stack.directorState(master).equals("MASTER"),
                        backup + " " + state + ", " + master + " " + stack.directorState(master));
                double rejected = stack.sample(backup, REJECTED);
                report.check("the reload is counted as rejected", rejected == rejectedBefore + 1,
                        REJECTED + " " + PromSample.format(rejectedBefore) + " -> " + PromSample.format(rejected));
                String log = stack.logsSince(backup, hup);
                java.util.regex.Pattern fileLine = java.util.regex.Pattern.compile(
                        java.util.regex.Pattern.quote(CONFIG) + ":\\d+: error");
                report.check("the director logs what is wrong with file:line",
                        log.lines().anyMatch(l -> fileLine.matcher(l).find()),
                        log.lines().filter(l -> fileLine.matcher(l).find()).findFirst()
                                .orElse("no line with " + CONFIG + ":LINE: error"));
                stack.write(backup, CONFIG, good);
                double okBefore = stack.sample(backup, OK);
                report.event("good file back on %s; docker kill --signal HUP %s", backup, backup);
                stack.kill(backup, "HUP");
                long accepted = DrillSteps.await(() -> {
                    try {
                        return stack.sample(backup, OK) == okBefore + 1;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }, java.time.Duration.ofSeconds(15));
                report.check("the good file reloads and the director stays backup", accepted >= 0
                        && stack.directorState(backup).equals("BACKUP"), (accepted >= 0 ? "accepted after "
                        + accepted + " ms" : "not accepted") + ", " + backup + " " + stack.directorState(backup));
            }
            ClientReport r = DrillSteps.client(stack, report, hup);
            report.check("the client is served throughout", r.failed() == 0 && r.answered() > 0,
                    r.answered() + " answered, " + r.failed() + " failed");
        } finally {
            if (stack.containerState(backup).equals("running")) {
                stack.write(backup, CONFIG, good);
                report.event("good file back in place on %s", backup);
            } else {
                report.event("docker start %s (its entrypoint puts the good file back)", backup);
                stack.start(backup);
            }
        }
        DrillSteps.await(() -> stack.directorState(backup).equals("BACKUP"), DrillSteps.SETTLE);
        DrillSteps.steady(stack, report);
    }
}
