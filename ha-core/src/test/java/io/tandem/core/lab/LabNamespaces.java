package io.tandem.core.lab;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** What {@code ip netns list} shows, for tests that check a lab left nothing behind. */
public final class LabNamespaces {
    private LabNamespaces() {
    }

    /** The names of all namespaces now present. */
    public static List<String> all() throws IOException {
        return Arrays.stream(Command.run("ip", "netns", "list").orThrow().stdout().split("\n"))
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")[0])
                .toList();
    }

    /** The namespaces of lab {@code prefix} ({@code <prefix>-...}) now present. */
    public static List<String> ofLab(String prefix) throws IOException {
        return all().stream().filter(name -> name.startsWith(prefix + "-")).toList();
    }
}
