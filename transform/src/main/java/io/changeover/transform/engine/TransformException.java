package io.changeover.transform.engine;

/**
 * A source document that a collection's transform cannot turn into a target document (a data error: the record goes
 * to the dead-letter topic). Names the collection, the step and the reason.
 */
public class TransformException extends RuntimeException {
    private final String collection;
    private final String step;
    private final String reason;

    public TransformException(String collection, String step, String reason, Throwable cause) {
        super("collection '" + collection + "', " + step + ": " + reason, cause);
        this.collection = collection;
        this.step = step;
        this.reason = reason;
    }

    /** The source collection. */
    public String collection() {
        return collection;
    }

    /** The step at fault, e.g. {@code step 2 (rename)}, or what failed outside steps ({@code target _id}). */
    public String step() {
        return step;
    }

    public String reason() {
        return reason;
    }
}
