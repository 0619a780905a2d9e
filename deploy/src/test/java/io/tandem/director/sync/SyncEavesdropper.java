package io.tandem.director.sync;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hostile host on the directors' LAN: it joins IPVS's sync group
 * (224.0.0.81:8848) and keeps the latest message each director sent, so a
 * test can replay it, or a tampered copy, at a standby.
 */
final class SyncEavesdropper implements AutoCloseable {
    private static final int PORT = 8848;
    private final MulticastSocket socket;
    private final Map<String, byte[]> latest = new ConcurrentHashMap<>();
    private final Thread thread;

    /** Joins the group on the interface holding {@code localAddress}, in the calling thread's namespace. */
    SyncEavesdropper(InetAddress localAddress) throws IOException {
        NetworkInterface nif = NetworkInterface.getByInetAddress(localAddress);
        if (nif == null) {
            throw new IOException("no interface holds " + localAddress);
        }
        socket = new MulticastSocket(PORT);
        socket.joinGroup(new InetSocketAddress(InetAddress.ofLiteral("224.0.0.81"), PORT), nif);
        thread = Thread.ofPlatform().name("sync-eavesdropper").daemon().start(this::listen);
    }

    private void listen() {
        byte[] buf = new byte[65_536];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            // keep the master's kind of message (updates, resync pages and ends), not a backup's requests
            if (p.getLength() > 5 && p.getData()[5] != 2) {
                latest.put(p.getAddress().getHostAddress(), Arrays.copyOf(p.getData(), p.getLength()));
            }
        }
    }

    /** The latest message {@code address} sent as master (no resync request), or null. */
    byte[] latestFrom(String address) {
        byte[] m = latest.get(address);
        return m == null ? null : m.clone();
    }

    /** Sends {@code message} to {@code address}'s sync port, from the calling thread's namespace. */
    static void send(String address, byte[] message) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(message, message.length, new InetSocketAddress(address, PORT)));
        }
    }

    @Override
    public void close() throws SocketException {
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
