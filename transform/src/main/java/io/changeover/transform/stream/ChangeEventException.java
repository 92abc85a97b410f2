package io.changeover.transform.stream;

/** A raw record that is not a readable Debezium MongoDB change event; {@link #part()} names what was wrong. */
public class ChangeEventException extends RuntimeException {
    private final String part;

    public ChangeEventException(String part, String message, Throwable cause) {
        super(part + ": " + message, cause);
        this.part = part;
    }

    /** The part of the record at fault: {@code key}, {@code value}, {@code op}, {@code after}, {@code source}. */
    public String part() {
        return part;
    }
}
