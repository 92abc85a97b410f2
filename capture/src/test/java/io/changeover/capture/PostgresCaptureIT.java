package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/** A PostgreSQL source on a real server: rows become documents by the documented mapping, in commit order. */
class PostgresCaptureIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;
    private static LocalPostgres postgres;

    @BeforeAll
    static void startServers() {
        kafka = EmbeddedKafka.start();
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stopServers() {
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void rowsAreSnapshottedThenStreamedAsDocumentsKeyedByTheirPrimaryKey() throws Exception {
        String db = "registry_" + UUID.randomUUID().toString().substring(0, 8);
        postgres.createDatabase(db);
        sql(db, "CREATE TABLE datasets (id serial PRIMARY KEY, name text NOT NULL, size bigint, score numeric(12,3),"
                + " ratio double precision, created timestamptz, day date, tags text[], meta jsonb, blob bytea,"
                + " uid uuid, active boolean, note text)",
                "CREATE TABLE links (a integer, b text, weight integer, PRIMARY KEY (a, b))",
                "INSERT INTO datasets (name, size, score, ratio, created, day, tags, meta, blob, uid, active) VALUES"
                        + " ('first', 5000000000, 1.5, 0.25, '2024-03-01 12:00:00.123456+00', '2024-03-01',"
                        + " ARRAY['a','b'], '{\"k\": [1, 2.5, \"x\"], \"n\": null}', '\\x0102ff',"
                        + " '6ba7b811-9dad-11d1-80b4-00c04fd430c8', true)",
                "INSERT INTO datasets (name) VALUES ('second'), ('third')",
                "INSERT INTO links VALUES (1, 'x', 7)");
        MigrationSpec spec = spec("pg" + db.substring(9), db, "datasets", "links");
        Topics topics = Topics.of(spec.name());
        Instant started = Instant.now();
        try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
                RawTopicReader datasets = startAndRead(capture, topics.raw(db, "datasets"));
                RawTopicReader links = new RawTopicReader(kafka.bootstrapServers(), topics.raw(db, "links"))) {
            List<RawEvent> snapshot = datasets.readEventsUntil(es -> es.size() >= 3, DEADLINE, "3 snapshot reads");
            assertThat(snapshot).extracting(RawEvent::op).containsOnly("r");
            BsonDocument first = byId(snapshot, new BsonInt32(1)).after();
            assertThat(first).isEqualTo(new BsonDocument("_id", new BsonInt32(1))
                    .append("name", new BsonString("first"))
                    .append("size", new BsonInt64(5_000_000_000L))
                    .append("score", new BsonDecimal128(Decimal128.parse("1.500")))
                    .append("ratio", new BsonDouble(0.25))
                    .append("created", new BsonDateTime(Instant.parse("2024-03-01T12:00:00.123Z").toEpochMilli()))
                    .append("day", new BsonDateTime(Instant.parse("2024-03-01T00:00:00Z").toEpochMilli()))
                    .append("tags", new BsonArray(List.of(new BsonString("a"), new BsonString("b"))))
                    .append("meta", BsonDocument.parse("{k: [1, 2.5, 'x'], n: null}"))
                    .append("blob", new BsonBinary(new byte[] {1, 2, (byte) 0xff}))
                    .append("uid", new BsonBinary(UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8")))
                    .append("active", BsonBoolean.TRUE)
                    .append("note", BsonNull.VALUE));
            assertThat(links.readEventsUntil(es -> !es.isEmpty(), DEADLINE, "the link").get(0).id())
                    .as("a key of several columns is a document of them")
                    .isEqualTo(new BsonDocument("a", new BsonInt32(1)).append("b", new BsonString("x")));
            awaitCondition(() -> capture.phase() == CapturePhase.STREAMING, "streaming after the snapshot");
            assertThat(capture.status().collections().get(0).estimatedCount()).isEqualTo(3);

            sql(db, "UPDATE datasets SET note = 'changed', size = size + 1 WHERE id = 1",
                    "INSERT INTO datasets (name) VALUES ('fourth')",
                    "DELETE FROM datasets WHERE id = 2",
                    "BEGIN; UPDATE datasets SET note = 'one' WHERE id = 3; UPDATE datasets SET note = 'two' WHERE id = 3;"
                            + " COMMIT");
            List<RawEvent> all = datasets.readEventsUntil(es -> es.size() >= 3 + 5, DEADLINE, "5 streamed changes");
            List<RawEvent> streamed = all.subList(3, all.size()).stream()
                    .sorted(java.util.Comparator.comparing(RawEvent::position)).toList();
            assertThat(streamed).extracting(RawEvent::op).as("in commit order").containsExactly("u", "c", "d", "u", "u");
            assertThat(streamed.get(0).after().getString("note").getValue()).isEqualTo("changed");
            assertThat(streamed.get(0).after().getInt64("size").getValue()).isEqualTo(5_000_000_001L);
            assertThat(streamed.get(2).id()).isEqualTo(new BsonInt32(2));
            assertThat(streamed.get(2).after()).isNull();
            List<RawEvent> third = all.stream().filter(e -> e.id().equals(new BsonInt32(3)) && e.op().equals("u"))
                    .toList();
            assertThat(third).extracting(e -> e.after().getString("note").getValue()).as("in the partition's order")
                    .containsExactly("one", "two");
            assertThat(third.get(0).position()).as("changes of one transaction share its commit time")
                    .isEqualTo(third.get(1).position());
            SourcePosition lastRead = snapshot.stream().map(RawEvent::position).max(SourcePosition::compareTo)
                    .orElseThrow();
            assertThat(streamed.get(0).position()).as("above the snapshot's reads").isGreaterThanOrEqualTo(lastRead);
            assertThat(streamed.get(1).position()).as("a later transaction, a later commit time")
                    .isGreaterThan(streamed.get(0).position());
            assertThat(streamed.get(0).position().seconds()).as("the source's commit time")
                    .isBetween((int) started.minusSeconds(5).getEpochSecond(), (int) Instant.now().getEpochSecond() + 1);

            SourcePosition lastChange = streamed.get(4).position();
            awaitCondition(() -> capture.lastTickPosition().compareTo(lastChange) > 0,
                    "a tick past the last change while the tables are idle (the heartbeat row moves the position)");
            assertThat(capture.failure()).isEmpty();
        }
        List<String> dropped = PostgresReplicationCleanup.drop(spec);
        assertThat(dropped).contains("replication slot " + PostgresReplication.of(spec.name()).slot(),
                "publication " + PostgresReplication.of(spec.name()).publication());
        assertThat(PostgresReplicationCleanup.drop(spec)).as("nothing left to drop").isEmpty();
    }

    @Test
    void changesWhileCaptureIsStoppedAreStreamedWhenItStartsAgain() throws Exception {
        String db = "restart_" + UUID.randomUUID().toString().substring(0, 8);
        postgres.createDatabase(db);
        sql(db, "CREATE TABLE jobs (id bigint PRIMARY KEY, status text)", "INSERT INTO jobs VALUES (1, 'new')");
        MigrationSpec spec = spec("rs" + db.substring(8), db, "jobs");
        String topic = Topics.of(spec.name()).raw(db, "jobs");
        try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
                RawTopicReader raw = startAndRead(capture, topic)) {
            raw.readEventsUntil(es -> es.size() >= 1, DEADLINE, "the snapshot read");
            awaitCondition(() -> capture.phase() == CapturePhase.STREAMING, "streaming");
        }
        sql(db, "UPDATE jobs SET status = 'done' WHERE id = 1", "INSERT INTO jobs VALUES (2, 'new')");
        try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
                RawTopicReader raw = startAndRead(capture, topic)) {
            List<RawEvent> events = raw.readEventsUntil(es -> es.stream().anyMatch(e -> e.id().equals(new BsonInt64(2))),
                    DEADLINE, "the insert made while capture was stopped");
            assertThat(events).filteredOn(e -> e.op().equals("r")).as("no second snapshot").hasSize(1);
            assertThat(events).filteredOn(e -> e.id().equals(new BsonInt64(1))).last()
                    .extracting(e -> e.after().getString("status").getValue()).isEqualTo("done");
        } finally {
            PostgresReplicationCleanup.drop(spec);
        }
    }

    @Test
    void preparingTheTablesNeverDeadlocksWithTheApplicationsTransactions() throws Exception {
        String db = "locks_" + UUID.randomUUID().toString().substring(0, 8);
        postgres.createDatabase(db);
        sql(db, "CREATE TABLE datasets (id integer PRIMARY KEY)", "CREATE TABLE files (id integer PRIMARY KEY)",
                "INSERT INTO datasets VALUES (1)");
        MigrationSpec spec = spec("lk" + db.substring(6), db, "datasets", "files");
        // the application: a transaction holding files, which will read datasets while capture prepares both
        try (Connection application = DriverManager.getConnection(postgres.jdbcUrl(db));
             ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec))) {
            application.setAutoCommit(false);
            try (Statement s = application.createStatement()) {
                s.execute("INSERT INTO files VALUES (1)");
            }
            java.util.concurrent.CompletableFuture<Void> started = java.util.concurrent.CompletableFuture.runAsync(
                    capture::start);
            awaitCondition(() -> waitingForLock(db, "files"), "capture waiting for the application's lock on files");
            try (Statement s = application.createStatement()) {
                s.execute("SELECT count(*) FROM datasets");   // a deadlock here if capture still held datasets
            }
            application.commit();
            started.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(capture.failure()).isEmpty();
        } finally {
            PostgresReplicationCleanup.drop(spec);
        }
    }

    private static boolean waitingForLock(String db, String table) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(db)); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '"
                     + table + "'::regclass")) {
            rs.next();
            return rs.getLong(1) > 0;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTableWithoutPrimaryKeyIsRefusedByName() {
        String db = "nokey_" + UUID.randomUUID().toString().substring(0, 8);
        postgres.createDatabase(db);
        sql(db, "CREATE TABLE events (at timestamptz, what text)");
        MigrationSpec spec = spec("nk" + db.substring(6), db, "events");
        try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec))) {
            assertThatThrownBy(capture::start).isInstanceOf(CaptureException.class)
                    .hasMessageContaining("'events' has no primary key");
        }
        MigrationSpec missing = spec("ms" + db.substring(6), db, "nothing_here");
        try (ChangeStreamCapture capture = new ChangeStreamCapture(missing, CaptureConfig.from(missing))) {
            assertThatThrownBy(capture::start).isInstanceOf(CaptureException.class)
                    .hasMessageContaining("source table 'nothing_here'").hasMessageContaining("does not exist");
        }
    }

    private static RawTopicReader startAndRead(ChangeStreamCapture capture, String topic) {
        capture.start();
        return new RawTopicReader(kafka.bootstrapServers(), topic);
    }

    private static RawEvent byId(List<RawEvent> events, BsonValue id) {
        return events.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    private static MigrationSpec spec(String name, String db, String... tables) {
        List<CollectionSpec> collections = java.util.Arrays.stream(tables)
                .map(t -> new CollectionSpec(t, t, List.of())).toList();
        return new MigrationSpec(name, new MigrationSpec.Endpoint(postgres.uri(db), db),
                new MigrationSpec.Endpoint("mongodb://127.0.0.1:1/?replicaSet=rs0", "unused"),
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Map.of("heartbeat.interval.ms", 200),
                Map.of(), Map.of(), collections, "0".repeat(64), "test");
    }

    private static void sql(String db, String... statements) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(db)); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        Instant end = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("gave up after " + DEADLINE + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
