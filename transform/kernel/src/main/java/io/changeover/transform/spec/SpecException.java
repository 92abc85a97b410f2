package io.changeover.transform.spec;

/** A spec that cannot be used; the message names the file, line, collection and step at fault and what was expected. */
public class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
