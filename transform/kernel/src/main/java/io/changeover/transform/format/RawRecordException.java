package io.changeover.transform.format;

/** A raw record that does not follow the raw format; names the part at fault (a data error: dead-lettered). */
public final class RawRecordException extends RuntimeException {
    private final String part;

    public RawRecordException(String part, String message) {
        super("raw record " + part + ": " + message);
        this.part = part;
    }

    /** The part at fault: {@code key}, {@code value} or a field of the value. */
    public String part() {
        return part;
    }
}
