package io.tandem.director.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code tandem version}: the program's version, the Java runtime and the OS. */
@Command(name = "version", description = "Print the version of Tandem and of the Java runtime.")
public final class VersionCommand implements Runnable {

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    /** Shared with {@code tandem --version}. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "tandem " + version(),
                "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "os " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                        + " " + System.getProperty("os.arch"),
            };
        }
    }
}
