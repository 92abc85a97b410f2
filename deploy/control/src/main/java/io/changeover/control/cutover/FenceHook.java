package io.changeover.control.cutover;

/**
 * The operator's way to stop the services' writes to the source for the cutover, and to let them write again when a
 * cutover aborts. Changeover cannot stop another team's services; the operator provides this (see docs/cutover.md).
 */
public interface FenceHook {

    /** Stops application writes to the source; returns when they have stopped, throws when it could not. */
    void fence() throws Exception;

    /** Lets application writes to the source resume (after an aborted cutover). */
    void unfence() throws Exception;

    /** What the hook does, for reports. */
    String describe();

    /** For operators who stopped the writes themselves and say so explicitly ({@code --writes-stopped}). */
    FenceHook WRITES_ALREADY_STOPPED = new FenceHook() {
        @Override
        public void fence() {
        }

        @Override
        public void unfence() {
        }

        @Override
        public String describe() {
            return "none: the operator stated that application writes are already stopped";
        }
    };
}
