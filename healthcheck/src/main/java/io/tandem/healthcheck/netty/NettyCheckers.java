package io.tandem.healthcheck.netty;

import io.tandem.core.process.ProcessRunner;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.CheckerFactory;
import io.tandem.healthcheck.config.CheckerConfig;
import io.tandem.healthcheck.config.DnsCheckConfig;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.MiscCheckConfig;
import io.tandem.healthcheck.config.PingCheckConfig;
import io.tandem.healthcheck.config.SmtpCheckConfig;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.config.UdpCheckConfig;
import io.tandem.healthcheck.dns.DnsChecker;
import io.tandem.healthcheck.http.HttpChecker;
import io.tandem.healthcheck.icmp.IcmpEchoPinger;
import io.tandem.healthcheck.icmp.PingChecker;
import io.tandem.healthcheck.misc.MiscChecker;
import io.tandem.healthcheck.smtp.SmtpChecker;
import io.tandem.healthcheck.tcp.TcpChecker;
import io.tandem.healthcheck.udp.UdpChecker;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The production {@link CheckerFactory}: one class per checker keyword, all
 * sharing one {@link CheckTransport}, one {@link ProcessRunner} and one
 * {@link IcmpEchoPinger} (opened on first use, since it needs a socket).
 */
public final class NettyCheckers implements CheckerFactory {
    private final CheckTransport transport;
    private final ProcessRunner processes;
    private final Supplier<IcmpEchoPinger> pinger;

    public NettyCheckers(CheckTransport transport, ProcessRunner processes, Supplier<IcmpEchoPinger> pinger) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.processes = Objects.requireNonNull(processes, "processes");
        this.pinger = Objects.requireNonNull(pinger, "pinger");
    }

    @Override
    public Checker create(CheckerConfig config) {
        return switch (config) {
            case TcpCheckConfig c -> new TcpChecker(c, transport);
            case HttpCheckConfig c -> new HttpChecker(c, transport);
            case DnsCheckConfig c -> new DnsChecker(c, transport);
            case UdpCheckConfig c -> new UdpChecker(c, transport);
            case SmtpCheckConfig c -> new SmtpChecker(c, transport);
            case MiscCheckConfig c -> new MiscChecker(c, processes);
            case PingCheckConfig c -> new PingChecker(c, pinger.get());
        };
    }
}
