package io.tandem.core.netlink;

import java.io.IOException;

/** Receives each data message of a reply (not the NLMSG_DONE or NLMSG_ERROR that ends it). */
@FunctionalInterface
public interface ReplyHandler {
    ReplyHandler IGNORE = message -> { };

    void onMessage(MessageCursor message) throws IOException;
}
