package io.tandem.core.config.keyword;

/** The kinds of block whose statements are keywords (list blocks such as virtual_ipaddress are not). */
public enum Context {
    ROOT("top level"),
    GLOBAL_DEFS("global_defs"),
    VRRP_SCRIPT("vrrp_script"),
    TRACK_FILE("track_file"),
    VRRP_INSTANCE("vrrp_instance"),
    AUTHENTICATION("authentication"),
    VRRP_SYNC_GROUP("vrrp_sync_group"),
    VIRTUAL_SERVER("virtual_server"),
    REAL_SERVER("real_server"),
    TCP_CHECK("TCP_CHECK"),
    HTTP_GET("HTTP_GET"),
    SSL_GET("SSL_GET"),
    URL("url"),
    DNS_CHECK("DNS_CHECK"),
    UDP_CHECK("UDP_CHECK"),
    MISC_CHECK("MISC_CHECK"),
    SMTP_CHECK("SMTP_CHECK"),
    PING_CHECK("PING_CHECK"),
    SSL("SSL"),
    SYNC_DAEMON("sync_daemon"),
    ADMIN("admin"),
    ZOOKEEPER("zookeeper");

    private final String blockName;

    Context(String blockName) {
        this.blockName = blockName;
    }

    /** The block's name as written in the file, for messages. */
    public String blockName() {
        return blockName;
    }
}
