package io.tandem.vrrp.engine;

import io.tandem.vrrp.VrrpState;
import java.util.List;
import java.util.Objects;

/**
 * keepalived's {@code vrrp_sync_group}: its members change state together. A member
 * that becomes MASTER takes the BACKUP members to MASTER; a MASTER that steps down to
 * BACKUP takes the other masters along; while any member's own trackers hold it in FAULT,
 * every member is in FAULT, and when the last such fault clears they all leave FAULT
 * together. Runs on the members' event loop.
 */
public final class VrrpSyncGroup {
    private final String name;
    private final List<VrrpInstance> members;
    private boolean propagating;

    public VrrpSyncGroup(String name, List<VrrpInstance> members) {
        this.name = Objects.requireNonNull(name, "name");
        this.members = List.copyOf(members);
        if (this.members.size() < 2) {
            throw new IllegalArgumentException("invalid sync group " + name + ": " + this.members.size()
                    + " members (expected: >= 2)");
        }
        for (VrrpInstance member : this.members) {
            member.joinSyncGroup(this);
        }
        boolean fault = anyFault();
        for (VrrpInstance member : this.members) {
            member.setGroupFault(fault, "sync group " + name);
        }
    }

    public String name() {
        return name;
    }

    public List<VrrpInstance> members() {
        return members;
    }

    /** A member changed state on its own: take the others along. */
    void memberChanged(VrrpInstance member, VrrpState from, VrrpState to) {
        if (propagating) {
            return;
        }
        VrrpState target;
        if (to == VrrpState.MASTER) {
            target = VrrpState.MASTER;
        } else if (from == VrrpState.MASTER && to == VrrpState.BACKUP) {
            target = VrrpState.BACKUP;
        } else {
            if (to == VrrpState.BACKUP) {
                joinMasters(member); // started (or left FAULT) while the group is master
            }
            return;
        }
        String reason = "sync group " + name + ": " + member.name() + " " + from + " -> " + to;
        propagating = true;
        try {
            for (VrrpInstance other : members) {
                if (other != member) {
                    other.followGroup(target, reason);
                }
            }
        } finally {
            propagating = false;
        }
    }

    /** A member's own fault started or ended. */
    void memberFaultChanged(VrrpInstance member) {
        boolean fault = anyFault();
        String reason = "sync group " + name + ": " + member.name() + (member.ownFault() ? " fault" : " fault cleared");
        propagating = true;
        try {
            member.setGroupFault(fault, reason); // the member whose fault changed moves first
            for (VrrpInstance other : members) {
                other.setGroupFault(fault, reason);
            }
        } finally {
            propagating = false;
        }
        if (!fault) {
            // an address owner leaves FAULT as MASTER: the others follow it now
            for (VrrpInstance m : members) {
                if (m.state() == VrrpState.MASTER) {
                    memberChanged(m, VrrpState.BACKUP, VrrpState.MASTER);
                    break;
                }
            }
        }
    }

    private void joinMasters(VrrpInstance member) {
        for (VrrpInstance other : members) {
            if (other != member && other.state() == VrrpState.MASTER) {
                propagating = true;
                try {
                    member.followGroup(VrrpState.MASTER, "sync group " + name + ": " + other.name() + " is MASTER");
                } finally {
                    propagating = false;
                }
                return;
            }
        }
    }

    private boolean anyFault() {
        for (VrrpInstance member : members) {
            if (member.ownFault()) {
                return true;
            }
        }
        return false;
    }
}
