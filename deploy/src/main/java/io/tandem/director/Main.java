package io.tandem.director;

import io.tandem.director.cli.TandemCommand;
import picocli.CommandLine;

/** Entry point of the {@code tandem} program (see {@code bin/tandem}). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TandemCommand()).execute(args));
    }
}
