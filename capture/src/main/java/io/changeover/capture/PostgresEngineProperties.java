package io.changeover.capture;

import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.PostgresConnections;
import io.changeover.transform.topics.Topics;

/**
 * The Debezium embedded engine and PostgreSQL connector properties of one migration's capture: logical replication
 * with {@code pgoutput} on the migration's slot and publication ({@link PostgresReplication}; Changeover creates the
 * publication, Debezium the slot), the spec's tables and the heartbeat table streamed, only the spec's tables
 * snapshotted, heartbeats that update the migration's heartbeat row (so an idle source's position moves), numerics
 * exact, binary as bytes, times in microseconds, offsets in the compacted Kafka topic as for MongoDB.
 */
final class PostgresEngineProperties {
    static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";

    private PostgresEngineProperties() {
    }

    static Properties of(MigrationSpec spec, CaptureConfig config, List<SourceCollection> collections) {
        Topics topics = Topics.of(spec.name());
        PostgresConnections source = new PostgresConnections(spec.source().uri());
        PostgresReplication replication = PostgresReplication.of(spec.name());
        Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        p.setProperty("name", topics.captureLogicalName());
        p.setProperty("connector.class", CONNECTOR_CLASS);
        p.setProperty("topic.prefix", topics.captureLogicalName());
        p.setProperty("database.hostname", source.host());
        p.setProperty("database.port", Integer.toString(source.port()));
        p.setProperty("database.user", source.user());
        p.setProperty("database.password", source.password());
        p.setProperty("database.dbname", spec.source().database());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", replication.slot());
        p.setProperty("publication.name", replication.publication());
        p.setProperty("publication.autocreate.mode", "disabled");
        List<String> tables = collections.stream().map(PostgresEngineProperties::qualified).toList();
        p.setProperty("table.include.list", Stream.concat(tables.stream(),
                Stream.of(PostgresReplication.HEARTBEAT_SCHEMA + "." + PostgresReplication.HEARTBEAT_TABLE))
                .map(EngineProperties::escapeRegex).collect(Collectors.joining(",")));
        p.setProperty("snapshot.include.collection.list",
                tables.stream().map(EngineProperties::escapeRegex).collect(Collectors.joining(",")));
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("hstore.handling.mode", "json");
        p.setProperty("heartbeat.action.query", PostgresReplication.heartbeatStatement(spec.name()));
        return EngineProperties.withEngineSettings(p, topics, config);
    }

    /** {@code schema.table} of a spec collection: a name without a schema is in {@code public}. */
    static String qualified(SourceCollection c) {
        return c.collection().contains(".") ? c.collection() : "public." + c.collection();
    }
}
