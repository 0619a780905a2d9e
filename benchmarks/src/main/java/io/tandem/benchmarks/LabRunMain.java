package io.tandem.benchmarks;

/**
 * The shape of a lab benchmark's {@code main}: run it, clean up what it made on every path
 * (also when the JVM is stopped by a signal, through a shutdown hook), exit 0 or 1.
 */
final class LabRunMain {
    /** The benchmark's run, which may throw. */
    interface Run {
        void run() throws Exception;
    }

    private LabRunMain() {
    }

    static void runAndExit(String name, Run run, Runnable cleanup) {
        Thread hook = Thread.ofPlatform().name(name + "-cleanup").unstarted(cleanup);
        Runtime.getRuntime().addShutdownHook(hook);
        int rc = 0;
        try {
            run.run();
        } catch (Exception e) {
            e.printStackTrace();
            rc = 1;
        } finally {
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        System.exit(rc);
    }
}
