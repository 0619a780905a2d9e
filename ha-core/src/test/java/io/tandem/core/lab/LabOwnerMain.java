package io.tandem.core.lab;

import java.nio.file.Path;

/**
 * A separate JVM that builds a lab and then leaves without closing it, so that
 * {@link LabLifecycleTest} can watch the shutdown hook (mode {@code exit}) or
 * {@link LabRegistry#cleanupStale()} (mode {@code hang}, then SIGKILL) remove it.
 * Arguments: record directory, mode. Prints {@code PREFIX <prefix>} once the lab is up.
 */
public final class LabOwnerMain {
    private LabOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        Lab lab = Lab.create(LabOptions.defaults().withRealServers(1).withDirectors(false)
                .withRecordDirectory(Path.of(args[0])));
        System.out.println("PREFIX " + lab.prefix());
        System.out.flush();
        if (args[1].equals("exit")) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
