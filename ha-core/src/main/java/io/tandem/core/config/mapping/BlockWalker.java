package io.tandem.core.config.mapping;

import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.keyword.Keyword;
import io.tandem.core.config.keyword.KeywordRegistry;
import io.tandem.core.config.reader.Node;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a block's statements through the keyword table: an unknown keyword is an error naming the
 * nearest known one, an UNSUPPORTED_OPTIONAL keyword a warning, an UNSUPPORTED_BEHAVIOURAL one an
 * error, both saying what keepalived would have done; SUPPORTED ones go to the mapper's handler.
 */
final class BlockWalker {
    private final KeywordRegistry registry;
    private final Diagnostics diagnostics;

    BlockWalker(KeywordRegistry registry, Diagnostics diagnostics) {
        this.registry = registry;
        this.diagnostics = diagnostics;
    }

    void walk(Node block, Context context, Consumer<Node> handler) {
        for (Node n : block.children()) {
            Optional<Keyword> keyword = registry.lookup(context, n.keyword());
            if (keyword.isEmpty()) {
                diagnostics.error(n.location(), unknown(context, n.keyword()));
                continue;
            }
            Keyword k = keyword.get();
            switch (k.support()) {
                case SUPPORTED -> handler.accept(n);
                case UNSUPPORTED_OPTIONAL -> diagnostics.warning(n.location(), "'" + n.keyword()
                        + "' is not supported yet, ignored; keepalived would " + k.keepalivedWould());
                case UNSUPPORTED_BEHAVIOURAL -> diagnostics.error(n.location(), "'" + n.keyword()
                        + "' is not supported yet; keepalived would " + k.keepalivedWould()
                        + ", so ignoring it would change behaviour");
            }
        }
    }

    private String unknown(Context context, String name) {
        Optional<String> nearest = registry.nearest(context, name);
        if (nearest.isPresent()) {
            return "unknown keyword '" + name + "' (did you mean '" + nearest.get() + "'?)";
        }
        Optional<Context> elsewhere = registry.otherContext(context, name);
        if (elsewhere.isPresent()) {
            return "unknown keyword '" + name + "' in " + context.blockName() + " (it belongs in "
                    + elsewhere.get().blockName() + ")";
        }
        return "unknown keyword '" + name + "' in " + context.blockName();
    }
}
