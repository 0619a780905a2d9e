package io.tandem.benchmarks;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Issue 5's table memory: a connection table of 1 and of 10 million entries, filled with
 * distinct TCP flows, and what it costs: the bytes per connection the table reserves (entry and
 * bucket heads, off-heap), the process's resident memory and the Java heap before and after
 * (measured, not computed), and the time per insert and per lookup of every flow. A plain main,
 * not JMH: the figure is memory, and one fill of 10 million entries is the experiment.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.tandem.benchmarks.TableMemoryBenchmark [1000000 10000000]
 * }</pre>
 */
public final class TableMemoryBenchmark {
    private static final int VIP = 0x0A4D0064;
    private static final int RIP = 0x0A4D000B;

    private TableMemoryBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int[] sizes = args.length == 0 ? new int[] {1_000_000, 10_000_000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("Run %s, %d CPUs, Java %s, max heap %d MiB%n%n", java.time.Instant.now(),
                Runtime.getRuntime().availableProcessors(), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| connections | reserved B/conn (entry + buckets) | resident B/conn (measured) "
                + "| heap B/conn | insert ns | lookup ns |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            measure(n);
        }
    }

    private static void measure(int n) throws IOException {
        ServiceTable services = new ServiceTable();
        VirtualService service = new VirtualService(services.nextId(), 6, VIP, 80, Schedulers.create("rr", List.of()));
        for (int i = 0; i < 4; i++) {
            service.addRealServer(RIP + i, 8080, 1, ForwardMethod.NAT);
        }
        services.add(service);
        long heapBefore = heapUsed();
        long rssBefore = residentBytes();
        ConnectionTable table = new ConnectionTable(n, Timeouts.ipvsDefaults(), new ServiceCounters(services));
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int id = table.create(6, 0x0B000000 + (i >>> 12), 1024 + (i & 0xFFF), VIP, 80, RIP + (i & 3), 8080,
                    0, 0, ForwardMethod.NAT, service.id(), i & 3, ConnectionTable.NONE, 0);
            if (id == ConnectionTable.NONE) {
                throw new IllegalStateException("table full at " + i + " of " + n);
            }
        }
        long inserted = System.nanoTime() - start;
        start = System.nanoTime();
        long found = 0;
        for (int i = 0; i < n; i++) {
            found += table.lookupIn(6, 0x0B000000 + (i >>> 12), 1024 + (i & 0xFFF), VIP, 80, 0) != ConnectionTable.NONE
                    ? 1 : 0;
        }
        long looked = System.nanoTime() - start;
        if (found != n || table.size() != n) {
            throw new IllegalStateException("found " + found + " of " + n + " flows, table size " + table.size());
        }
        long rssAfter = residentBytes();
        long heapAfter = heapUsed();
        System.out.printf("| %,d | %.1f | %.1f | %.2f | %.0f | %.0f |%n", n, table.bytesPerConnection(),
                (rssAfter - rssBefore) / (double) n, (heapAfter - heapBefore) / (double) n, inserted / (double) n,
                looked / (double) n);
        table.close();
    }

    /** VmRSS of this process, from /proc/self/status. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    private static long heapUsed() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
