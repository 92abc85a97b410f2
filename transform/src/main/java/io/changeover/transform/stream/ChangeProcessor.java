package io.changeover.transform.stream;

import java.util.Arrays;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.TransformException;
import io.changeover.transform.engine.TransformResult;
import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;

/**
 * Turns the raw change events of one source collection into output records.
 *
 * <p>Keeps, per source id, the output key last written for it (a changelogged store), so that a delete, a document
 * that stops matching, or a document whose target id changed tombstones the key it was last written under. Records
 * that cannot be read or transformed go to the dead-letter topic with the reason; the pipeline continues.
 */
public final class ChangeProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
    private final CollectionTransform transform;
    private final Names names;
    private final String checksum;
    private KeyValueStore<byte[], byte[]> lastKeys;

    /** Names of the topology nodes and the store of one collection. */
    public record Names(String source, String processor, String store, String output, String deadLetter) {
    }

    /** Makes one processor per stream task. */
    public static ProcessorSupplier<byte[], byte[], byte[], byte[]> supplier(CollectionTransform transform, Names names,
                                                                             String checksum) {
        return () -> new ChangeProcessor(transform, names, checksum);
    }

    private ChangeProcessor(CollectionTransform transform, Names names, String checksum) {
        this.transform = transform;
        this.names = names;
        this.checksum = checksum;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        lastKeys = context.getStateStore(names.store());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ChangeEvent event;
        TransformResult result;
        try {
            event = ChangeEventParser.parse(record.key(), record.value());
            result = event.isDelete() ? null : transform.apply(event.after());
        } catch (ChangeEventException e) {
            deadLetter(record, e.part(), e.getMessage());
            return;
        } catch (TransformException e) {
            deadLetter(record, e.step(), e.reason());
            return;
        }
        emit(record, event, result);
    }

    private void emit(Record<byte[], byte[]> record, ChangeEvent event, TransformResult result) {
        byte[] storeKey = OutputRecords.key(event.sourceId());
        byte[] previous = lastKeys.get(storeKey);
        byte[] next = result == null ? null : result.targetId().map(OutputRecords::key).orElse(null);
        if (previous != null && !Arrays.equals(previous, next)) {
            forward(record, previous, null, event.position());
        }
        if (next == null) {
            if (previous != null) {
                lastKeys.delete(storeKey);
            }
            return;
        }
        forward(record, next, OutputRecords.value(result.document().orElseThrow()), event.position());
        if (!Arrays.equals(previous, next)) {
            lastKeys.put(storeKey, next);
        }
    }

    private void forward(Record<byte[], byte[]> record, byte[] key, byte[] value, SourcePosition position) {
        Headers headers = new RecordHeaders();
        OutputRecords.putPosition(headers, position);
        context().forward(record.withKey(key).withValue(value).withHeaders(headers), names.output());
    }

    private void deadLetter(Record<byte[], byte[]> record, String step, String reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.put(headers, DeadLetters.STAGE, "transform");
        DeadLetters.put(headers, DeadLetters.COLLECTION, transform.source());
        DeadLetters.put(headers, DeadLetters.STEP, step);
        DeadLetters.put(headers, DeadLetters.REASON, reason);
        DeadLetters.put(headers, DeadLetters.SPEC_CHECKSUM, checksum);
        context().recordMetadata().ifPresent(meta -> putSource(headers, meta));
        context().forward(record.withHeaders(headers), names.deadLetter());
    }

    private static void putSource(Headers headers, RecordMetadata meta) {
        DeadLetters.put(headers, DeadLetters.SOURCE_TOPIC, meta.topic());
        DeadLetters.put(headers, DeadLetters.SOURCE_PARTITION, Integer.toString(meta.partition()));
        DeadLetters.put(headers, DeadLetters.SOURCE_OFFSET, Long.toString(meta.offset()));
    }
}
