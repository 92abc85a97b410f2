package io.changeover.transform.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import io.changeover.transform.blob.ObjectStore;
import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.TransformException;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.format.IdentityKeys;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecordException;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.step.DedupePolicy;
import io.changeover.transform.step.IdResolver;
import io.changeover.transform.step.SideLookup;

/**
 * Turns the raw change events of one source collection into target records.
 *
 * <p>Per change: parse, transform ({@link CollectionTransform}), then {@link #emit}: the one place where a target
 * document leaves this processor, to the output topic of its target collection, or to the dedupe topic when the
 * collection declares {@code dedupe}. A changelogged store remembers, per source id, the target (collection and key)
 * last written, so a delete, a document that stops matching, or a document whose target id changed withdraws the old
 * target. When other collections remap references to this one, every change of a source id's target id is published
 * to {@code remap.<collection>} ({@link IdRemapProcessor}).
 *
 * <p>When this collection has {@code remap} steps, its documents resolve references through {@link PendingReferences}:
 * a document whose references are not all known asks for them and waits (nothing is written for it); each answer,
 * read from {@code resolved.<collection>}, transforms it again (from its first {@code remap} step when the
 * {@link SuspendedTransforms} still hold where it stopped); a wait longer than the step's {@code wait} seconds of
 * source time ends with the step's {@code missing} policy. Records that cannot be read or transformed go to the
 * dead-letter topic with the reason; the pipeline continues.
 */
public final class ChangeProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
    private final CollectionTransform transform;
    private final Wiring wiring;
    private final String checksum;
    private final Supplier<ObjectStore> objects;
    private final Map<String, String> sideStores;
    private final boolean dedupeDeadLetters;
    private LastTargets lastTargets;
    private SideLookup sides = SideLookup.NONE;
    private PendingReferences references;
    private final SuspendedTransforms suspended = new SuspendedTransforms();

    /**
     * Store and node names of one collection. The remap and dedupe parts are null (or empty) when unused.
     *
     * @param lastTargets  store of source key to the target last written ({@code <collection>\0<key>})
     * @param outputs      target collection to its output sink node
     * @param deadLetter   dead-letter sink node
     * @param dedupe       sink node to {@code dedupe.<collection>}, when the collection dedupes
     * @param mappings     sink node to {@code remap.<collection>}, when other collections remap from this one
     * @param watermarks   sink node to every partition of {@code remap.<collection>}, when other collections remap
     *                     from this one: how far this collection's partition has got, from its ticks
     * @param asks         referenced collection to the sink node of its {@code remap.<referenced>} topic
     * @param answersTopic {@code resolved.<collection>}, read by this processor, when it remaps
     * @param remapStores  documents, references, pending and waiting-count stores, when it remaps
     * @param rawStoredUpstream whether the documents store is the lookup join's, which already holds every raw record
     *                     (this processor then only reads it, and deletes what only it decides, such as a snapshot's
     *                     deletes)
     */
    public record Wiring(String lastTargets, Map<String, String> outputs, String deadLetter, String dedupe,
                         String mappings, String watermarks, Map<String, String> asks, String answersTopic, List<String> remapStores,
                         boolean rawStoredUpstream) {
    }

    /**
     * Makes one processor per stream task. {@code objects} gives the object store that content moved out by
     * {@code dehydrate} steps goes to; it is asked for only when there is such content. {@code sideStores} names the
     * store of each side collection that {@code lookup} steps read ({@link LookupJoinProcessor}).
     */
    public static ProcessorSupplier<byte[], byte[], byte[], byte[]> supplier(CollectionTransform transform, Wiring wiring,
                                                                             String checksum, Supplier<ObjectStore> objects,
                                                                             Map<String, String> sideStores) {
        return () -> new ChangeProcessor(transform, wiring, checksum, objects, sideStores);
    }

    private ChangeProcessor(CollectionTransform transform, Wiring wiring, String checksum, Supplier<ObjectStore> objects,
                            Map<String, String> sideStores) {
        this.transform = transform;
        this.wiring = wiring;
        this.checksum = checksum;
        this.objects = objects;
        this.sideStores = sideStores;
        this.dedupeDeadLetters = transform.ownership().map(DedupePolicy::rejectsOthers).orElse(false);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        lastTargets = new LastTargets(context.getStateStore(wiring.lastTargets()));
        if (!sideStores.isEmpty()) {
            sides = LookupJoinProcessor.sideLookup(context, sideStores);
        }
        if (wiring.answersTopic() != null) {
            List<String> stores = wiring.remapStores();
            references = new PendingReferences(new PendingReferences.Stores(context.getStateStore(stores.get(0)),
                    context.getStateStore(stores.get(1)), context.getStateStore(stores.get(2)),
                    context.getStateStore(stores.get(3))), transform.source(), context.taskId().partition(),
                    !wiring.rawStoredUpstream());
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (references != null && wiring.answersTopic().equals(context().recordMetadata().map(RecordMetadata::topic).orElse(null))) {
            onAnswer(OutputRecords.document(record.value()), record.timestamp());
            return;
        }
        RawRecord raw;
        try {
            raw = RawRecords.read(record.key(), record.value());
        } catch (RawRecordException e) {
            deadLetter(record, e.part(), e.getMessage());
            return;
        }
        if (raw instanceof RawRecord.Change change) {
            if (!change.isVanishedUpdate()) {
                onChange(record, change);
            }
        } else if (raw instanceof RawRecord.Tick tick) {
            onTick(record, tick);
        } else if (raw instanceof RawRecord.SnapshotEnd end) {
            onSnapshotEnd(record, end);
        }
        if (references != null) {
            expireWaits(raw.position(), record.timestamp());
        }
    }

    /**
     * A tick: the source has got this far in this partition. Tells the ID-remap state of this collection how far this
     * partition has got, so a reference to a document this collection never had is answered as soon as every
     * partition has passed the referencing change (waits longer than {@code wait} end in {@link #process}).
     */
    private void onTick(Record<byte[], byte[]> record, RawRecord.Tick tick) {
        if (wiring.watermarks() != null) {
            int partition = context().recordMetadata().map(RecordMetadata::partition).orElse(0);
            context().forward(record.withKey(RemapMessages.watermarkKey(partition))
                    .withValue(RemapMessages.watermark(partition, tick.partitions(), tick.position()))
                    .withHeaders(new RecordHeaders()), wiring.watermarks());
        }
    }

    /**
     * A snapshot has read every document of the collection at {@code end.position()}: a document of this partition
     * whose last change is older than that and that the snapshot did not read was deleted meanwhile (while capture was
     * stopped, say), so it is deleted here at the snapshot's position. Then the end counts as a tick.
     */
    private void onSnapshotEnd(Record<byte[], byte[]> record, RawRecord.SnapshotEnd end) {
        for (LastTargets.Entry known : lastTargets.olderThan(end.position())) {
            RawRecord.Change delete = new RawRecord.Change(transform.source(), known.sourceId(), RawRecord.Operation.DELETE,
                    null, end.position(), true);
            onChange(record.withKey(RawRecords.key(delete)).withValue(RawRecords.value(delete)), delete);
        }
        onTick(record, new RawRecord.Tick(end.position(), end.partitions()));
    }

    private void onChange(Record<byte[], byte[]> record, RawRecord.Change event) {
        byte[] sourceKey = IdentityKeys.of(event.id());
        if (event.isDelete()) {
            if (references != null) {
                references.forget(sourceKey);
                suspended.remove(sourceKey);
            }
            emit(record, event, null);
            return;
        }
        if (references != null) {
            references.remember(sourceKey, record.key(), record.value());
        }
        transformAndEmit(record, event);
    }

    /** Transforms one change and writes what it gives. */
    private void transformAndEmit(Record<byte[], byte[]> record, RawRecord.Change event) {
        transformAndEmit(record, event, ids -> transform.apply(event.after(), ids, sides));
    }

    private void transformAndEmit(Record<byte[], byte[]> record, RawRecord.Change event,
                                  Function<IdResolver, TransformResult> steps) {
        byte[] sourceKey = IdentityKeys.of(event.id());
        PendingReferences.StoreResolver resolver = references == null ? null : references.resolver(sourceKey);
        TransformResult result;
        try {
            result = steps.apply(resolver == null ? IdResolver.NONE : resolver);
        } catch (TransformException e) {
            if (references != null) {
                references.settled(sourceKey);
                suspended.remove(sourceKey);
            }
            deadLetter(record, e.step(), e.reason());
            emit(record, event, null);  // a rejected version has no target copy, candidacy or mapping
            return;
        }
        if (resolver != null && resolver.waiting()) {
            resolver.toAsk().forEach(ask -> context().forward(record.withKey(IdentityKeys.of(ask.getValue()))
                    .withValue(RemapMessages.ask(transform.source(), event.id(), ask.getValue(), event.position()))
                    .withHeaders(new RecordHeaders()), wiring.asks().get(ask.getKey())));
            references.await(sourceKey, resolver.toAsk(), event.position());
            if (lastTargets.get(sourceKey) == null) {
                // it exists: referrers get its target id if already known (so cycles of references resolve), else
                // "pending", never "never written", while it waits
                forwardMapping(record, sourceKey, () -> result.suspended().flatMap(transform::idWhileWaiting)
                        .map(RemapMessages::mapping).orElseGet(RemapMessages::pending));
            }
            result.suspended().ifPresentOrElse(state -> suspended.put(sourceKey, record.value(), event, state),
                    () -> suspended.remove(sourceKey));
            return;
        }
        if (references != null) {
            references.settled(sourceKey);
            suspended.remove(sourceKey);
        }
        emit(record, event, result);
    }

    /**
     * An answer to a remap request: transform the waiting (or already written) document again if it changed anything
     * and no other reference of it is still unanswered (the last answer transforms it once).
     */
    private void onAnswer(BsonDocument answer, long timestamp) {
        byte[] sourceKey = IdentityKeys.of(answer.get("s"));
        if (references.answer(answer) && !references.stillAsking(sourceKey)) {
            retransform(sourceKey, timestamp);
        }
    }

    private void expireWaits(SourcePosition now, long timestamp) {
        long thresholdSeconds = (long) now.seconds() - transform.remapWaitSeconds();
        if (thresholdSeconds <= 0) {
            return;
        }
        for (byte[] sourceKey : references.expire(SourcePosition.of((int) thresholdSeconds, 0).value())) {
            retransform(sourceKey, timestamp);
        }
    }

    private void retransform(byte[] sourceKey, long timestamp) {
        PendingReferences.Stored stored = references.stored(sourceKey);
        if (stored == null) {
            suspended.remove(sourceKey);
            return;
        }
        Record<byte[], byte[]> record = new Record<>(stored.rawKey(), stored.rawValue(), timestamp);
        SuspendedTransforms.Entry entry = suspended.get(sourceKey, stored.rawValue());
        if (entry != null) {   // go on from the first remap step: the steps before it gave this already
            transformAndEmit(record, entry.event(), ids -> transform.resume(entry.suspended(), ids, sides));
            return;
        }
        transformAndEmit(record, (RawRecord.Change) RawRecords.read(stored.rawKey(), stored.rawValue()));
    }

    /**
     * Writes the result of one change: withdraws the target last written for this source id when it differs, then
     * writes the new target document (none when {@code result} is null or filtered out).
     */
    private void emit(Record<byte[], byte[]> record, RawRecord.Change event, TransformResult result) {
        byte[] sourceKey = IdentityKeys.of(event.id());
        LastTargets.Entry last = lastTargets.get(sourceKey);
        byte[] previous = last == null ? null : last.target();
        byte[] next = result == null || result.isFilteredOut() ? null
                : target(result.target().orElseThrow(), OutputRecords.key(result.targetId().orElseThrow()));
        if (previous != null && !Arrays.equals(previous, next)) {
            write(record, event, last.sourceId(), previous, null);  // the id as written: a delete's key may differ in type
        }
        if (next != null) {
            result.uploads().forEach(upload -> objects.get().putIfAbsent(upload));   // before anything refers to it
            write(record, event, event.id(), next, result.document().orElseThrow());
        }
        if (next == null) {
            if (last != null) {
                lastTargets.delete(sourceKey);
            }
        } else if (last == null || !Arrays.equals(previous, next) || !last.sourceId().equals(event.id()) || event.snapshot()) {
            // a change that keeps the target and the id as written changes nothing a later change or snapshot needs
            lastTargets.put(sourceKey, next, event.id(), event.position());
        }
        if (!Arrays.equals(previous, next)) {
            publishMapping(record, sourceKey, result);
        } else if (next == null) {
            publishMapping(record, sourceKey, null); // seen, never written (filtered out): referrers need not wait
        }
    }

    /**
     * The one place a target document (or its withdrawal, {@code document} null) leaves the processor. A side effect
     * that must happen before a target document is visible (such as uploading a blob it refers to) belongs here.
     */
    private void write(Record<byte[], byte[]> record, RawRecord.Change event, BsonValue sourceId, byte[] target,
                       BsonDocument document) {
        int zero = indexOfZero(target);
        String collection = new String(target, 0, zero, StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOfRange(target, zero + 1, target.length);
        Headers headers = new RecordHeaders();
        OutputRecords.putPosition(headers, event.position());
        if (wiring.dedupe() != null) {
            BsonDocument candidate = new BsonDocument("c", new BsonString(collection)).append("s", sourceId);
            if (document != null) {
                candidate.append("d", document);
                if (dedupeDeadLetters) { // the raw record goes to the dead-letter topic if this candidate is rejected
                    candidate.append("k", new BsonBinary(record.key())).append("v", new BsonBinary(record.value()));
                }
            }
            context().forward(record.withKey(key).withValue(OutputRecords.value(candidate)).withHeaders(headers), wiring.dedupe());
            return;
        }
        context().forward(record.withKey(key).withValue(OutputRecords.value(document)).withHeaders(headers),
                wiring.outputs().get(collection));
    }

    private void publishMapping(Record<byte[], byte[]> record, byte[] sourceKey, TransformResult result) {
        forwardMapping(record, sourceKey, () -> RemapMessages.mapping(
                result == null || result.isFilteredOut() ? null : result.targetId().orElseThrow()));
    }

    /** Tells the remap state of this collection what {@code sourceKey} maps to, when other collections refer to it. */
    private void forwardMapping(Record<byte[], byte[]> record, byte[] sourceKey, Supplier<byte[]> mapping) {
        if (wiring.mappings() != null) {
            context().forward(record.withKey(sourceKey).withValue(mapping.get()).withHeaders(new RecordHeaders()),
                    wiring.mappings());
        }
    }

    private static byte[] target(String collection, byte[] key) {
        return RemapMessages.storeKey(collection.getBytes(StandardCharsets.UTF_8), key);
    }

    private static int indexOfZero(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        throw new IllegalStateException("a last-target entry without a collection: " + new String(bytes, StandardCharsets.UTF_8));
    }

    private void deadLetter(Record<byte[], byte[]> record, String step, String reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.put(headers, DeadLetters.STAGE, "transform");
        DeadLetters.put(headers, DeadLetters.COLLECTION, transform.source());
        DeadLetters.put(headers, DeadLetters.STEP, step);
        DeadLetters.put(headers, DeadLetters.REASON, reason);
        DeadLetters.put(headers, DeadLetters.SPEC_CHECKSUM, checksum);
        context().recordMetadata().ifPresent(meta -> putSource(headers, meta));
        context().forward(record.withHeaders(headers), wiring.deadLetter());
    }

    private static void putSource(Headers headers, RecordMetadata meta) {
        DeadLetters.put(headers, DeadLetters.SOURCE_TOPIC, meta.topic());
        DeadLetters.put(headers, DeadLetters.SOURCE_PARTITION, Integer.toString(meta.partition()));
        DeadLetters.put(headers, DeadLetters.SOURCE_OFFSET, Long.toString(meta.offset()));
    }
}
