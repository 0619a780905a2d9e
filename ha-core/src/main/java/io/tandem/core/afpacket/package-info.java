/**
 * AF_PACKET sockets and their memory-mapped rings through the FFM API: the
 * forwarder's packet I/O (packet(7), Documentation/networking/packet_mmap.rst).
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link io.tandem.core.afpacket.PacketSocket}: a {@code SOCK_RAW} socket
 *     bound to one interface and ethertype, opened from a
 *     {@link io.tandem.core.afpacket.PacketSocketContext} (promiscuous
 *     membership, {@code PACKET_IGNORE_OUTGOING}, {@code PACKET_QDISC_BYPASS},
 *     {@link io.tandem.core.afpacket.Fanout}, rings). Plain {@code sendto} and
 *     {@code recvfrom} for the control path and tests.</li>
 * <li>{@link io.tandem.core.afpacket.PacketRxRing} and
 *     {@link io.tandem.core.afpacket.PacketTxRing}: the rings, walked with one
 *     reusable view each ({@link io.tandem.core.afpacket.RxFrame},
 *     {@link io.tandem.core.afpacket.TxFrame}) over
 *     {@link io.tandem.core.afpacket.Tpacket2Header} frames laid out by
 *     {@link io.tandem.core.afpacket.RingGeometry}.</li>
 * </ul>
 *
 * <h2>Why TPACKET_V2</h2>
 * TPACKET_V3 hands whole blocks to user space and returns a block only when
 * the kernel retires it, when full or when its timer fires
 * ({@code DEFAULT_PRB_RETIRE_TOV}, 8 ms unless set): at low rates a frame
 * waits for the timer, so latency is spiky; gVisor uses V2 for that reason
 * (google/gvisor#10966). TPACKET_V2
 * hands over and takes back frame by frame: a frame is visible as soon as the
 * kernel writes it and its slot returns as soon as it is released. V2 also
 * gives the 802.1Q tag the interface removed ({@code tp_vlan_tci}) and works
 * the same way for the transmit ring, so both directions share one header.
 * The cost is one status word per frame instead of per block, which is small
 * next to copying the frame.
 *
 * <h2>Batches</h2>
 * Receiving needs no system call while frames are ready: the owner reads
 * {@code tp_status} (acquire), handles the frame and writes it back to the
 * kernel (release); poll(2) is called only when the ring is empty. Sending
 * fills as many free slots as the batch has, marks each
 * {@code TP_STATUS_SEND_REQUEST}, then one {@code sendto(fd, NULL, 0,
 * MSG_DONTWAIT)} makes the kernel send all of them; slots come back
 * {@code TP_STATUS_AVAILABLE} once their frames have left.
 *
 * <h2>Ownership</h2>
 * One thread owns a socket with its rings, their views and counters: nothing
 * here is synchronized, as in Aeron's one-agent-per-thread model. Workers that
 * share an interface each open their own socket and join one
 * {@link io.tandem.core.afpacket.FanoutMode#HASH} group, so that every flow
 * lands on one worker. Nothing is allocated per frame (each slot's slice is
 * made once); set-up failures throw
 * {@link io.tandem.core.linux.LinuxException} naming the call, while per-frame
 * calls return {@code -errno} and bad frames are counted, never thrown.
 *
 * <h2>Kernel facts the tests pinned down</h2>
 * <ul>
 * <li>Outgoing frames reach only {@code ETH_P_ALL} sockets.</li>
 * <li>A VLAN tag whose VID has no VLAN device is reported ({@code tp_vlan_tci})
 *     only to {@code ETH_P_ALL} sockets; per-ethertype sockets see the frame
 *     untagged, without the tag.</li>
 * <li>{@code PACKET_LOSS} and {@code PACKET_VERSION} must be set before any
 *     ring exists ({@code EBUSY} after).</li>
 * </ul>
 */
package io.tandem.core.afpacket;
