package io.changeover.app.lag;

/**
 * How far one stage is behind its input.
 *
 * @param stage   capture, transform or sink
 * @param events  records not yet processed (consumer-group lag); -1 where the stage is measured in time only
 * @param seconds seconds behind the source; -1 where the stage is measured in records only
 */
public record StageLag(String stage, long events, double seconds) {

    public boolean caughtUp() {
        return events <= 0 && seconds <= 0;
    }

    public String describe() {
        if (events >= 0) {
            return stage + " " + events;
        }
        return stage + " " + String.format("%.1fs", seconds);
    }
}
