package io.tandem.core.config.keyword;

import static io.tandem.core.config.keyword.Support.SUPPORTED;
import static io.tandem.core.config.keyword.Support.UNSUPPORTED_BEHAVIOURAL;
import static io.tandem.core.config.keyword.Support.UNSUPPORTED_OPTIONAL;

import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keyword table: for each block kind, every keyword keepalived 2.2 to 2.4 knows there (from
 * keepalived.conf(5)) plus Tandem's additions, each SUPPORTED, UNSUPPORTED_OPTIONAL (a warning) or
 * UNSUPPORTED_BEHAVIOURAL (an error), with what keepalived would have done. The mappers handle
 * exactly the SUPPORTED entries; anything not in the table is an unknown keyword.
 */
public final class KeywordRegistry {
    private static final String[] CHECKER_TIMING = {
        "alpha", "connect_timeout", "retry", "delay_before_retry", "warmup", "delay_loop", "log_all_failures",
        "rise", "fall",
    };
    private static final String[] CHECKER_CONNECTION = {
        "connect_ip", "connect_port", "bindto", "bind_if", "bind_port", "fwmark",
    };

    /** Declared after the arrays above, which the constructor reads. */
    private static final KeywordRegistry INSTANCE = new KeywordRegistry();

    private final Map<Context, Map<String, Keyword>> table = new EnumMap<>(Context.class);

    private KeywordRegistry() {
        root();
        globalDefs();
        vrrp();
        lvs();
        checkers();
        tandem();
    }

    public static KeywordRegistry instance() {
        return INSTANCE;
    }

    /** The entry for {@code name} in {@code context}, if keepalived or Tandem knows it there. */
    public Optional<Keyword> lookup(Context context, String name) {
        return Optional.ofNullable(table.get(context).get(name));
    }

    /** All keywords of a context, in table order. */
    public Collection<Keyword> keywords(Context context) {
        return table.get(context).values();
    }

    /** The known keyword of {@code context} closest to {@code name} by edit distance, if close enough. */
    public Optional<String> nearest(Context context, String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : table.get(context).keySet()) {
            int d = EditDistance.between(name.toLowerCase(java.util.Locale.ROOT),
                    candidate.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, name.length() / 3);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** The other block kinds where {@code name} is a keyword, for "belongs in ..." hints. */
    public Optional<Context> otherContext(Context context, String name) {
        for (Context c : Context.values()) {
            if (c != context && table.get(c).containsKey(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private void root() {
        supported(Context.ROOT, "global_defs", "vrrp_script", "track_file", "vrrp_track_file", "vrrp_instance",
                "vrrp_sync_group", "virtual_server", "virtual_server_group", "static_ipaddress", "static_routes",
                "SSL", "local_address_group", "sync_daemon", "admin", "zookeeper");
        behavioural(Context.ROOT, "static_rules", "add the policy-routing rules to the kernel");
        behavioural(Context.ROOT, "track_group", "make the listed VRRP instances track static addresses");
        behavioural(Context.ROOT, "vrrp_track_process", "track a process and change priority or go to FAULT");
        behavioural(Context.ROOT, "track_process", "track a process and change priority or go to FAULT");
        behavioural(Context.ROOT, "bfd_instance", "run a BFD session and track it");
        optional(Context.ROOT, "garp_group", "space out gratuitous ARPs per interface group");
        optional(Context.ROOT, "linkbeat_interfaces", "poll these interfaces' link state with MII/ETHTOOL");
        optional(Context.ROOT, "interface_up_down_delays", "debounce interface up/down events");
        behavioural(Context.ROOT, "net_namespace", "run in the named network namespace");
        behavioural(Context.ROOT, "net_namespace_ipvs", "configure IPVS in the named network namespace");
        optional(Context.ROOT, "namespace_with_ipsets", "use ipsets inside a network namespace");
        optional(Context.ROOT, "instance", "name its pid files after this instance");
        optional(Context.ROOT, "use_pid_dir", "write its pid files in /run/keepalived");
        optional(Context.ROOT, "linkbeat_use_polling", "poll link state instead of using netlink");
        optional(Context.ROOT, "child_wait_time", "wait this long for its child processes at exit");
    }

    private void globalDefs() {
        Context c = Context.GLOBAL_DEFS;
        supported(c, "router_id", "vrrp_version", "lvs_sync_daemon", "lvs_timeouts", "lvs_flush", "lvs_flush_on_stop",
                "script_user", "enable_script_security",
                "notification_email", "notification_email_from", "smtp_server", "smtp_helo_name",
                "smtp_connect_timeout", "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker", "no_email_faults",
                "checker_log_all_failures", "notify_fifo", "notify_fifo_script", "vrrp_notify_fifo",
                "vrrp_notify_fifo_script", "lvs_notify_fifo", "lvs_notify_fifo_script",
                "vrrp_mcast_group4", "vrrp_mcast_group6", "default_interface",
                "vrrp_garp_master_delay", "vrrp_garp_master_repeat", "vrrp_garp_master_refresh",
                "vrrp_garp_master_refresh_repeat", "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat",
                "vrrp_garp_interval", "vrrp_gna_interval", "vrrp_lower_prio_no_advert",
                "vrrp_higher_prio_send_advert", "vrrp_check_unicast_src", "vrrp_skip_check_adv_addr",
                "vrrp_startup_delay", "vrrp_down_timer_adverts");
        for (String proc : new String[] {"vrrp", "checker", "bfd"}) {
            optional(c, proc + "_priority", "set the " + proc + " process's nice value");
            optional(c, proc + "_rt_priority", "give the " + proc + " process a real-time priority");
            optional(c, proc + "_no_swap", "lock the " + proc + " process in memory");
            optional(c, proc + "_cpu_affinity", "pin the " + proc + " process to CPUs");
            optional(c, proc + "_rlimit_rttime", "limit the " + proc + " process's real-time CPU time");
            optional(c, proc + "_process_name", "name the " + proc + " process");
        }
        optional(c, "process_names", "name its processes keepalived_vrrp/_ipvs/_bfd");
        optional(c, "process_name", "name its parent process");
        for (String snmp : new String[] {"enable_snmp_vrrp", "enable_snmp_checker", "enable_snmp_rfc",
                "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_snmp_keepalived", "enable_traps", "snmp_socket"}) {
            optional(c, snmp, "serve its state over SNMP (AgentX)");
        }
        optional(c, "enable_dbus", "serve its state over D-Bus");
        optional(c, "dbus_service_name", "use this D-Bus service name");
        optional(c, "tmp_config_directory", "keep its configuration copy in this directory");
        optional(c, "config_save_dir", "save configurations around each reload");
        behavioural(c, "startup_script", "run this script once at startup");
        behavioural(c, "shutdown_script", "run this script once at shutdown");
        optional(c, "startup_script_timeout", "bound the startup script's run time");
        optional(c, "shutdown_script_timeout", "bound the shutdown script's run time");
        optional(c, "umask", "create files with this umask");
        optional(c, "random_seed", "seed its random numbers");
        optional(c, "log_unknown_vrids", "log adverts for VRIDs it does not run");
        optional(c, "no_checker_emails", "not send e-mails for checker state changes");
        for (String nl : new String[] {"vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
                "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "lvs_netlink_cmd_rcv_bufs",
                "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force",
                "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force", "vrrp_rx_bufs_policy",
                "vrrp_rx_bufs_multiplier"}) {
            optional(c, nl, "size its socket receive buffers");
        }
        optional(c, "data_use_instance", "name its data dump files after the instance");
        optional(c, "reload_check_config", "check the configuration before a reload");
        optional(c, "reload_time_file", "reload at the time written in this file");
        optional(c, "reload_repeat", "repeat timed reloads");
        optional(c, "reload_file", "write this file when a reload completes");
        optional(c, "fifo_write_vrrp_states_on_reload", "write every instance's state to the notify FIFO on reload");
        behavioural(c, "rs_init_notifies", "run the real-server notify scripts at startup");
        behavioural(c, "vrrp_strict", "enforce strict RFC compliance (refusing some settings, firewalling VIPs)");
        behavioural(c, "vrrp_iptables", "block traffic to VIPs of non-accept instances with iptables");
        behavioural(c, "vrrp_ipsets", "block traffic to VIPs of non-accept instances with ipsets");
        for (String nft : new String[] {"nftables", "nftables_priority", "nftables_ifindex", "nftables_counters"}) {
            behavioural(c, nft, "block traffic to VIPs of non-accept instances with nftables");
        }
        for (String nft : new String[] {"nftables_ipvs", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark"}) {
            behavioural(c, nft, "collapse virtual server groups onto nftables fwmarks");
        }
        optional(c, "vmac_prefix", "name VMAC interfaces with this prefix");
        optional(c, "vmac_addr_prefix", "name VMAC address interfaces with this prefix");
        behavioural(c, "dynamic_interfaces", "allow instances on interfaces that do not exist yet");
        optional(c, "disable_local_igmp", "stop the kernel sending IGMP reports for VRRP groups");
        optional(c, "max_auto_priority", "raise its own scheduling priority automatically");
        optional(c, "min_auto_priority_delay", "log scheduling delays above this value");
        optional(c, "vrrp_min_garp", "send one gratuitous ARP only, never repeating or refreshing");
        optional(c, "vrrp_garp_extra_if", "send gratuitous ARPs on all interfaces");
        behavioural(c, "vrrp_notify_priority_changes", "report every priority change to the notify scripts/FIFO");
        optional(c, "include_check", "check included files exist and match");
        optional(c, "linkbeat_use_polling", "poll link state instead of using netlink");
        behavioural(c, "net_namespace", "run in the named network namespace");
        behavioural(c, "net_namespace_ipvs", "configure IPVS in the named network namespace");
        optional(c, "instance", "name its pid files after this instance");
        optional(c, "use_pid_dir", "write its pid files in /run/keepalived");
        optional(c, "child_wait_time", "wait this long for its child processes at exit");
        optional(c, "namespace_with_ipsets", "use ipsets inside a network namespace");
        optional(c, "json_version", "write JSON state dumps in this version");
        optional(c, "vrrp_no_swap", "lock the vrrp process in memory");
    }

    private void vrrp() {
        supported(Context.VRRP_SCRIPT, "script", "interval", "timeout", "weight", "rise", "fall", "user", "init_fail");
        supported(Context.TRACK_FILE, "file", "weight", "init_file");
        supported(Context.AUTHENTICATION, "auth_type", "auth_pass");
        Context c = Context.VRRP_INSTANCE;
        supported(c, "state", "interface", "virtual_router_id", "priority", "advert_int", "version", "nopreempt",
                "preempt", "preempt_delay", "accept", "no_accept", "virtual_ipaddress", "virtual_ipaddress_excluded",
                "virtual_routes", "unicast_src_ip", "unicast_peer", "unicast_ttl", "unicast_fault_no_peer",
                "track_interface", "track_script", "track_file", "notify_master", "notify_backup", "notify_fault",
                "notify_stop", "notify", "notify_master_rx_lower_pri", "smtp_alert", "garp_master_delay",
                "garp_master_repeat", "garp_master_refresh", "garp_master_refresh_repeat", "garp_lower_prio_delay",
                "garp_lower_prio_repeat", "lower_prio_no_advert", "higher_prio_send_advert", "authentication",
                "mcast_src_ip", "mcast_dst_ip", "v3_checksum_as_v2", "dont_track_primary", "skip_check_adv_addr",
                "check_unicast_src", "down_timer_adverts", "lvs_sync_daemon_interface");
        behavioural(c, "use_vmac", "create a macvlan interface with the virtual MAC 00-00-5E-00-01-{VRID}");
        behavioural(c, "vmac_xmit_base", "send adverts from the base interface of the VMAC");
        behavioural(c, "use_vmac_addr", "use the VMAC's address");
        behavioural(c, "use_ipvlan", "create an ipvlan interface for the VIPs");
        behavioural(c, "native_ipv6", "force the instance to IPv6");
        behavioural(c, "strict_mode", "enforce strict RFC compliance (refusing some settings, firewalling VIPs)");
        behavioural(c, "track_process", "track a process and change priority or go to FAULT");
        behavioural(c, "track_bfd", "track a BFD session and change priority or go to FAULT");
        behavioural(c, "track_src_ip", "go to FAULT when the source address disappears");
        behavioural(c, "virtual_rules", "add policy-routing rules when MASTER");
        behavioural(c, "vrf", "bind the instance to a VRF");
        behavioural(c, "old_unicast_checksum", "compute unicast checksums the pre-2.0 way");
        behavioural(c, "notify_deleted", "run this script when the instance is removed on reload");
        behavioural(c, "notify_priority_changes", "report every priority change to the notify scripts/FIFO");
        behavioural(c, "no_virtual_ipaddress", "run without any virtual address");
        behavioural(c, "auth_hmac", "authenticate adverts with an HMAC-SHA256 trailer");
        optional(c, "promote_secondaries", "set promote_secondaries on the interface");
        optional(c, "linkbeat_use_polling", "poll link state instead of using netlink");
        optional(c, "kernel_rx_buf_size", "size the socket receive buffer");
        optional(c, "debug", "log debugging output for this instance");
        optional(c, "garp_extra_if", "send gratuitous ARPs on extra interfaces");
        optional(c, "native_ipv6_no_accept", "not accept traffic for IPv6 VIPs");

        Context g = Context.VRRP_SYNC_GROUP;
        supported(g, "group", "track_interface", "track_script", "track_file", "notify_master", "notify_backup",
                "notify_fault", "notify_stop", "notify", "smtp_alert", "sync_group_tracking_weight");
        optional(g, "global_tracking", "(deprecated) let members' trackers act on the whole group");
        behavioural(g, "track_process", "track a process and change priority or go to FAULT");
        behavioural(g, "track_bfd", "track a BFD session and change priority or go to FAULT");
        behavioural(g, "notify_deleted", "run this script when the group is removed on reload");
        behavioural(g, "notify_priority_changes", "report every priority change to the notify scripts/FIFO");
    }

    private void lvs() {
        Context v = Context.VIRTUAL_SERVER;
        supported(v, "delay_loop", "lb_algo", "lvs_sched", "lb_kind", "lvs_method", "persistence_timeout",
                "persistence_granularity", "protocol", "quorum", "hysteresis", "quorum_up", "quorum_down", "alpha",
                "omega", "inhibit_on_failure", "sorry_server", "sorry_server_inhibit", "sorry_server_lvs_method",
                "virtualhost", "connect_timeout", "retry", "delay_before_retry", "warmup", "rise", "fall", "real_server",
                "ha_suspend", "smtp_alert", "ip_family", "laddr_group_name", "local_address_group",
                "real_server_discovery", "toa");
        for (String flag : new String[] {"flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port",
                "mh-fallback", "hashed"}) {
            behavioural(v, flag, "set the scheduler flag " + flag);
        }
        behavioural(v, "ops", "schedule each UDP packet separately (one-packet scheduling)");
        behavioural(v, "persistence_engine", "use this persistence engine (sip)");
        optional(v, "snmp_name", "report this name over SNMP");

        Context r = Context.REAL_SERVER;
        supported(r, "weight", "lvs_method", "lb_kind", "notify_up", "notify_down", "inhibit_on_failure", "alpha",
                "connect_timeout", "retry", "delay_before_retry", "warmup", "delay_loop", "rise", "fall", "virtualhost",
                "smtp_alert",
                "TCP_CHECK", "HTTP_GET", "SSL_GET", "DNS_CHECK", "UDP_CHECK", "MISC_CHECK", "SMTP_CHECK",
                "PING_CHECK");
        behavioural(r, "uthreshold", "stop scheduling to the server above this many connections");
        behavioural(r, "lthreshold", "resume scheduling to the server below this many connections");
        behavioural(r, "BFD_CHECK", "mark the server down when a BFD session fails");
        behavioural(r, "FILE_CHECK", "set the server's weight from a tracked file");
        optional(r, "snmp_name", "report this name over SNMP");
        supported(Context.SSL, "password", "ca", "certificate", "key");
    }

    private void checkers() {
        for (Context c : new Context[] {Context.TCP_CHECK, Context.HTTP_GET, Context.SSL_GET, Context.DNS_CHECK,
                Context.UDP_CHECK, Context.SMTP_CHECK, Context.PING_CHECK}) {
            supported(c, CHECKER_CONNECTION);
            supported(c, CHECKER_TIMING);
        }
        supported(Context.MISC_CHECK, CHECKER_TIMING);
        supported(Context.MISC_CHECK, "misc_path", "misc_timeout", "misc_dynamic", "user");
        for (Context c : new Context[] {Context.HTTP_GET, Context.SSL_GET}) {
            supported(c, "url", "http_protocol", "fast_recovery", "nb_get_retry", "virtualhost");
        }
        supported(Context.SSL_GET, "enable_sni", "sni_name");
        optional(Context.SSL_GET, "tls_compliant", "close TLS connections with a close_notify alert");
        supported(Context.URL, "path", "digest", "status_code", "virtualhost", "regex", "regex_no_match",
                "regex_options", "regex_min_offset", "regex_max_offset");
        optional(Context.URL, "regex_stack", "size the PCRE2 JIT stack");
        supported(Context.DNS_CHECK, "type", "name");
        supported(Context.UDP_CHECK, "payload", "require_reply", "min_reply_length", "max_reply_length");
        supported(Context.SMTP_CHECK, "helo_name");
        behavioural(Context.SMTP_CHECK, "host", "check each listed host (legacy multi-host SMTP_CHECK)");
    }

    private void tandem() {
        supported(Context.SYNC_DAEMON, "interface", "inst", "id", "port", "group", "ttl", "maxlen", "unicast_src_ip",
                "unicast_peer", "key_file");
        supported(Context.ADMIN, "address", "port", "token");
        // the forwarder's worker threads (docs/fanout.md); tandem run --workers N wins over it
        supported(Context.GLOBAL_DEFS, "forwarder_workers");
        supported(Context.ZOOKEEPER, "connect", "session_timeout", "fencing", "policy", "path");
    }

    private Map<String, Keyword> of(Context c) {
        return table.computeIfAbsent(c, k -> new LinkedHashMap<>());
    }

    private void supported(Context c, String... names) {
        for (String name : names) {
            of(c).put(name, new Keyword(name, SUPPORTED, ""));
        }
    }

    private void optional(Context c, String name, String keepalivedWould) {
        of(c).putIfAbsent(name, new Keyword(name, UNSUPPORTED_OPTIONAL, keepalivedWould));
    }

    private void behavioural(Context c, String name, String keepalivedWould) {
        of(c).putIfAbsent(name, new Keyword(name, UNSUPPORTED_BEHAVIOURAL, keepalivedWould));
    }
}
