package io.tandem.director.drill;

/**
 * One failure rehearsed on the running drill stack: it starts from the steady
 * state, does harm, reports what the client, the directors and the metrics
 * saw, checks it, and leaves the stack steady again, also when a check fails.
 */
interface Drill {
    /** The command's name ({@code tandem drill NAME}). */
    String name();

    /** One line for the help. */
    String description();

    void run(DrillStack stack, DrillReport report) throws Exception;
}
