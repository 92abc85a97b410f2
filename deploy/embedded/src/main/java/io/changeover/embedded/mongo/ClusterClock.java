package io.changeover.embedded.mongo;

import java.time.Clock;

/**
 * Hands out the cluster times of oplog entries: seconds are wall-clock seconds, the increment counts entries
 * within the second, and every time is strictly greater than the one before (even if the wall clock steps back).
 * Times are packed as MongoDB packs a BSON timestamp: seconds in the high 32 bits, increment in the low 32 bits.
 */
final class ClusterClock {

    private final Clock wallClock;
    private long last;

    ClusterClock(Clock wallClock) {
        this.wallClock = wallClock;
        this.last = pack(wallClock.millis() / 1000, 0);
    }

    /** The next cluster time, strictly greater than every earlier one. */
    synchronized long tick() {
        long seconds = wallClock.millis() / 1000;
        if (seconds > secondsOf(last)) {
            last = pack(seconds, 1);
        } else {
            last = last + 1;
        }
        return last;
    }

    /** The most recent time handed out (or the start time if none was). */
    synchronized long current() {
        return last;
    }

    /** Never hand out a time at or below {@code time} again (used when restoring a persisted oplog). */
    synchronized void advancePast(long time) {
        last = Math.max(last, time);
    }

    long wallMillis() {
        return wallClock.millis();
    }

    static long pack(long seconds, long increment) {
        return (seconds << 32) | (increment & 0xFFFFFFFFL);
    }

    static long secondsOf(long time) {
        return time >>> 32;
    }

    static long incrementOf(long time) {
        return time & 0xFFFFFFFFL;
    }
}
