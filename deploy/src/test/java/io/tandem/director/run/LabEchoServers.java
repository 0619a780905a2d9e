package io.tandem.director.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lab real server's TCP and UDP echo: TCP echoes every byte back (a stream
 * the client checks end to end); UDP answers each datagram with the server's
 * name, a space and the datagram. Opened in the calling thread's network
 * namespace; a DR or TUN real server binds UDP to the VIP, so that its answers
 * leave from the VIP.
 */
final class LabEchoServers implements AutoCloseable {
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final String name;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    final AtomicLong tcpBytes = new AtomicLong();
    final AtomicLong udpDatagrams = new AtomicLong();

    LabEchoServers(String name, int tcpPort, InetSocketAddress udpBind) throws IOException {
        this.name = name;
        this.tcp = new ServerSocket(tcpPort, 128);
        this.udp = new DatagramSocket(udpBind);
        threads.submit(this::acceptTcp);
        threads.submit(this::serveUdp);
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket s = tcp.accept();
                threads.submit(() -> echo(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket s) {
        byte[] buf = new byte[16384];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                tcpBytes.addAndGet(n);
            }
        } catch (IOException e) {
            // the client went away (or a health check's probe)
        }
    }

    private void serveUdp() {
        byte[] buf = new byte[2048];
        byte[] prefix = (name + " ").getBytes(StandardCharsets.US_ASCII);
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] answer = Arrays.copyOf(prefix, prefix.length + p.getLength());
                System.arraycopy(buf, 0, answer, prefix.length, p.getLength());
                udp.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                udpDatagrams.incrementAndGet();
            } catch (IOException e) {
                if (udp.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
        threads.shutdownNow();
    }
}
