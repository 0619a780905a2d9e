package io.tandem.core.config.model;

/** The L4 {@code protocol} of a virtual server (default TCP). */
public enum Protocol { TCP, UDP, SCTP }
