package io.changeover.control.lag;

import io.changeover.transform.format.SourcePosition;

/**
 * Source changes one stage holds of one collection and not yet passed on: how many, and the position (source time)
 * of the oldest of them.
 *
 * @param changes how many (records of the stage's input topics, or documents waiting); 0 when none
 * @param oldest  the oldest one's position; {@link SourcePosition#ZERO} when none is held or its position is unknown
 */
public record Backlog(long changes, SourcePosition oldest) {
    public static final Backlog NONE = new Backlog(0, SourcePosition.ZERO);

    public Backlog {
        changes = Math.max(0, changes);
        if (changes == 0) {
            oldest = SourcePosition.ZERO;
        }
    }

    public boolean empty() {
        return changes == 0;
    }

    /** Whether changes are held but the oldest one's position is not known. */
    public boolean oldestUnknown() {
        return changes > 0 && oldest.equals(SourcePosition.ZERO);
    }

    /**
     * Both backlogs together: the changes summed, the older of the two oldest positions; unknown when either holds
     * changes of unknown position (the older one may be among them).
     */
    public Backlog plus(Backlog other) {
        if (oldestUnknown() || other.oldestUnknown()) {
            return new Backlog(changes + other.changes, SourcePosition.ZERO);
        }
        SourcePosition older;
        if (oldest.equals(SourcePosition.ZERO)) {
            older = other.oldest;
        } else if (other.oldest.equals(SourcePosition.ZERO)) {
            older = oldest;
        } else {
            older = oldest.compareTo(other.oldest) <= 0 ? oldest : other.oldest;
        }
        return new Backlog(changes + other.changes, older);
    }
}
