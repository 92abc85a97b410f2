package io.changeover.capture;

import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import io.changeover.transform.topics.Topics;

/**
 * Maps Debezium's records to Changeover topics: change events to {@link Topics#raw} of their source collection
 * (read from the event's {@code source} block by the {@link SourceDialect}, not parsed from Debezium's topic name,
 * since collection names may contain dots), heartbeats (Debezium's, and changes of a source's heartbeat row) to
 * {@link Topics#heartbeat}. Anything else fails loudly.
 */
public final class RecordRouter {
    /** Schema name of the value of Debezium's heartbeat records. */
    static final String HEARTBEAT_SCHEMA = "io.debezium.connector.common.Heartbeat";

    private final Topics topics;
    private final SourceDialect dialect;
    private final Map<SourceCollection, String> rawTopics;

    public RecordRouter(Topics topics, Collection<SourceCollection> collections) {
        this(topics, collections, new MongoSourceDialect());
    }

    public RecordRouter(Topics topics, Collection<SourceCollection> collections, SourceDialect dialect) {
        this.topics = topics;
        this.dialect = dialect;
        this.rawTopics = collections.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                c -> topics.raw(c.database(), c.collection())));
    }

    /** Every raw topic, in no particular order (ticks go to each of their partitions). */
    public java.util.Collection<String> rawTopics() {
        return rawTopics.values();
    }

    /** Where {@code record} goes; throws {@link CaptureException} for a record capture does not expect. */
    public RoutedRecord route(SourceRecord record) {
        Schema valueSchema = record.valueSchema();
        if (valueSchema != null && HEARTBEAT_SCHEMA.equals(valueSchema.name())) {
            return new RoutedRecord.Heartbeat(topics.heartbeat());
        }
        if (!(record.value() instanceof Struct value) || value.schema().field("source") == null
                || value.schema().field("op") == null) {
            throw new CaptureException("unexpected record from Debezium on topic '" + record.topic()
                    + "' (value schema " + (valueSchema == null ? "none" : valueSchema.name())
                    + "): not a change event or heartbeat");
        }
        return change(record, value);
    }

    private RoutedRecord change(SourceRecord record, Struct value) {
        Struct source = value.getStruct("source");
        SourceCollection collection = dialect.collection(source);
        if (dialect.isHeartbeat(collection)) {
            return new RoutedRecord.Heartbeat(topics.heartbeat());
        }
        String topic = rawTopics.get(collection);
        if (topic == null) {
            throw new CaptureException("Debezium captured collection '" + collection + "' (topic '"
                    + record.topic() + "') which is not in the spec; captured collections are "
                    + rawTopics.keySet());
        }
        String snapshot = source.schema().field("snapshot") == null ? null : source.getString("snapshot");
        boolean inSnapshot = snapshot != null && !"false".equals(snapshot);
        return new RoutedRecord.Change(topic, collection, value.getString("op"), inSnapshot, "last".equals(snapshot));
    }
}
