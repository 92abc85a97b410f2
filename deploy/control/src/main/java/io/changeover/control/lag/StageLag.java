package io.changeover.control.lag;

/**
 * How far one stage is behind its input.
 *
 * @param stage   capture, transform or sink
 * @param events  records not yet processed (consumer-group lag); -1 where the stage is measured in time only
 * @param seconds age in source time of the oldest change the stage holds (capture: seconds behind the source); -1
 *                where unknown or measured in records only
 */
public record StageLag(String stage, long events, double seconds) {

    /**
     * Nothing held and nothing behind. A stage measured in time only (capture) is caught up at 0 s, not while its lag
     * is unknown; one measured in records may leave its seconds unknown (-1) when it holds none.
     */
    public boolean caughtUp() {
        if (events < 0) {
            return seconds == 0;
        }
        return events == 0 && seconds <= 0;
    }

    public String describe() {
        if (events >= 0) {
            return stage + " " + events;
        }
        return stage + " " + String.format("%.1fs", seconds);
    }
}
