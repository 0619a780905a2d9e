package io.tandem.director.run;

import io.tandem.forwarder.engine.RealServerSpec;
import io.tandem.forwarder.engine.ServiceAddress;
import io.tandem.forwarder.engine.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reload does to the virtual services, by {@link ServiceAddress}: services added,
 * removed, changed (anything of the service or its real servers), the rest unchanged and not
 * touched at all (their connections, weights and counters stay as they are).
 */
public record ServiceChanges(List<ServiceSpec> added, List<ServiceSpec> removed, List<Change> changed,
                             List<ServiceSpec> unchanged) {
    public ServiceChanges {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
    }

    /** One service in both files, configured differently. */
    public record Change(ServiceSpec old, ServiceSpec next) {
        /** Real servers in the new file only. */
        public List<RealServerSpec> addedRealServers() {
            return next.realServers().stream().filter(r -> old.realServer(r.address(), r.port()).isEmpty()).toList();
        }

        /** Real servers in the old file only. */
        public List<RealServerSpec> removedRealServers() {
            return old.realServers().stream().filter(r -> next.realServer(r.address(), r.port()).isEmpty()).toList();
        }

        /** Real servers in both whose weight or forwarding method changed (as the new file has them). */
        public List<RealServerSpec> changedRealServers() {
            return next.realServers().stream().filter(r -> old.realServer(r.address(), r.port())
                    .filter(o -> !o.equals(r)).isPresent()).toList();
        }

        /** True when the scheduler, its flags, persistence or local addresses changed. */
        public boolean serviceSettingsChanged() {
            return !old.withRealServers(List.of()).equals(next.withRealServers(List.of()));
        }

        @Override
        public String toString() {
            List<String> what = new ArrayList<>();
            if (serviceSettingsChanged()) {
                what.add("settings");
            }
            if (!addedRealServers().isEmpty()) {
                what.add("+" + addedRealServers());
            }
            if (!removedRealServers().isEmpty()) {
                what.add("-" + removedRealServers());
            }
            if (!changedRealServers().isEmpty()) {
                what.add("~" + changedRealServers());
            }
            return next.serviceAddress() + " " + String.join(" ", what);
        }
    }

    public static ServiceChanges of(List<ServiceSpec> old, List<ServiceSpec> next) {
        Map<ServiceAddress, ServiceSpec> before = new LinkedHashMap<>();
        old.forEach(s -> before.put(s.serviceAddress(), s));
        List<ServiceSpec> added = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        List<ServiceSpec> unchanged = new ArrayList<>();
        for (ServiceSpec s : next) {
            ServiceSpec was = before.remove(s.serviceAddress());
            if (was == null) {
                added.add(s);
            } else if (sameConfiguration(was, s)) {
                unchanged.add(s);
            } else {
                changed.add(new Change(was, s));
            }
        }
        return new ServiceChanges(added, new ArrayList<>(before.values()), changed, unchanged);
    }

    /** Equal settings and the same real servers, in any order. */
    private static boolean sameConfiguration(ServiceSpec a, ServiceSpec b) {
        return a.withRealServers(List.of()).equals(b.withRealServers(List.of()))
                && a.realServers().size() == b.realServers().size()
                && a.realServers().stream().allMatch(r -> b.realServer(r.address(), r.port()).filter(r::equals)
                        .isPresent());
    }

    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /** For the reload's log line. */
    public String summary() {
        return "services: " + unchanged.size() + " unchanged, added " + added.stream().map(ServiceSpec::serviceAddress)
                .toList() + ", removed " + removed.stream().map(ServiceSpec::serviceAddress).toList() + ", changed "
                + changed;
    }
}
