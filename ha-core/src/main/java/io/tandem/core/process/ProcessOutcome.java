package io.tandem.core.process;

/** How a command run by {@link ProcessRunner} ended. */
public sealed interface ProcessOutcome {

    /** It exited with {@code code} (a signal death is 128 + signal, as a shell reports it). */
    record Exited(int code) implements ProcessOutcome {
    }

    /** It ran past its timeout and was killed with its children. */
    record TimedOut(long pid) implements ProcessOutcome {
    }

    /** It could not be started. */
    record NotStarted(String reason) implements ProcessOutcome {
    }
}
