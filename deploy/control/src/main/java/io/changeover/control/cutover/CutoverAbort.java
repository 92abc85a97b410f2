package io.changeover.control.cutover;

/** Why a cutover stage stopped the cutover (a timeout, a failed hook, a mismatch, a failed pipeline stage). */
public final class CutoverAbort extends RuntimeException {
    public CutoverAbort(String reason) {
        super(reason);
    }

    public CutoverAbort(String reason, Throwable cause) {
        super(reason, cause);
    }
}
