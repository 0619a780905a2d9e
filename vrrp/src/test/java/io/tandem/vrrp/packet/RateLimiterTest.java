package io.tandem.vrrp.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private long now = 5;

    @Test
    void oneEventPerIntervalAndTheRestCounted() {
        RateLimiter limiter = new RateLimiter(100, () -> now);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.drainSuppressed()).isZero();
        now = 50;
        assertThat(limiter.tryAcquire()).isFalse();
        now = 104;
        assertThat(limiter.tryAcquire()).isFalse();
        now = 105;
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.drainSuppressed()).isEqualTo(2);
        assertThat(limiter.drainSuppressed()).isZero();
    }

    @Test
    void rejectsANonPositiveInterval() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimiter(0, () -> now))
                .withMessage("invalid interval: 0 ns (expected: > 0)");
    }
}
