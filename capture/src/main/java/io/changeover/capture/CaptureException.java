package io.changeover.capture;

/** Capture cannot go on: the message names the collection, topic or setting at fault. */
public class CaptureException extends RuntimeException {
    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
