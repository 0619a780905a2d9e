package io.tandem.vrrp.engine;

import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.RateLimiter;
import io.tandem.vrrp.packet.VrrpDropListener;
import io.tandem.vrrp.packet.VrrpDropReason;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of receiving (after {@link io.tandem.vrrp.packet.VrrpDecoder}): hands each
 * advertisement to the instance configured for its interface, family and VRID (RFC 9568
 * §7.1 "the VRID is configured on the receiving interface"), or counts it as
 * {@link VrrpDropReason#UNKNOWN_VRID}. Runs on the instances' event loop; looking an
 * instance up allocates nothing.
 */
public final class VrrpAdvertisementDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpAdvertisementDispatcher.class);

    private final VrrpInstanceTable instances;
    private final VrrpDropListener drops;
    private final RateLimiter logLimiter;

    /**
     * @param instances the configured instances
     * @param drops     counts advertisements for unknown VRIDs
     * @param nanoClock the clock of the log rate limit (one line per 10 s)
     */
    public VrrpAdvertisementDispatcher(VrrpInstanceTable instances, VrrpDropListener drops, LongSupplier nanoClock) {
        this.instances = Objects.requireNonNull(instances, "instances");
        this.drops = Objects.requireNonNull(drops, "drops");
        this.logLimiter = new RateLimiter(TimeUnit.SECONDS.toNanos(10), nanoClock);
    }

    public void dispatch(InboundAdvertisement msg) {
        var advertisement = msg.advertisement();
        VrrpInstance instance = instances.find(msg.interfaceName(), advertisement.family(), advertisement.vrid());
        if (instance == null) {
            drops.dropped(VrrpDropReason.UNKNOWN_VRID, msg.interfaceName(), advertisement.vrid());
            if (logLimiter.tryAcquire()) {
                LOG.warn("dropped advertisement from {} on {}: invalid vrid: {} (expected: a configured {} vrid);"
                        + " {} more suppressed", msg.source().getHostAddress(), msg.interfaceName(),
                        advertisement.vrid(), advertisement.family(), logLimiter.drainSuppressed());
            }
        } else {
            instance.onAdvertisement(msg);
        }
    }
}
