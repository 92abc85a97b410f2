package io.changeover.sink.relational;

/** A document value the column's type cannot hold: a data error, the document goes to the dead-letter topic. */
public final class ColumnValueException extends RuntimeException {
    public ColumnValueException(String message) {
        super(message);
    }
}
