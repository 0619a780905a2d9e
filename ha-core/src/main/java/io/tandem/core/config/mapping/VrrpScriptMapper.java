package io.tandem.core.config.mapping;

import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.model.TrackFile;
import io.tandem.core.config.model.VrrpScript;
import io.tandem.core.config.reader.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** Maps {@code vrrp_script NAME { ... }} and the top-level {@code track_file NAME { ... }} blocks. */
final class VrrpScriptMapper {
    private final BlockWalker walker;
    private final Values values;

    VrrpScriptMapper(BlockWalker walker, Values values) {
        this.walker = walker;
        this.values = values;
    }

    Optional<VrrpScript> script(Node block) {
        String name = name(block);
        if (name == null) {
            return Optional.empty();
        }
        var s = new Object() {
            String command;
            Duration interval = Duration.ofSeconds(1);
            Duration timeout;
            int weight;
            boolean reverse;
            int rise = 1;
            int fall = 1;
            boolean initFail;
            Optional<String> user = Optional.empty();
            Optional<String> group = Optional.empty();
        };
        walker.walk(block, Context.VRRP_SCRIPT, n -> {
            if (!values.shape(n, false)) {
                return;
            }
            switch (n.keyword()) {
                case "script" -> s.command = n.argCount() > 1 ? String.join(" ", n.args())
                        : values.string(n, 0, "a command line");
                case "interval" -> GlobalDefsMapper.set(values.timer(n, 0, 0.000001, 86400), v -> s.interval = v);
                case "timeout" -> GlobalDefsMapper.set(values.timer(n, 0, 0.000001, 86400), v -> s.timeout = v);
                case "weight" -> {
                    GlobalDefsMapper.set(values.intValue(n, 0, -253, 253), v -> s.weight = v);
                    s.reverse = "reverse".equals(n.arg(1));
                }
                case "rise" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 1_000_000), v -> s.rise = v);
                case "fall" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 1_000_000), v -> s.fall = v);
                case "init_fail" -> s.initFail = true;
                case "user" -> {
                    s.user = Optional.ofNullable(values.string(n, 0, "USERNAME [GROUPNAME]"));
                    s.group = Optional.ofNullable(n.arg(1));
                }
                default -> throw unmapped(n, "vrrp_script");
            }
        });
        if (s.command == null) {
            values.error(block, "vrrp_script " + name + ": no script (expected: script \"COMMAND\")");
            return Optional.empty();
        }
        ScriptCommand command = ScriptCommand.of(s.command, s.user, s.group);
        if (command.argv().isEmpty()) {
            values.error(block, "vrrp_script " + name + ": empty script (expected: a program path)");
            return Optional.empty();
        }
        return Optional.of(new VrrpScript(name, block.location(), command, s.interval,
                s.timeout == null ? s.interval : s.timeout, s.weight, s.reverse, s.rise, s.fall, s.initFail));
    }

    Optional<TrackFile> trackFile(Node block) {
        String name = name(block);
        if (name == null) {
            return Optional.empty();
        }
        var t = new Object() {
            Path file;
            int weight = 1;
            boolean reverse;
            OptionalLong init = OptionalLong.empty();
            boolean overwrite;
        };
        walker.walk(block, Context.TRACK_FILE, n -> {
            if (!values.shape(n, false)) {
                return;
            }
            switch (n.keyword()) {
                case "file" -> GlobalDefsMapper.set(values.string(n, 0, "a file path"), v -> t.file = values.path(n, v));
                case "weight" -> {
                    GlobalDefsMapper.set(values.intValue(n, 0, -2147483647, 2147483647), v -> t.weight = v);
                    t.reverse = "reverse".equals(n.arg(1));
                }
                case "init_file" -> {
                    int i = 0;
                    if (n.arg(0) != null && !n.arg(0).equals("overwrite")) {
                        Long v = values.integer(n, 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
                        t.init = v == null ? OptionalLong.empty() : OptionalLong.of(v);
                        i = 1;
                    } else {
                        t.init = OptionalLong.of(0);
                    }
                    t.overwrite = "overwrite".equals(n.arg(i));
                }
                default -> throw unmapped(n, "track_file");
            }
        });
        if (t.file == null) {
            values.error(block, "track_file " + name + ": no file (expected: file \"PATH\")");
            return Optional.empty();
        }
        return Optional.of(new TrackFile(name, block.location(), t.file, t.weight, t.reverse, t.init, t.overwrite));
    }

    private String name(Node block) {
        if (!values.shape(block, true)) {
            return null;
        }
        return values.string(block, 0, "a name");
    }

    static IllegalStateException unmapped(Node n, String block) {
        return new IllegalStateException("keyword table marks " + n.keyword() + " SUPPORTED in " + block
                + " but no mapper handles it");
    }
}
