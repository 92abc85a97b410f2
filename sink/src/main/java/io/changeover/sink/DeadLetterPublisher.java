package io.changeover.sink;

/** Where the sink sends records the target refused for their content ({@link AppliedBatch.Rejected}). */
public interface DeadLetterPublisher extends AutoCloseable {
    /** Sends the record with the reason; may buffer until {@link #flush()}. */
    void publish(String collection, AppliedBatch.Rejected rejected);

    /** Returns once everything published is stored; throws if anything was not (the sink then stops). */
    void flush();

    @Override
    void close();
}
