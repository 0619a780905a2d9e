package io.tandem.core.netlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Kernel parameters under {@code /proc/sys}, named as sysctl(8) names them:
 * {@code net.ipv4.ip_forward} is {@code /proc/sys/net/ipv4/ip_forward}. As in
 * sysctl(8), a slash in a component stands for a dot in the file name, for
 * interfaces such as {@code eth0.100}: {@code net.ipv4.conf.eth0/100.arp_ignore}.
 *
 * <p>{@code net.*} values belong to the network namespace of the calling
 * thread, so a thread inside a namespace reads and writes that namespace's.
 */
public final class Sysctl {
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_@:+/-][A-Za-z0-9_@:+/.-]*");

    private final Path root;

    /** Parameters under {@code root} instead of {@code /proc/sys} (for tests). */
    public Sysctl(Path root) {
        this.root = root;
    }

    /** The parameters of the running kernel, under {@code /proc/sys}. */
    public static Sysctl proc() {
        return new Sysctl(Path.of("/proc/sys"));
    }

    /** The file holding {@code name}. */
    public Path path(String name) {
        String[] components = name.split("\\.", -1);
        Path path = root;
        for (String component : components) {
            if (!COMPONENT.matcher(component).matches() || component.startsWith("/") || component.endsWith("/")) {
                throw new IllegalArgumentException("invalid sysctl name: '" + name
                        + "' (expected: dot-separated components, such as net.ipv4.conf.eth0.arp_ignore)");
            }
            path = path.resolve(component.replace('/', '.'));
        }
        return path;
    }

    /** The value of {@code name}, without its trailing newline. */
    public String read(String name) throws IOException {
        Path path = path(name);
        try {
            return Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw noSuchKey(name, path, e);
        } catch (AccessDeniedException e) {
            throw failure(name, "permission denied reading " + path, e);
        } catch (IOException e) {
            throw failure(name, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The value of {@code name} as an integer, such as 0 or 1 for a switch. */
    public int readInt(String name) throws IOException {
        String value = read(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw failure(name, "value '" + value + "' is not an integer", e);
        }
    }

    /** Sets {@code name} to {@code value}; the kernel may refuse a value it does not accept. */
    public void write(String name, String value) throws IOException {
        Path path = path(name);
        try {
            Files.writeString(path, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (NoSuchFileException e) {
            throw noSuchKey(name, path, e);
        } catch (AccessDeniedException e) {
            throw failure(name, "permission denied writing '" + value + "' to " + path
                    + " (needs root, and the parameter must be writable)", e);
        } catch (IOException e) {
            throw failure(name, "kernel refused '" + value + "' for " + path + ": " + e.getMessage(), e);
        }
    }

    public void write(String name, int value) throws IOException {
        write(name, Integer.toString(value));
    }

    private static IOException noSuchKey(String name, Path path, IOException cause) {
        return failure(name, "no such parameter (" + path + " does not exist)", cause);
    }

    private static IOException failure(String name, String what, Exception cause) {
        return new IOException("sysctl " + name + ": " + what, cause);
    }
}
