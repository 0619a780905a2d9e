package io.tandem.core.config.mapping;

import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.model.Garp;
import io.tandem.core.config.model.GlobalDefs;
import io.tandem.core.config.model.LvsSyncDaemon;
import io.tandem.core.config.model.LvsTimeouts;
import io.tandem.core.config.model.Notification;
import io.tandem.core.config.model.NotifyFifo;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.reader.Node;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Maps the {@code global_defs} blocks (there may be several; later settings win, as in keepalived). */
final class GlobalDefsMapper {
    private final BlockWalker walker;
    private final Values values;

    private Optional<String> routerId = Optional.empty();
    private int vrrpVersion = 2;
    private Optional<LvsSyncDaemon> lvsSyncDaemon = Optional.empty();
    private LvsTimeouts lvsTimeouts = LvsTimeouts.UNSET;
    private boolean lvsFlush;
    private boolean lvsFlushOnStop;
    private Optional<String> scriptUser = Optional.empty();
    private Optional<String> scriptGroup = Optional.empty();
    private boolean enableScriptSecurity;
    private final List<String> emails = new ArrayList<>();
    private Optional<String> emailFrom = Optional.empty();
    private Optional<String> smtpServer = Optional.empty();
    private int smtpPort = 25;
    private Optional<String> smtpHelo = Optional.empty();
    private Duration smtpConnectTimeout = Duration.ofSeconds(30);
    private Optional<Boolean> smtpAlert = Optional.empty();
    private Optional<Boolean> smtpAlertVrrp = Optional.empty();
    private Optional<Boolean> smtpAlertChecker = Optional.empty();
    private boolean noEmailFaults;
    private boolean checkerLogAllFailures;
    private Path notifyFifo;
    private Optional<ScriptCommand> notifyFifoScript = Optional.empty();
    private Path vrrpNotifyFifo;
    private Optional<ScriptCommand> vrrpNotifyFifoScript = Optional.empty();
    private Path lvsNotifyFifo;
    private Optional<ScriptCommand> lvsNotifyFifoScript = Optional.empty();
    private InetAddress mcast4 = GlobalDefs.MCAST_GROUP4;
    private InetAddress mcast6 = GlobalDefs.MCAST_GROUP6;
    private Optional<String> defaultInterface = Optional.empty();
    private Duration garpMasterDelay = Garp.DEFAULTS.masterDelay();
    private int garpMasterRepeat = Garp.DEFAULTS.masterRepeat();
    private Duration garpMasterRefresh = Garp.DEFAULTS.masterRefresh();
    private int garpMasterRefreshRepeat = Garp.DEFAULTS.masterRefreshRepeat();
    private Duration garpLowerPrioDelay;
    private Integer garpLowerPrioRepeat;
    private Duration garpInterval = Duration.ZERO;
    private Duration gnaInterval = Duration.ZERO;
    private boolean lowerPrioNoAdvert;
    private boolean higherPrioSendAdvert;
    private boolean checkUnicastSrc;
    private boolean skipCheckAdvAddr;
    private Duration startupDelay = Duration.ZERO;
    private int downTimerAdverts = 3;
    private OptionalInt forwarderWorkers = OptionalInt.empty();

    private final DefinedNames names;

    GlobalDefsMapper(BlockWalker walker, Values values, DefinedNames names) {
        this.walker = walker;
        this.values = values;
        this.names = names;
    }

    GlobalDefs map(List<Node> blocks) {
        for (Node block : blocks) {
            if (values.shape(block, true)) {
                walker.walk(block, Context.GLOBAL_DEFS, this::statement);
            }
        }
        Garp garp = new Garp(garpMasterDelay, garpMasterRepeat, garpMasterRefresh, garpMasterRefreshRepeat,
                garpLowerPrioDelay == null ? garpMasterDelay : garpLowerPrioDelay,
                garpLowerPrioRepeat == null ? garpMasterRepeat : garpLowerPrioRepeat);
        Notification notification = new Notification(emails, emailFrom, smtpServer, smtpPort, smtpHelo,
                smtpConnectTimeout, smtpAlert, smtpAlertVrrp, smtpAlertChecker, noEmailFaults);
        return new GlobalDefs(routerId, vrrpVersion, lvsSyncDaemon, lvsTimeouts, lvsFlush, lvsFlushOnStop, scriptUser,
                scriptGroup, enableScriptSecurity, notification, checkerLogAllFailures,
                fifo(notifyFifo, notifyFifoScript), fifo(vrrpNotifyFifo, vrrpNotifyFifoScript),
                fifo(lvsNotifyFifo, lvsNotifyFifoScript), mcast4, mcast6, defaultInterface, garp, garpInterval,
                gnaInterval, lowerPrioNoAdvert, higherPrioSendAdvert, checkUnicastSrc, skipCheckAdvAddr, startupDelay,
                downTimerAdverts, forwarderWorkers);
    }

    private static Optional<NotifyFifo> fifo(Path path, Optional<ScriptCommand> script) {
        return path == null ? Optional.empty() : Optional.of(new NotifyFifo(path, script));
    }

    private void statement(Node n) {
        boolean blockKeyword = n.keyword().equals("notification_email");
        if (!values.shape(n, blockKeyword)) {
            return;
        }
        switch (n.keyword()) {
            case "router_id" -> routerId = Optional.ofNullable(values.string(n, 0, "a name"));
            case "vrrp_version" -> set(values.intValue(n, 0, 2, 3), v -> vrrpVersion = v);
            case "lvs_sync_daemon" -> lvsSyncDaemon = Optional.ofNullable(lvsSyncDaemon(n));
            case "lvs_timeouts" -> lvsTimeouts = lvsTimeouts(n);
            case "lvs_flush" -> lvsFlush = true;
            case "lvs_flush_on_stop" -> lvsFlushOnStop = true;
            case "script_user" -> {
                scriptUser = Optional.ofNullable(values.string(n, 0, "USERNAME [GROUPNAME]"));
                scriptGroup = Optional.ofNullable(n.arg(1));
            }
            case "enable_script_security" -> enableScriptSecurity = true;
            case "notification_email" -> n.children().forEach(c -> emails.addAll(c.words()));
            case "notification_email_from" -> emailFrom = Optional.ofNullable(values.string(n, 0, "an e-mail address"));
            case "smtp_server" -> {
                smtpServer = Optional.ofNullable(values.string(n, 0, "IP|HOSTNAME [PORT]"));
                if (n.argCount() > 1) {
                    set(values.intValue(n, 1, 1, 65535), v -> smtpPort = v);
                }
            }
            case "smtp_helo_name" -> smtpHelo = Optional.ofNullable(values.string(n, 0, "a host name"));
            case "smtp_connect_timeout" -> set(values.timer(n, 0, 1, 3600), v -> smtpConnectTimeout = v);
            case "smtp_alert" -> smtpAlert = Optional.ofNullable(values.bool(n, 0, true));
            case "smtp_alert_vrrp" -> smtpAlertVrrp = Optional.ofNullable(values.bool(n, 0, true));
            case "smtp_alert_checker" -> smtpAlertChecker = Optional.ofNullable(values.bool(n, 0, true));
            case "no_email_faults" -> noEmailFaults = true;
            case "checker_log_all_failures" -> set(values.bool(n, 0, true), v -> checkerLogAllFailures = v);
            case "notify_fifo" -> notifyFifo = path(n);
            case "notify_fifo_script" -> notifyFifoScript = values.script(n);
            case "vrrp_notify_fifo" -> vrrpNotifyFifo = path(n);
            case "vrrp_notify_fifo_script" -> vrrpNotifyFifoScript = values.script(n);
            case "lvs_notify_fifo" -> lvsNotifyFifo = path(n);
            case "lvs_notify_fifo_script" -> lvsNotifyFifoScript = values.script(n);
            case "vrrp_mcast_group4" -> set(multicast(n, false), v -> mcast4 = v);
            case "vrrp_mcast_group6" -> set(multicast(n, true), v -> mcast6 = v);
            case "default_interface" -> defaultInterface = Optional.ofNullable(values.string(n, 0, "an interface"));
            case "vrrp_garp_master_delay" -> set(values.timer(n, 0, 0, 1000), v -> garpMasterDelay = v);
            case "vrrp_garp_master_repeat" -> set(values.intValue(n, 0, 1, 255), v -> garpMasterRepeat = v);
            case "vrrp_garp_master_refresh" -> set(values.timer(n, 0, 0, 86400), v -> garpMasterRefresh = v);
            case "vrrp_garp_master_refresh_repeat" -> set(values.intValue(n, 0, 1, 255),
                    v -> garpMasterRefreshRepeat = v);
            case "vrrp_garp_lower_prio_delay" -> set(values.timer(n, 0, 0, 1000), v -> garpLowerPrioDelay = v);
            case "vrrp_garp_lower_prio_repeat" -> set(values.intValue(n, 0, 1, 255), v -> garpLowerPrioRepeat = v);
            case "vrrp_garp_interval" -> set(values.timer(n, 0, 0, 1), v -> garpInterval = v);
            case "vrrp_gna_interval" -> set(values.timer(n, 0, 0, 1), v -> gnaInterval = v);
            case "vrrp_lower_prio_no_advert" -> set(values.bool(n, 0, true), v -> lowerPrioNoAdvert = v);
            case "vrrp_higher_prio_send_advert" -> set(values.bool(n, 0, true), v -> higherPrioSendAdvert = v);
            case "vrrp_check_unicast_src" -> checkUnicastSrc = true;
            case "vrrp_skip_check_adv_addr" -> set(values.bool(n, 0, true), v -> skipCheckAdvAddr = v);
            case "vrrp_startup_delay" -> set(values.timer(n, 0, 0, 3600), v -> startupDelay = v);
            case "vrrp_down_timer_adverts" -> set(values.intValue(n, 0, 1, 100), v -> downTimerAdverts = v);
            // Tandem's: the forwarder's worker threads
            case "forwarder_workers" -> set(values.intValue(n, 0, 1, GlobalDefs.MAX_FORWARDER_WORKERS),
                    v -> forwarderWorkers = OptionalInt.of(v));
            default -> throw new IllegalStateException("keyword table marks " + n.keyword() + " SUPPORTED in global_defs"
                    + " but GlobalDefsMapper has no mapping for it");
        }
    }

    static <T> void set(T value, java.util.function.Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private Path path(Node n) {
        String v = values.string(n, 0, "a FIFO path");
        return v == null ? null : values.path(n, v);
    }

    private InetAddress multicast(Node n, boolean v6) {
        InetAddress a = values.ip(n, 0);
        if (a != null && (!a.isMulticastAddress() || (a instanceof java.net.Inet6Address) != v6)) {
            values.error(n, n.keyword() + " " + n.arg(0) + ": not an IPv" + (v6 ? "6" : "4")
                    + " multicast address (expected: " + (v6 ? "ff00::/8" : "224.0.0.0/4") + ")");
            return null;
        }
        return a;
    }

    /** {@code lvs_sync_daemon IFACE [[inst] VI] [id N] [maxlen N] [port N] [ttl N] [group IP]}. */
    private LvsSyncDaemon lvsSyncDaemon(Node n) {
        String iface = values.string(n, 0, "INTERFACE [inst VRRP_INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group IP]");
        if (iface == null) {
            return null;
        }
        Optional<String> inst = Optional.empty();
        OptionalInt id = OptionalInt.empty();
        OptionalInt maxlen = OptionalInt.empty();
        int port = LvsSyncDaemon.DEFAULT_PORT;
        int ttl = 1;
        Optional<InetAddress> group = Optional.empty();
        for (int i = 1; i < n.argCount(); i++) {
            String option = n.arg(i);
            switch (option) {
                case "inst" -> inst = Optional.ofNullable(values.string(n, ++i, "a vrrp_instance name"));
                case "id" -> id = optionalInt(values.intValue(n, ++i, 0, 255));
                case "maxlen" -> maxlen = optionalInt(values.intValue(n, ++i, 1, 65507));
                case "port" -> {
                    Integer p = values.intValue(n, ++i, 1, 65535);
                    port = p == null ? port : p;
                }
                case "ttl" -> {
                    Integer t = values.intValue(n, ++i, 1, 255);
                    ttl = t == null ? ttl : t;
                }
                case "group" -> group = Optional.ofNullable(values.ip(n, ++i));
                default -> {
                    if (i == 1) {
                        inst = Optional.of(option);
                    } else {
                        values.error(n, "lvs_sync_daemon: unknown option '" + option
                                + "' (expected: inst, id, maxlen, port, ttl, group)");
                    }
                }
            }
        }
        if (inst.isPresent() && !names.check(n, DefinedNames.Kind.VRRP_INSTANCE, inst.get())) {
            return null;
        }
        return new LvsSyncDaemon(iface, inst, id, maxlen, port, ttl, group);
    }

    static OptionalInt optionalInt(Integer v) {
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** {@code lvs_timeouts [tcp S] [tcpfin S] [udp S]}: at least one. */
    private LvsTimeouts lvsTimeouts(Node n) {
        Optional<Duration> tcp = lvsTimeouts.tcp();
        Optional<Duration> tcpFin = lvsTimeouts.tcpFin();
        Optional<Duration> udp = lvsTimeouts.udp();
        if (n.argCount() == 0) {
            values.error(n, "lvs_timeouts: missing value (expected: [tcp SECS] [tcpfin SECS] [udp SECS])");
        }
        for (int i = 0; i < n.argCount(); i++) {
            String which = n.arg(i);
            switch (which) {
                case "tcp" -> tcp = seconds(n, ++i).or(() -> lvsTimeouts.tcp());
                case "tcpfin" -> tcpFin = seconds(n, ++i).or(() -> lvsTimeouts.tcpFin());
                case "udp" -> udp = seconds(n, ++i).or(() -> lvsTimeouts.udp());
                default -> values.error(n, "lvs_timeouts: unknown timeout '" + which + "' (expected: tcp, tcpfin, udp)");
            }
        }
        return new LvsTimeouts(tcp, tcpFin, udp);
    }

    private Optional<Duration> seconds(Node n, int i) {
        Long v = values.integer(n, i, 1, 86400L * 31);
        return v == null ? Optional.empty() : Optional.of(Duration.ofSeconds(v));
    }
}
