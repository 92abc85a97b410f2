package io.changeover.transform.stream;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.changeover.transform.format.ChangeHeader;
import io.changeover.transform.format.IdentityKeys;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecordException;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.step.SideLookup;

/**
 * Stands in front of the {@link ChangeProcessor} of a collection with {@code lookup} steps and reads both its raw topic
 * and the raw topics of its side collections (co-partitioned: a side document and the document that looks it up have
 * the same {@code _id}, so the same key and partition).
 *
 * <ul>
 *   <li>A change of the collection passes through unchanged; its last raw record per source id is kept.</li>
 *   <li>A change of a side document updates the side store (source id to document, deleted on delete), which the
 *       change processor reads through {@link #sideLookup}; when the document with the same id exists, its last raw
 *       record is passed on again, so it is transformed again with the new side document (a late side update reaches
 *       the target). An update that leaves the side document as it was passes nothing on.</li>
 * </ul>
 * Stores are changelogged; everything is keyed by the source id's identity
 * ({@link IdentityKeys}), so a side document is found whatever numeric type the looked-up id has.
 */
public final class LookupJoinProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
    private final Names names;
    private final Map<String, KeyValueStore<byte[], byte[]>> sideStoresByTopic = new HashMap<>();
    private KeyValueStore<byte[], byte[]> lastRaw;

    /**
     * @param mainTopic  the raw topic of the collection
     * @param lastRaw    store of source key to the collection's last raw record ({@code {k: <key>, v: <value>}})
     * @param sideStores raw topic of each side collection to its store of source key to side document (BSON)
     */
    public record Names(String mainTopic, String lastRaw, Map<String, String> sideStores) {
    }

    public static ProcessorSupplier<byte[], byte[], byte[], byte[]> supplier(Names names) {
        return () -> new LookupJoinProcessor(names);
    }

    private LookupJoinProcessor(Names names) {
        this.names = names;
    }

    /** The side lookup of a change processor connected to the side stores (side collection to store name). */
    public static SideLookup sideLookup(ProcessorContext<?, ?> context, Map<String, String> storesByCollection) {
        Map<String, KeyValueStore<byte[], byte[]>> stores = new HashMap<>();
        storesByCollection.forEach((collection, store) -> stores.put(collection, context.getStateStore(store)));
        return (collection, id) -> {
            KeyValueStore<byte[], byte[]> store = stores.get(collection);
            if (store == null) {
                throw new IllegalStateException("no side store for collection '" + collection + "'");
            }
            return Optional.ofNullable(store.get(IdentityKeys.of(id))).map(OutputRecords::document);
        };
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        lastRaw = context.getStateStore(names.lastRaw());
        names.sideStores().forEach((topic, store) -> sideStoresByTopic.put(topic, context.getStateStore(store)));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context().recordMetadata().map(RecordMetadata::topic).orElse(names.mainTopic());
        KeyValueStore<byte[], byte[]> side = sideStoresByTopic.get(topic);
        if (side == null) {
            rememberMain(record);
            context().forward(record);
        } else if (record.value() != null) {
            onSideChange(side, record);
        }
    }

    private void rememberMain(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ChangeHeader header;
        try {
            Optional<ChangeHeader> read = RawRecords.header(record.key(), record.value());
            if (read.isEmpty()) {
                return; // a tick or snapshot end: nothing to remember
            }
            header = read.get();
        } catch (RawRecordException e) {
            return;     // the change processor dead-letters a bad record
        }
        if (header.isVanishedUpdate()) {
            return;     // the change processor skips it
        }
        byte[] sourceKey = IdentityKeys.of(header.id());
        if (header.isDelete()) {
            lastRaw.delete(sourceKey);
        } else {
            lastRaw.put(sourceKey, OutputRecords.value(new BsonDocument("k", new BsonBinary(record.key()))
                    .append("v", new BsonBinary(record.value()))));
        }
    }

    private void onSideChange(KeyValueStore<byte[], byte[]> side, Record<byte[], byte[]> record) {
        Optional<RawRecord.Change> event = parse(record);
        if (event.isEmpty() || event.get().isVanishedUpdate()) {
            return;     // the side collection's own change processor dead-letters a bad record; a vanished update says nothing
        }
        byte[] sourceKey = IdentityKeys.of(event.get().id());
        byte[] previous = side.get(sourceKey);
        byte[] next = event.get().isDelete() ? null : OutputRecords.value(event.get().after());
        if (Arrays.equals(previous, next)) {
            return;
        }
        if (next == null) {
            side.delete(sourceKey);
        } else {
            side.put(sourceKey, next);
        }
        byte[] stored = lastRaw.get(sourceKey);
        if (stored != null) {
            BsonDocument raw = OutputRecords.document(stored);
            context().forward(new Record<>(binary(raw.get("k")), binary(raw.get("v")), record.timestamp()));
        }
    }

    private static Optional<RawRecord.Change> parse(Record<byte[], byte[]> record) {
        try {
            return RawRecords.read(record.key(), record.value()) instanceof RawRecord.Change change
                    ? Optional.of(change) : Optional.empty();
        } catch (RawRecordException e) {
            return Optional.empty();
        }
    }

    private static byte[] binary(BsonValue value) {
        return value.asBinary().getData();
    }
}
