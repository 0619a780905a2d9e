package io.tandem.vrrp.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.vrrp.AdvertTransmitter;
import io.tandem.vrrp.MastershipFence;
import io.tandem.vrrp.VipOwner;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpStateChange;
import io.tandem.vrrp.VrrpStateListener;
import io.tandem.vrrp.metrics.VrrpInstanceMetrics;
import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.RateLimiter;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.packet.VrrpAuthType;
import io.tandem.vrrp.packet.VrrpDropReason;
import io.tandem.vrrp.packet.VrrpVersion;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one virtual router (RFC 9568 §6 for VRRPv3, RFC 3768 §6 for
 * VRRPv2) plus keepalived's FAULT state, trackers, preempt_delay and startup delay.
 *
 * <p>Every state change goes through {@link #transition}, which runs the new state's
 * entry action, records the metrics, logs {@code FROM -> TO}, tells the listeners and
 * the sync group. Packets reach {@link #onAdvertisement} after the wire checks of
 * {@link io.tandem.vrrp.packet.VrrpDecoder}; here is checked what they mean (RFC 9568
 * §7.1 items 6 on: version and VRRPv2 authentication and interval against the
 * configuration, the address list, the owner).
 *
 * <p>With a {@link MastershipFence} (ZooKeeper fencing), MASTER is entered only while this router
 * holds the lease of the instance's sync group (or of the instance alone): {@link #transition} is the
 * gate. An instance that would become MASTER without the lease <em>claims</em> it instead: it stays
 * BACKUP, holds no address, and once it waits in line for the lease it advertises its priority, so that
 * a lower-priority master steps down and releases the lease as VRRP preemption would have it. It
 * becomes MASTER when the lease is granted, and gives up the claim when it hears a master it accepts.
 * A MASTER whose lease is revoked (lost to another router, or the session not confirmed under
 * {@code policy fail-closed}) goes to BACKUP and removes its addresses.
 *
 * <p>Not thread-safe: every method must be called on the scheduler's thread (the
 * event loop of the channel that receives the advertisements).
 */
public final class VrrpInstance {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpInstance.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final VrrpInstanceConfig config;
    private final VrrpScheduler scheduler;
    private final AdvertTransmitter transmitter;
    private final VipOwner vipOwner;
    private final VrrpInstanceMetrics metrics;
    private final List<VrrpStateListener> listeners = new ArrayList<>();
    private final TrackerSet trackers;
    private final Set<InetAddress> virtualAddressSet;
    private final byte[] primaryAddressBytes;
    private final byte[] authData;
    private final RateLimiter[] dropLogLimiters = new RateLimiter[VrrpDropReason.values().length];
    private final RateLimiter ownerLogLimiter;
    private final VipAnnouncements announcements;
    /** RFC 9568 §6.2 Master_Down_Timer. */
    private final VrrpTimer masterDownTimer;
    /** RFC 9568 §6.2 Adver_Timer. */
    private final VrrpTimer adverTimer;
    /** keepalived's vrrp_startup_delay. */
    private final VrrpTimer startupTimer;
    private final VrrpAdvertisement stopAdvertisement;

    private VrrpState state = VrrpState.INIT;
    private boolean started;
    private boolean running;
    /** The effective priority (base plus trackers). */
    private int priority;
    private VrrpAdvertisement advertisement;
    /** RFC 9568 §6.1 Master_Adver_Interval, in nanoseconds. */
    private long masterAdverIntervalNanos;
    private boolean preemptDeadlineSet;
    private long preemptDeadlineNanos;
    private boolean groupFault;
    private VrrpSyncGroup syncGroup;
    private MastershipFence fence = MastershipFence.NONE;
    /** Wants MASTER, but the fence does not grant the lease yet. */
    private boolean claiming;
    /** The last advertisement that passed {@link #passesChecks} cleanly. */
    private InboundAdvertisement lastAccepted;

    public VrrpInstance(VrrpInstanceConfig config, VrrpScheduler scheduler, AdvertTransmitter transmitter,
                        VipOwner vipOwner, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.transmitter = Objects.requireNonNull(transmitter, "transmitter");
        this.vipOwner = Objects.requireNonNull(vipOwner, "vipOwner");
        this.metrics = new VrrpInstanceMetrics(registry, config.name(), config.interfaceName(), config.vrid());
        this.trackers = new TrackerSet(config.priority(), config.trackers());
        this.virtualAddressSet = new HashSet<>(config.virtualAddresses());
        this.primaryAddressBytes = config.primaryAddress().getAddress();
        this.authData = config.authData();
        for (int i = 0; i < dropLogLimiters.length; i++) {
            dropLogLimiters[i] = new RateLimiter(LOG_INTERVAL_NANOS, scheduler::nanoTime);
        }
        this.ownerLogLimiter = new RateLimiter(LOG_INTERVAL_NANOS, scheduler::nanoTime);
        this.announcements = new VipAnnouncements(config, scheduler, vipOwner);
        this.masterDownTimer = new VrrpTimer(scheduler, this::masterDownTimerExpired);
        this.adverTimer = new VrrpTimer(scheduler, this::adverTimerExpired);
        this.startupTimer = new VrrpTimer(scheduler, this::startup);
        this.priority = trackers.effectivePriority();
        this.advertisement = buildAdvertisement(priority);
        this.stopAdvertisement = buildAdvertisement(0);
        this.masterAdverIntervalNanos = config.advertIntervalNanos();
        metrics.priority(priority);
    }

    public VrrpInstanceConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public VrrpState state() {
        return state;
    }

    /** The effective priority: configured priority plus tracker weights (255 for an owner). */
    public int effectivePriority() {
        return priority;
    }

    /** RFC 9568 §6.1 Master_Adver_Interval: the master's advertised interval (v3) or our own. */
    public long masterAdverIntervalNanos() {
        return masterAdverIntervalNanos;
    }

    /**
     * Skew_Time: RFC 9568 §6.1 {@code ((256 - Priority) * Master_Adver_Interval) / 256};
     * RFC 3768 §6.1 {@code (256 - Priority) / 256} seconds. Uses the effective priority.
     */
    public long skewTimeNanos() {
        if (config.version() == VrrpVersion.V3) {
            return (256L - priority) * masterAdverIntervalNanos / 256;
        }
        return (256L - priority) * NANOS_PER_SECOND / 256;
    }

    /** Master_Down_Interval (RFC 9568 §6.1): {@code 3 * Master_Adver_Interval + Skew_Time}; 3 is down_timer_adverts. */
    public long masterDownIntervalNanos() {
        return config.downTimerAdverts() * masterAdverIntervalNanos + skewTimeNanos();
    }

    /** Fences mastership by {@code newFence}; before {@link #start}. */
    public void fence(MastershipFence newFence) {
        if (started) {
            throw new IllegalStateException("invalid fence for " + config.name() + ": already started (expected: INIT)");
        }
        fence = Objects.requireNonNull(newFence, "fence");
    }

    /**
     * The name of the lease that guards this instance: {@code vrrp-VRID} alone, {@code vrrp-VRID-VRID...}
     * (sorted) for a sync group. Named after the VRIDs rather than the instances, because the VRID is
     * what both routers share on the wire; their instance and group names may differ.
     */
    public String leaseName() {
        if (syncGroup == null) {
            return "vrrp-" + config.vrid();
        }
        StringBuilder name = new StringBuilder("vrrp");
        syncGroup.members().stream().mapToInt(m -> m.config().vrid()).sorted().distinct()
                .forEach(v -> name.append('-').append(v));
        return name.toString();
    }

    /** Whether the instance wants MASTER but waits for the fence's lease. */
    public boolean claiming() {
        return claiming;
    }

    /**
     * The fence granted or revoked this instance's lease: a claiming instance becomes MASTER, a
     * MASTER that lost it steps down to BACKUP (addresses removed, Master_Down_Timer started).
     */
    public void leaseChanged(boolean held, String reason) {
        if (held && claiming && running) {
            transition(VrrpState.MASTER, "lease " + leaseName() + " granted (" + reason + ")");
        } else if (!held && state == VrrpState.MASTER) {
            masterAdverIntervalNanos = config.advertIntervalNanos();
            transition(VrrpState.BACKUP, "lease " + leaseName() + " lost (" + reason + ")");
        }
    }

    /** Adds a listener told about every later transition. */
    public void addListener(VrrpStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Starts the instance: the Startup event (RFC 9568 §6.4.1), after the startup delay if one is set. */
    public void start() {
        if (started) {
            throw new IllegalStateException("invalid start of " + config.name() + ": already started (expected: INIT)");
        }
        started = true;
        rehearseTakeover();
        long delay = config.startupDelay().toNanos();
        if (delay > 0) {
            LOG.info("{}: waiting {} ms (startup delay) before leaving INIT", config.name(), delay / 1_000_000);
            startupTimer.start(delay);
        } else {
            startup();
        }
    }

    /**
     * Runs a takeover's code short of its effects ({@link AdvertTransmitter#rehearse},
     * {@link VipOwner#rehearse}), so that the first transition to MASTER does not pay for
     * class loading and linking on the path Skew_Time bounds.
     */
    private void rehearseTakeover() {
        try {
            transmitter.rehearse(advertisement);
            vipOwner.rehearse(config.interfaceName(), config.heldAddresses());
        } catch (RuntimeException e) {
            LOG.warn("{}: rehearsing the takeover failed (the takeover itself will tell)", config.name(), e);
        }
    }

    /**
     * The Shutdown event (RFC 9568 §6.4.2, §6.4.3): a master sends a priority-0
     * advertisement and removes its addresses; every state goes to INIT.
     */
    public void stop() {
        if (!started) {
            return;
        }
        started = false;
        running = false;
        startupTimer.cancel();
        transition(VrrpState.INIT, "shutdown");
    }

    /** {@link #stop() Stops} the instance for good and removes its gauges (before a reload re-creates it). */
    public void close() {
        stop();
        metrics.close();
    }

    /** Records that tracker {@code trackerName} went up or down and applies it to priority and fault. */
    public void setTrackerUp(String trackerName, boolean up) {
        boolean faultBefore = trackers.fault();
        if (trackers.set(trackerName, up)) {
            trackerChanged(faultBefore, "tracker " + trackerName + (up ? " up" : " down"));
        }
    }

    /** Records the value of value tracker {@code trackerName} (a track file) and applies it to priority and fault. */
    public void setTrackerValue(String trackerName, long value) {
        boolean faultBefore = trackers.fault();
        if (trackers.setValue(trackerName, value)) {
            trackerChanged(faultBefore, "tracker " + trackerName + " value " + value);
        }
    }

    private void trackerChanged(boolean faultBefore, String reason) {
        updatePriority(reason);
        reevaluateFault(reason);
        if (syncGroup != null && faultBefore != trackers.fault()) {
            syncGroup.memberFaultChanged(this);
        }
    }

    /** An advertisement for this instance's VRID that passed the wire checks. */
    public void onAdvertisement(InboundAdvertisement inbound) {
        if (inbound != lastAccepted && !passesChecks(inbound)) {
            return;
        }
        metrics.advertisementReceived(inbound.advertisement().priority());
        switch (state) {
            case BACKUP -> backupReceived(inbound);
            case MASTER -> masterReceived(inbound);
            case INIT, FAULT -> { } // only Backup and Active process advertisements
        }
    }

    /**
     * RFC 9568 §7.1 from item 6 on, counting what it drops. An advertisement that passes without a
     * drop being counted is remembered: the receiver hands the same object on for each identical
     * repeat it does not decode again, and the configuration these checks read never changes.
     */
    private boolean passesChecks(InboundAdvertisement inbound) {
        VrrpAdvertisement received = inbound.advertisement();
        if (inbound.source().equals(config.primaryAddress())) {
            return false; // our own advertisement, looped back
        }
        if (received.vrid() != config.vrid() || received.family() != config.family()) {
            drop(VrrpDropReason.UNKNOWN_VRID, inbound, "vrid " + received.vrid() + " " + received.family()
                    + " (expected: " + config.vrid() + " " + config.family() + ")");
            return false;
        }
        if (config.checkUnicastSource() && !config.unicastPeers().isEmpty()
                && !config.unicastPeers().contains(inbound.source())) {
            drop(VrrpDropReason.UNKNOWN_PEER, inbound, "source " + inbound.source().getHostAddress()
                    + " (expected: one of the unicast peers " + hosts(config.unicastPeers()) + ")");
            return false;
        }
        if (received.version() != config.version()) {
            drop(VrrpDropReason.VERSION, inbound, "version " + received.version()
                    + " (expected: " + config.version() + ")");
            return false;
        }
        if (config.version() == VrrpVersion.V2 && !acceptV2(inbound)) {
            return false;
        }
        if (config.isAddressOwner() && ownerLogLimiter.tryAcquire()) {
            // RFC 5798 §7.1 discarded these; RFC 9568 erratum 8298 only asks to log
            LOG.warn("{}: advertisement from {} with priority {} for vrid {}, which this router owns",
                    config.name(), inbound.source().getHostAddress(), received.priority(), config.vrid());
        }
        boolean clean = true;
        if (config.checkAdvertAddresses() && !matchesVirtualAddresses(received.addresses())) {
            drop(VrrpDropReason.ADDRESS_LIST, inbound, "addresses " + hosts(received.addresses())
                    + " (expected: " + hosts(config.virtualAddresses()) + ")");
            if (received.priority() != 255) {
                return false; // RFC 9568 §7.1: only the owner's advertisement is processed further
            }
            clean = false;
        }
        lastAccepted = clean ? inbound : null;
        return true;
    }

    /** RFC 3768 §7.1: Auth Type and password as configured, Adver Int as the local one. */
    private boolean acceptV2(InboundAdvertisement inbound) {
        VrrpAdvertisement received = inbound.advertisement();
        if (received.authType() != config.authType()) {
            drop(VrrpDropReason.AUTH_MISMATCH, inbound, "auth type " + received.authType()
                    + " (expected: " + config.authType() + ")");
            return false;
        }
        if (config.authType() == VrrpAuthType.SIMPLE_TEXT_PASSWORD && !received.authDataEquals(authData)) {
            drop(VrrpDropReason.AUTH_FAILURE, inbound, "password (expected: the configured auth_pass)");
            return false;
        }
        if (received.adverInterval() != config.advertIntervalWireValue()) {
            drop(VrrpDropReason.ADVERT_INTERVAL, inbound, "advert interval " + received.adverInterval()
                    + " s (expected: " + config.advertIntervalWireValue() + " s)");
            return false;
        }
        return true;
    }

    /** RFC 9568 §6.4.2, Backup state: "If an ADVERTISEMENT is received". */
    private void backupReceived(InboundAdvertisement inbound) {
        VrrpAdvertisement received = inbound.advertisement();
        int advertPriority = received.priority();
        if (advertPriority == 0) {
            masterDownTimer.start(skewTimeNanos());
            return;
        }
        boolean preemptDelayed = preemptDelayPending(advertPriority);
        if (!config.preempt() || advertPriority >= priority || preemptDelayed) {
            if (claiming) {
                endClaim("advertisement from " + inbound.source().getHostAddress() + " with priority " + advertPriority);
            }
            if (config.version() == VrrpVersion.V3) {
                masterAdverIntervalNanos = received.adverIntervalNanos();
            }
            masterDownTimer.start(masterDownIntervalNanos());
        }
        // else: a lower-priority master while we may preempt: discard, let Master_Down_Timer fire
    }

    /**
     * keepalived's preempt_delay: after startup, or after first seeing a lower-priority
     * master, such a master is still accepted until the delay has passed.
     */
    private boolean preemptDelayPending(int advertPriority) {
        long delay = config.preemptDelay().toNanos();
        if (delay == 0) {
            return false;
        }
        if (advertPriority > priority) {
            preemptDeadlineSet = false;
            return false;
        }
        long now = scheduler.nanoTime();
        if (advertPriority < priority && !preemptDeadlineSet) {
            preemptDeadlineSet = true;
            preemptDeadlineNanos = now + delay;
        }
        return preemptDeadlineSet && now - preemptDeadlineNanos < 0;
    }

    /** RFC 9568 §6.4.3, Active state: "If an ADVERTISEMENT is received". */
    private void masterReceived(InboundAdvertisement inbound) {
        VrrpAdvertisement received = inbound.advertisement();
        int advertPriority = received.priority();
        if (advertPriority == 0) {
            sendAdvertisement(advertisement);
            adverTimer.start(config.advertIntervalNanos());
            return;
        }
        if (advertPriority > priority
                || (advertPriority == priority && isGreaterThanPrimary(inbound.source()))) {
            if (config.higherPrioritySendAdvert()) {
                sendAdvertisement(advertisement); // keepalived's higher_prio_send_advert
            }
            adverTimer.cancel();
            if (config.version() == VrrpVersion.V3) {
                masterAdverIntervalNanos = received.adverIntervalNanos();
            }
            transition(VrrpState.BACKUP, "advertisement from " + inbound.source().getHostAddress()
                    + " with priority " + advertPriority + " (local " + priority + ")");
        } else {
            // RFC 9568 §6.4.3 discards it; but the sender believes it is master: as keepalived does,
            // answer with an advertisement so that it yields now (unless lower_prio_no_advert), and
            // announce the VIPs again so that no neighbour keeps its MAC (garp_lower_prio_*)
            if (!config.lowerPriorityNoAdvert()) {
                sendAdvertisement(advertisement);
            }
            if (announcements.lowerPriorityAdvertisement()) {
                LOG.info("{}: advertisement from lower-priority {} ({} < {}) while master: announcing the addresses"
                        + " again", config.name(), inbound.source().getHostAddress(), advertPriority, priority);
            }
        }
    }

    /** RFC 9568 §6.4.2: "If the Master_Down_Timer fires". */
    private void masterDownTimerExpired() {
        if (state == VrrpState.BACKUP) {
            transition(VrrpState.MASTER, "master down timer expired");
        }
    }

    /** RFC 9568 §6.4.3: "If the Adver_Timer fires". */
    private void adverTimerExpired() {
        if (state == VrrpState.MASTER) {
            sendAdvertisement(advertisement);
            adverTimer.start(config.advertIntervalNanos());
        } else if (claiming) {
            if (fence.queued(leaseName())) {
                sendAdvertisement(advertisement);
            }
            adverTimer.start(config.advertIntervalNanos());
        }
    }

    /** RFC 9568 §6.4.1 Startup event, also used when a fault clears. */
    private void startup() {
        running = true;
        if (!config.preemptDelay().isZero()) {
            preemptDeadlineSet = true;
            preemptDeadlineNanos = scheduler.nanoTime() + config.preemptDelay().toNanos();
        }
        leaveInitOrFault("startup");
    }

    private void leaveInitOrFault(String reason) {
        if (trackers.fault() || groupFault) {
            transition(VrrpState.FAULT, reason + " with " + (trackers.fault() ? "a tracker" : "the sync group") + " down");
        } else if (config.isAddressOwner()) {
            transition(VrrpState.MASTER, reason + ", address owner");
        } else {
            masterAdverIntervalNanos = config.advertIntervalNanos();
            transition(VrrpState.BACKUP, reason);
        }
    }

    private void reevaluateFault(String reason) {
        if (!running) {
            return;
        }
        boolean fault = trackers.fault() || groupFault;
        if (fault && state != VrrpState.FAULT) {
            transition(VrrpState.FAULT, reason);
        } else if (!fault && state == VrrpState.FAULT) {
            leaveInitOrFault(reason);
        }
    }

    private void updatePriority(String reason) {
        int effective = trackers.effectivePriority();
        if (effective == priority) {
            return;
        }
        LOG.info("{}: priority {} -> {} ({})", config.name(), priority, effective, reason);
        priority = effective;
        advertisement = buildAdvertisement(effective);
        metrics.priority(effective);
        if (state == VrrpState.MASTER) {
            // let the backups see the new priority now rather than at the next Adver_Timer
            sendAdvertisement(advertisement);
            adverTimer.start(config.advertIntervalNanos());
        }
    }

    /**
     * The one place the state changes: runs the entry action of {@code to}, then
     * records, logs {@code FROM -> TO} and notifies.
     */
    private void transition(VrrpState to, String reason) {
        VrrpState from = state;
        if (from == to) {
            return;
        }
        if (to == VrrpState.MASTER && !fence.holds(leaseName())) {
            claim(reason);
            return;
        }
        if (claiming) {
            claiming = false; // granted (to MASTER: the lease stays wanted) or given up (INIT, FAULT)
            if (to != VrrpState.MASTER) {
                fence.unwant(leaseName(), config.name());
            }
        }
        state = to;
        if (to == VrrpState.MASTER) {
            fence.want(leaseName(), config.name());
        }
        switch (to) {
            case MASTER -> enterMaster();
            case BACKUP -> enterBackup(from);
            case FAULT, INIT -> enterInitOrFault(from);
        }
        if (from == VrrpState.MASTER) {
            fence.unwant(leaseName(), config.name()); // after the addresses are gone
        }
        long now = scheduler.currentTimeMillis();
        metrics.transition(from, to, now);
        LOG.info("{}: {} -> {} ({})", config.name(), from, to, reason);
        VrrpStateChange change = new VrrpStateChange(config.name(), from, to, priority, reason, now);
        for (VrrpStateListener listener : listeners) {
            try {
                listener.stateChanged(change);
            } catch (RuntimeException e) {
                LOG.warn("{}: state listener {} failed on {} -> {}", config.name(), listener, from, to, e);
            }
        }
        if (syncGroup != null) {
            syncGroup.memberChanged(this, from, to);
        }
    }

    /**
     * MASTER without the lease: stay (or become) BACKUP without addresses, ask the fence for the lease
     * and advertise while waiting in line for it (see the class comment).
     */
    private void claim(String reason) {
        if (state != VrrpState.BACKUP) {
            transition(VrrpState.BACKUP, reason); // from INIT or FAULT (an address owner)
        }
        masterDownTimer.cancel();
        if (!claiming) {
            claiming = true;
            LOG.info("{}: MASTER ({}) needs lease {}: claiming it", config.name(), reason, leaseName());
            fence.want(leaseName(), config.name());
        }
        adverTimer.start(config.advertIntervalNanos());
    }

    private void endClaim(String reason) {
        claiming = false;
        adverTimer.cancel();
        LOG.info("{}: claim of lease {} given up ({})", config.name(), leaseName(), reason);
        fence.unwant(leaseName(), config.name());
    }

    /** RFC 9568 §6.4.1 / §6.4.2: send an ADVERTISEMENT, announce the addresses, start Adver_Timer. */
    private void enterMaster() {
        masterDownTimer.cancel();
        preemptDeadlineSet = false;
        try {
            vipOwner.addAddresses(config.interfaceName(), config.heldAddresses());
            if (!config.virtualRoutes().isEmpty()) {
                vipOwner.addRoutes(config.interfaceName(), config.virtualRoutes());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: adding virtual addresses failed", config.name(), e);
        }
        sendAdvertisement(advertisement);
        announcements.becameMaster();
        adverTimer.start(config.advertIntervalNanos());
    }

    /**
     * RFC 9568 §6.4.1 / §6.4.3: Master_Down_Timer = Master_Down_Interval; a former master lets go of the
     * addresses, and so does a starting instance (a run that crashed may have left them on the interface,
     * where the kernel would go on answering for them; keepalived removes them at start too).
     */
    private void enterBackup(VrrpState from) {
        adverTimer.cancel();
        if (from == VrrpState.MASTER || from == VrrpState.INIT) {
            removeVirtualAddresses();
        }
        masterDownTimer.start(masterDownIntervalNanos());
    }

    /** RFC 9568 §6.4.3 Shutdown: a master sends priority 0; timers stop. FAULT does the same. */
    private void enterInitOrFault(VrrpState from) {
        masterDownTimer.cancel();
        adverTimer.cancel();
        if (from == VrrpState.MASTER) {
            sendAdvertisement(stopAdvertisement);
            removeVirtualAddresses();
        }
    }

    /** RFC 9568 §6.4.3: leaving Active, "remove the virtual addresses"; the routes go first. */
    private void removeVirtualAddresses() {
        announcements.stop();
        try {
            if (!config.virtualRoutes().isEmpty()) {
                vipOwner.removeRoutes(config.interfaceName(), config.virtualRoutes());
            }
            vipOwner.removeAddresses(config.interfaceName(), config.heldAddresses());
        } catch (RuntimeException e) {
            LOG.warn("{}: removing virtual addresses failed", config.name(), e);
        }
    }

    private void sendAdvertisement(VrrpAdvertisement outbound) {
        try {
            transmitter.transmit(outbound);
            metrics.advertisementSent(outbound.priority());
        } catch (RuntimeException e) {
            LOG.warn("{}: sending an advertisement failed", config.name(), e);
        }
    }

    private VrrpAdvertisement buildAdvertisement(int advertPriority) {
        return new VrrpAdvertisement(config.version(), config.vrid(), advertPriority, config.advertIntervalWireValue(),
                config.virtualAddresses(), config.authType(), authData);
    }

    /** RFC 9568 §6.4.3: "the primary IPvX address of the sender is greater than the local primary IPvX address". */
    private boolean isGreaterThanPrimary(InetAddress sender) {
        return Arrays.compareUnsigned(sender.getAddress(), primaryAddressBytes) > 0;
    }

    private boolean matchesVirtualAddresses(List<InetAddress> addresses) {
        if (addresses.size() != virtualAddressSet.size()) {
            return false;
        }
        for (InetAddress address : addresses) {
            if (!virtualAddressSet.contains(address)) {
                return false;
            }
        }
        for (InetAddress address : config.virtualAddresses()) {
            if (!addresses.contains(address)) {
                return false;
            }
        }
        return true;
    }

    private void drop(VrrpDropReason reason, InboundAdvertisement inbound, String detail) {
        metrics.dropped(reason);
        RateLimiter limiter = dropLogLimiters[reason.ordinal()];
        if (limiter.tryAcquire()) {
            LOG.warn("{}: dropped advertisement from {}: {}: invalid {}; {} more suppressed", config.name(),
                    inbound.source().getHostAddress(), reason, detail, limiter.drainSuppressed());
        }
    }

    private static List<String> hosts(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).toList();
    }

    // --- sync group (package-private: only VrrpSyncGroup calls these) ---

    void joinSyncGroup(VrrpSyncGroup group) {
        if (syncGroup != null) {
            throw new IllegalArgumentException("invalid sync group member: " + config.name()
                    + " is already in a sync group (expected: one group per instance)");
        }
        syncGroup = group;
    }

    /** Whether this instance's own trackers put it in FAULT. */
    boolean ownFault() {
        return trackers.fault();
    }

    /** Another member's fault (or its end) reaches this member. */
    void setGroupFault(boolean fault, String reason) {
        if (groupFault == fault) {
            return;
        }
        groupFault = fault;
        reevaluateFault(reason);
    }

    /** Another member became MASTER or gave it up: follow it. */
    void followGroup(VrrpState target, String reason) {
        if (!running) {
            return;
        }
        if (target == VrrpState.MASTER && state == VrrpState.BACKUP) {
            transition(VrrpState.MASTER, reason);
        } else if (target == VrrpState.BACKUP && state == VrrpState.MASTER) {
            masterAdverIntervalNanos = config.advertIntervalNanos();
            transition(VrrpState.BACKUP, reason);
        }
    }
}
