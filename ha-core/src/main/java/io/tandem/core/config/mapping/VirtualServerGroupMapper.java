package io.tandem.core.config.mapping;

import io.tandem.core.config.model.VirtualServerGroup;
import io.tandem.core.config.reader.Node;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps {@code virtual_server_group NAME { IP[-LAST|/N] [PORT] | fwmark N [inet|inet6] ... }}. */
final class VirtualServerGroupMapper {
    private final Values values;
    private final AddressParser addresses;
    private final Trackers lists;

    VirtualServerGroupMapper(Values values) {
        this.values = values;
        this.addresses = new AddressParser(values);
        this.lists = new Trackers(values, null);
    }

    Optional<VirtualServerGroup> map(Node block) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        String name = values.string(block, 0, "a group name");
        if (name == null) {
            return Optional.empty();
        }
        List<VirtualServerGroup.Entry> entries = new ArrayList<>();
        for (Node line : lists.lines(block)) {
            if (line.keyword().equals("fwmark")) {
                values.maxArgs(line, 2, "fwmark N [inet|inet6]");
                Long mark = values.integer(line, 0, 1, 0xffffffffL);
                Optional<String> family = line.argCount() > 1
                        ? Optional.ofNullable(values.choice(line, 1, "inet", "inet6")) : Optional.empty();
                if (mark != null) {
                    entries.add(new VirtualServerGroup.Fwmark(mark, family));
                }
                continue;
            }
            values.maxArgs(line, 1, "IP[-LAST|/PREFIX] [PORT]");
            InetAddress[] range = addresses.range(line, line.keyword());
            Integer port = line.argCount() > 0 ? values.port(line, 0) : Integer.valueOf(0);
            if (range != null && port != null) {
                entries.add(new VirtualServerGroup.AddressRange(range[0], range[1], port));
            }
        }
        if (entries.isEmpty()) {
            values.warning(block, "virtual_server_group " + name + " is empty");
        }
        return Optional.of(new VirtualServerGroup(name, block.location(), entries));
    }
}
