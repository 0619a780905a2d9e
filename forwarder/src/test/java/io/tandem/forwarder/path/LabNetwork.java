package io.tandem.forwarder.path;

/**
 * The lab's addresses (DESIGN.md, "The lab") as the forwarder's unit tests
 * use them, and its neighbours: on-link hosts are their own next hop, the
 * client's network is behind the router. Allocation-free like the real
 * {@link NextHops}, so that allocation tests measure the forwarder.
 */
final class LabNetwork {
    static final int CIP = 0x0A4D010A;    // 10.77.1.10, behind the router
    static final int ROUTER = 0x0A4D0001; // 10.77.0.1
    static final int DIP = 0x0A4D0002;    // 10.77.0.2, director-a
    static final int VIP = 0x0A4D0064;    // 10.77.0.100
    static final int RIP = 0x0A4D000B;    // 10.77.0.11
    static final int RIP2 = 0x0A4D000C;   // 10.77.0.12
    static final int LIP = 0x0A4D00C8;    // 10.77.0.200
    static final long ROUTER_MAC = 0x02_00_00_00_00_01L;
    static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    static final long RS_MAC = 0x02_00_00_00_00_0BL;
    static final long RS2_MAC = 0x02_00_00_00_00_0CL;

    static final NextHops NEXT_HOPS = new NextHops() {
        @Override
        public int nextHop(int destination) {
            return (destination & 0xFFFFFF00) == 0x0A4D0000 ? destination : ROUTER;
        }

        @Override
        public long macOf(int address) {
            return address == ROUTER ? ROUTER_MAC : address == RIP ? RS_MAC : address == RIP2 ? RS2_MAC : UNRESOLVED;
        }
    };

    private LabNetwork() {
    }
}
