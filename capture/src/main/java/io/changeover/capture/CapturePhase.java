package io.changeover.capture;

/** Where a {@link ChangeStreamCapture} is in its life. */
public enum CapturePhase {
    /** Created, or started and waiting for the connector's first record. */
    STARTING,
    /** Copying existing documents ({@code op: r} records). */
    SNAPSHOT,
    /** Following the change stream ({@code c/u/d} records and heartbeats). */
    STREAMING,
    /** The engine stopped with an error; see {@link ChangeStreamCapture#failure()}. */
    FAILED,
    /** Closed on request, or the engine ended without an error. */
    STOPPED
}
