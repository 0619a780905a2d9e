package io.tandem.core.netlink;

import io.tandem.core.linux.LinuxException;

/**
 * A netlink request the kernel refused with an NLMSG_ERROR reply, for example
 * {@code RTM_NEWADDR(10.77.0.100/24 dev eth0): EEXIST}. When the kernel
 * explained itself (extended acknowledgement, NLMSGERR_ATTR_MSG), its text
 * follows in parentheses.
 */
public class NetlinkException extends LinuxException {
    private static final long serialVersionUID = 1L;

    private final String kernelMessage;

    public NetlinkException(String call, int errno, String kernelMessage) {
        super(call, errno);
        this.kernelMessage = kernelMessage == null || kernelMessage.isBlank() ? null : kernelMessage.strip();
    }

    /** The kernel's own explanation, or null when it gave none. */
    public String kernelMessage() {
        return kernelMessage;
    }

    @Override
    public String getMessage() {
        return kernelMessage == null ? super.getMessage() : super.getMessage() + " (" + kernelMessage + ")";
    }
}
