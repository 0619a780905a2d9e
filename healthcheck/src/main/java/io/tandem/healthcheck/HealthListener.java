package io.tandem.healthcheck;

/** Receives health events, on the health checker's event loop, in the order they happened. */
@FunctionalInterface
public interface HealthListener {
    void onEvent(HealthEvent event);
}
