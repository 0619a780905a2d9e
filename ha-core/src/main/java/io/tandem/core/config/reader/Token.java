package io.tandem.core.config.reader;

/** A word of a configuration line, or an unquoted brace. */
record Token(Kind kind, String text) {
    enum Kind { WORD, OPEN, CLOSE }

    static final Token OPEN = new Token(Kind.OPEN, "{");
    static final Token CLOSE = new Token(Kind.CLOSE, "}");
}
