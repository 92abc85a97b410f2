package io.changeover.sink;

/** A target error that declares itself retriable ({@link WriteErrors#isRetriable}): the same write may succeed later. */
public final class RetriableTargetException extends RuntimeException {
    public RetriableTargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
