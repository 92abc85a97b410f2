package io.changeover.transform.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bson.BsonDocument;

import io.changeover.transform.format.IdentityKeys;
import io.changeover.transform.format.OutputRecords;

/**
 * The ID-remap state of one referenced source collection: reads its {@code remap.<collection>} topic, where mappings
 * (source id to target id, or gone) and requests from referencing documents meet in the partition of the referenced
 * id. Remembers every mapping ({@code remap-ids-<collection>}) and every requester ({@code remap-subscribers-...}),
 * both changelogged; answers a request at once when the mapping is known, and answers every requester again whenever
 * the mapping changes (a new target id, or gone). Its answers go to the requester's {@code resolved.<collection>}
 * topic, keyed by the requester's identity so they reach the partition that holds it.
 *
 * <p>A request for an id with no mapping yet may be early (the referenced document has not been transformed yet) or
 * be for a document that never existed (deleted before the snapshot, say). Watermarks tell them apart: every raw
 * partition of the referenced collection reports, from its ticks, how far it has been transformed
 * ({@code remap-watermarks-...}), and an open request ({@code remap-open-...}, ordered by the requester's position)
 * whose position every partition has passed without a mapping is answered {@code gone}: the document did not exist
 * when the requester was written. If it appears later, its mapping answers the requester again. A referenced document
 * that exists but waits for answers of its own (a parent in a chain) publishes a pending mapping first: its
 * requesters are never answered "never written", they get its target id when it is written.
 */
public final class IdRemapProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
    /** The mapping of a document that was not written when the requester was. */
    private static final BsonDocument NEVER_WRITTEN = OutputRecords.document(RemapMessages.mapping(null));
    private final String collection;
    private final Names names;
    private KeyValueStore<byte[], byte[]> ids;
    private KeyValueStore<byte[], byte[]> subscribers;
    private Watermarks watermarks;

    /**
     * Node and store names.
     *
     * @param ids         store of referenced source key to its last mapping
     * @param subscribers store of (referenced key, requester collection, requester key) to the request
     * @param watermarks  store of raw partition to its watermark
     * @param open        store of (requester position, subscriber key) to the open request
     * @param answers     sink node per requesting collection
     */
    public record Names(String ids, String subscribers, String watermarks, String open, Map<String, String> answers) {
    }

    public static ProcessorSupplier<byte[], byte[], byte[], byte[]> supplier(String collection, Names names) {
        return () -> new IdRemapProcessor(collection, names);
    }

    private IdRemapProcessor(String collection, Names names) {
        this.collection = collection;
        this.names = names;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        ids = context.getStateStore(names.ids());
        subscribers = context.getStateStore(names.subscribers());
        watermarks = new Watermarks(context.getStateStore(names.watermarks()), context.getStateStore(names.open()));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        BsonDocument message = OutputRecords.document(record.value());
        String type = message.getString("t").getValue();
        if (RemapMessages.ASK.equals(type)) {
            subscribe(record, message);
        } else if (RemapMessages.WATERMARK.equals(type)) {
            onWatermark(record, message);
        } else {
            if (Arrays.equals(ids.get(record.key()), record.value())) {
                return; // the same mapping again (a document filtered out, updated, still filtered out)
            }
            ids.put(record.key(), record.value());
            if (RemapMessages.isPending(message)) {
                return; // it exists: nobody is answered "never written", everybody waits for its target id
            }
            try (KeyValueIterator<byte[], byte[]> it = subscribers.prefixScan(RemapMessages.prefix(record.key()),
                    new ByteArraySerializer())) {
                while (it.hasNext()) {
                    KeyValue<byte[], byte[]> subscriber = it.next();
                    answer(record, record.key(), OutputRecords.document(subscriber.value), message);
                }
            }
        }
    }

    private void subscribe(Record<byte[], byte[]> record, BsonDocument ask) {
        String requester = ask.getString("c").getValue();
        byte[] requesterKey = IdentityKeys.of(ask.get("s"));
        byte[] subscriber = RemapMessages.storeKey(record.key(), requester.getBytes(StandardCharsets.UTF_8), requesterKey);
        subscribers.put(subscriber, record.value());
        byte[] mapping = ids.get(record.key());
        if (mapping != null) {
            BsonDocument known = OutputRecords.document(mapping);
            if (!RemapMessages.isPending(known)) {
                answer(record, record.key(), ask, known);
            }
        } else if (ask.containsKey("p")) {
            long position = ask.getInt64("p").getValue();
            if (watermarks.passed(position)) {
                answer(record, record.key(), ask, NEVER_WRITTEN);
            } else {
                watermarks.open(position, record.key(), subscriber);
            }
        }
    }

    /** A raw partition has got further: answer the open requests every partition has now passed without a mapping. */
    private void onWatermark(Record<byte[], byte[]> record, BsonDocument watermark) {
        for (Watermarks.Open open : watermarks.advance(watermark)) {
            byte[] ask = subscribers.get(open.subscriber());
            if (ask != null && ids.get(open.referencedKey()) == null) {
                answer(record, open.referencedKey(), OutputRecords.document(ask), NEVER_WRITTEN);
            }
        }
    }

    private void answer(Record<byte[], byte[]> record, byte[] referencedKey, BsonDocument ask, BsonDocument mapping) {
        String requester = ask.getString("c").getValue();
        String sink = names.answers().get(requester);
        if (sink == null) {
            return; // a requester no longer in the spec
        }
        byte[] value = RemapMessages.answer(ask.get("s"), collection, ask.get("k"), mapping);
        context().forward(record.withKey(IdentityKeys.of(ask.get("s"))).withValue(value), sink);
    }
}
