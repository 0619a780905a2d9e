package io.tandem.core.config.model;

/** The initial {@code state} of a VRRP instance; keepalived starts every instance in BACKUP regardless. */
public enum State { MASTER, BACKUP }
