package io.tandem.core.netlink;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ProtocolException;
import java.util.function.Supplier;

/**
 * The reply to one request, assembled from the datagrams that answer it
 * (rtnetlink(7), netlink(7)): a dump ends with NLMSG_DONE; a request with
 * NLM_F_ACK ends with NLMSG_ERROR (error 0 is the acknowledgement); any other
 * request ends with its single reply. A non-zero error becomes a
 * {@link NetlinkException} naming the operation. Messages carrying another
 * sequence number are left alone.
 */
final class PendingReply {
    private final int seq;
    private final boolean dump;
    private final boolean ack;
    private final Supplier<String> call;
    private final ReplyHandler handler;
    private final MessageCursor cursor = new MessageCursor();
    private boolean complete;
    private boolean interrupted;

    /**
     * @param dump the request was a dump (NLM_F_DUMP on a GET): it ends with NLMSG_DONE
     * @param ack the request carried NLM_F_ACK: it ends with NLMSG_ERROR
     */
    PendingReply(int seq, boolean dump, boolean ack, Supplier<String> call, ReplyHandler handler) {
        this.seq = seq;
        this.dump = dump;
        this.ack = ack;
        this.call = call;
        this.handler = handler;
    }

    /** Takes in one received datagram; returns true once the reply is complete. */
    boolean accept(MemorySegment datagram, long length) throws IOException {
        cursor.wrap(datagram, length);
        while (!complete && cursor.next()) {
            if (cursor.seq() != seq) {
                continue;
            }
            switch (cursor.type()) {
                case Netlink.NLMSG_NOOP -> { }
                case Netlink.NLMSG_ERROR -> {
                    int error = NlMsgErr.error(cursor);
                    if (error != 0) {
                        throw new NetlinkException(call.get(), -error, NlMsgErr.kernelMessage(cursor));
                    }
                    complete = true;
                }
                case Netlink.NLMSG_DONE -> {
                    int error = cursor.payloadLength() >= 4 ? NlMsgErr.error(cursor) : 0;
                    if (error < 0) {
                        throw new NetlinkException(call.get(), -error, null);
                    }
                    interrupted |= (cursor.flags() & Netlink.NLM_F_DUMP_INTR) != 0;
                    complete = dump || !ack;
                }
                case Netlink.NLMSG_OVERRUN -> throw new ProtocolException(call.get() + ": NLMSG_OVERRUN, data lost");
                default -> {
                    interrupted |= (cursor.flags() & Netlink.NLM_F_DUMP_INTR) != 0;
                    handler.onMessage(cursor);
                    if ((cursor.flags() & Netlink.NLM_F_MULTI) == 0 && !ack && !dump) {
                        complete = true;
                    }
                }
            }
        }
        return complete;
    }

    boolean complete() {
        return complete;
    }

    /** True when the kernel flagged the dump NLM_F_DUMP_INTR: the table changed while it was read. */
    boolean interrupted() {
        return interrupted;
    }
}
