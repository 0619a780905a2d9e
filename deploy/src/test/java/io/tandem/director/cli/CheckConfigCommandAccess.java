package io.tandem.director.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/** Test access to {@link CheckConfigCommand#check} from other packages. */
public final class CheckConfigCommandAccess {
    private CheckConfigCommandAccess() {
    }

    public static int check(Path file, PrintStream out) {
        return CheckConfigCommand.check(file, "test", out);
    }
}
