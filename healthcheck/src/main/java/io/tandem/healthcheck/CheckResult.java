package io.tandem.healthcheck;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The outcome of one check attempt: success, or a failure with its reason and
 * a detail naming the value seen and what was expected. A MISC_CHECK with
 * {@code misc_dynamic} may also report a new weight.
 */
public record CheckResult(FailureReason reason, String detail, OptionalInt dynamicWeight) {

    public CheckResult {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(dynamicWeight, "dynamicWeight");
        if (reason != FailureReason.NONE && dynamicWeight.isPresent()) {
            throw new IllegalArgumentException("a failed check carries no weight: " + dynamicWeight);
        }
    }

    private static final CheckResult OK = new CheckResult(FailureReason.NONE, "", OptionalInt.empty());

    public static CheckResult ok() {
        return OK;
    }

    /** A success that sets the real server's weight ({@code misc_dynamic}). */
    public static CheckResult ok(int weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("invalid weight: " + weight + " (expected: >= 0)");
        }
        return new CheckResult(FailureReason.NONE, "", OptionalInt.of(weight));
    }

    public static CheckResult failed(FailureReason reason, String detail) {
        if (reason == FailureReason.NONE) {
            throw new IllegalArgumentException("a failure needs a reason other than NONE");
        }
        return new CheckResult(reason, detail, OptionalInt.empty());
    }

    public boolean success() {
        return reason == FailureReason.NONE;
    }

    @Override
    public String toString() {
        return success() ? "OK" + (dynamicWeight.isPresent() ? " weight=" + dynamicWeight.getAsInt() : "")
                : reason + ": " + detail;
    }
}
