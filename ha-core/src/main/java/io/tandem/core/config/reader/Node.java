package io.tandem.core.config.reader;

import io.tandem.core.config.Location;
import java.util.List;
import java.util.Objects;

/**
 * One statement of the configuration: its first word ({@link #keyword()}), the words after it
 * ({@link #args()}) and, for a block ({@code keyword args { ... }}), the statements inside it.
 * In list blocks such as {@code virtual_ipaddress} the "keyword" is simply the first word of the line.
 */
public record Node(String keyword, List<String> args, Location location, List<Node> children, boolean block) {
    public Node {
        Objects.requireNonNull(keyword, "keyword");
        args = List.copyOf(args);
        Objects.requireNonNull(location, "location");
        children = List.copyOf(children);
    }

    /** The {@code i}-th word after the keyword, or null when there are fewer. */
    public String arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }

    public int argCount() {
        return args.size();
    }

    /** The keyword and its arguments as written, for messages. */
    public String text() {
        return args.isEmpty() ? keyword : keyword + " " + String.join(" ", args);
    }

    /** The whole line as words: the keyword followed by the arguments. */
    public List<String> words() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(keyword), args.stream()).toList();
    }
}
