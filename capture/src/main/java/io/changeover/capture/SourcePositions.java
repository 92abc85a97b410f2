package io.changeover.capture;

import java.util.Map;
import java.util.Optional;

import org.bson.BsonTimestamp;

import io.changeover.transform.format.SourcePosition;
import io.debezium.connector.mongodb.ResumeTokens;

/**
 * Reads the source position from a Debezium MongoDB source offset. Offsets of streamed changes carry the cluster
 * time as {@code sec} (seconds) and {@code ord} (increment). Offsets of snapshot reads and heartbeats often carry
 * only the change stream's {@code resume_token} (with {@code sec = -1}); the cluster time is then decoded from the
 * token, as Debezium itself does. So the position keeps moving on an idle source as the resume token advances.
 * Debezium's PostgreSQL offsets carry the commit time of the transaction ({@code ts_usec}, with {@code lsn}).
 */
public final class SourcePositions {
    static final String SECONDS = "sec";
    static final String ORDER = "ord";
    static final String RESUME_TOKEN = "resume_token";
    static final String TIMESTAMP_MICROS = "ts_usec";

    private SourcePositions() {
    }

    /** The position in {@code offset}, or empty when it holds neither a cluster time nor a resume token. */
    public static Optional<SourcePosition> fromOffset(Map<String, ?> offset) {
        if (offset == null) {
            return Optional.empty();
        }
        if (PostgresSourceDialect.isPostgresOffset(offset)) {
            return offset.get(TIMESTAMP_MICROS) instanceof Number us && us.longValue() > 0
                    ? Optional.of(SourcePosition.ofEpochMicros(us.longValue())) : Optional.empty();
        }
        if (offset.get(SECONDS) instanceof Number sec && sec.longValue() > 0) {
            int ord = offset.get(ORDER) instanceof Number n ? n.intValue() : 0;
            return Optional.of(SourcePosition.of(sec.intValue(), Math.max(ord, 0)));
        }
        if (offset.get(RESUME_TOKEN) instanceof String token && !token.isEmpty()) {
            return fromResumeToken(token);
        }
        return Optional.empty();
    }

    /** The cluster time in a resume token as Debezium stores it (base64 of the token document). */
    static Optional<SourcePosition> fromResumeToken(String base64Token) {
        try {
            BsonTimestamp ts = ResumeTokens.getTimestamp(ResumeTokens.fromBase64(base64Token));
            return ts.getTime() > 0 ? Optional.of(new SourcePosition(ts.getValue())) : Optional.empty();
        } catch (RuntimeException e) {
            // A token format this Debezium cannot read: no position rather than a wrong one.
            return Optional.empty();
        }
    }
}
