package io.tandem.core.config.keyword;

/** How Tandem treats a keyword that keepalived (or Tandem itself) knows. */
public enum Support {
    /** Mapped into the configuration model. */
    SUPPORTED,
    /** Not supported yet and ignored with a warning: keepalived treats it as an optional extra. */
    UNSUPPORTED_OPTIONAL,
    /** Not supported yet and an error: ignoring it would make Tandem behave differently. */
    UNSUPPORTED_BEHAVIOURAL
}
