package io.changeover.demo.sample;

import java.util.Optional;

/** The demo's stand-in for the services that keep writing to the source while it is migrated. */
public interface DemoWriter extends AutoCloseable {
    /** Operations acknowledged so far, by kind. */
    LiveWriterCounts counts();

    /** The write error that stopped the writer, if one did. */
    Optional<Throwable> failure();

    /** Stops after the operation in flight. */
    @Override
    void close();
}
