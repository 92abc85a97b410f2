package io.changeover.capture;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.changeover.transform.format.SourcePosition;

/**
 * A consistent-enough view of a capture's progress for status screens (each field is read atomically; the fields
 * together are not one atomic snapshot).
 *
 * @param phase          where the capture is
 * @param collections    per collection snapshot progress, in spec order
 * @param eventsCaptured change events written to raw topics (snapshot reads included)
 * @param heartbeats     heartbeats written to the heartbeat topic
 * @param lastPosition   source position of the last event or heartbeat written ({@link SourcePosition#ZERO} before
 *                       the first); on an idle source heartbeats keep it moving
 * @param lastWriteAt    when the last record was acknowledged by Kafka ({@code null} before the first)
 * @param failure        why the engine stopped, if it stopped with an error
 */
public record CaptureStatus(
        CapturePhase phase,
        List<CollectionProgress> collections,
        long eventsCaptured,
        long heartbeats,
        SourcePosition lastPosition,
        Instant lastWriteAt,
        Optional<Throwable> failure) {
    public CaptureStatus {
        collections = List.copyOf(collections);
    }
}
