package io.changeover.control.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;

import io.changeover.capture.CaptureConfig;
import io.changeover.capture.ChangeStreamCapture;
import io.changeover.capture.PostgresReplicationCleanup;
import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.embedded.postgres.LocalPostgres;
import io.changeover.transform.format.RawRecord;
import io.changeover.transform.format.RawRecords;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * The two readings of a PostgreSQL row, capture's (Debezium's values, {@code ConnectValues}) and the verifier's (the
 * JDBC driver's, {@code PostgresTableReader}), give the same document for random rows of every mapped type, NULLs,
 * dates before 1970, microseconds, numerics too long for decimal128 and nested JSON included: after the snapshot and
 * after every row was updated while streaming. A disagreement would be a false difference in every verification.
 */
class PostgresReadingsAgreeIT {
    private static final int ROWS = 150;
    private static final String COLUMNS = "s smallint, i integer, b bigint, n numeric(20,4), nf numeric, r real,"
            + " d double precision, ok boolean, t text, v varchar(40), tz timestamptz, ts timestamp, day date, tm time,"
            + " u uuid, j jsonb, js json, raw bytea, ints integer[], texts text[]";

    @Test
    void captureAndVerifierReadEveryRowAlike() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); LocalPostgres postgres = LocalPostgres.start()) {
            postgres.createDatabase("typed");
            Random random = new Random(31);
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("typed"))) {
                execute(c, "CREATE TABLE typed (id bigint PRIMARY KEY, " + COLUMNS + ")");
                for (int id = 0; id < ROWS; id++) {
                    write(c, "INSERT INTO typed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::json, ?,"
                            + " ?, ?)", id, random);
                }
            }
            MigrationSpec spec = new MigrationSpec("agree", new MigrationSpec.Endpoint(postgres.uri("typed"), "typed"),
                    new MigrationSpec.Endpoint("mongodb://127.0.0.1:1/?replicaSet=rs0", "unused"),
                    Map.of("bootstrap.servers", kafka.bootstrapServers()), Map.of("heartbeat.interval.ms", 200),
                    Map.of(), Map.of(), List.of(new CollectionSpec("typed", "typed", List.of())), "0".repeat(64), "t");
            String topic = Topics.of(spec.name()).raw("typed", "typed");
            try (ChangeStreamCapture capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
                 SourceAccess access = SourceAccess.open(spec)) {
                capture.start();
                Map<BsonValue, BsonDocument> captured = new HashMap<>();
                readUntil(kafka, topic, captured, ROWS, "the snapshot");
                assertAgree(captured, access.documents(), "after the snapshot");

                try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("typed"))) {
                    for (int id = 0; id < ROWS; id++) {
                        write(c, "UPDATE typed SET s = ?, i = ?, b = ?, n = ?, nf = ?, r = ?, d = ?, ok = ?, t = ?, v = ?,"
                                + " tz = ?, ts = ?, day = ?, tm = ?, u = ?, j = ?::jsonb, js = ?::json, raw = ?, ints = ?,"
                                + " texts = ? WHERE id = ?", id, random);
                    }
                }
                readUntil(kafka, topic, captured, 2 * ROWS, "every row's update");
                assertAgree(captured, access.documents(), "after streaming");
            }
            PostgresReplicationCleanup.drop(spec);
        }
    }

    private static void assertAgree(Map<BsonValue, BsonDocument> captured, MongoClient copy, String when) {
        Map<BsonValue, BsonDocument> read = new HashMap<>();
        copy.getDatabase("typed").getCollection("typed", BsonDocument.class).find().forEach(d -> read.put(d.get("_id"), d));
        assertThat(read).as("rows the verifier read " + when).hasSize(ROWS);
        read.forEach((id, document) -> {
            BsonDocument capturedRow = captured.get(id);
            assertThat(capturedRow).as("row %s captured %s", id, when).isNotNull();
            assertThat(capturedRow.keySet()).as("columns of row %s %s", id, when).containsExactlyElementsOf(document.keySet());
            document.forEach((column, value) -> assertThat(capturedRow.get(column))
                    .as("column %s of row %s %s (capture's reading; the verifier's is expected)", column, id, when)
                    .isEqualTo(value));
        });
    }

    /** Binds random values of every column (about one in eight NULL), then the id, to a statement of 21 parameters. */
    private static void write(Connection c, String sql, int id, Random random) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            boolean update = sql.startsWith("UPDATE");
            int p = update ? 0 : 1;
            if (!update) {
                s.setLong(1, id);
            }
            set(s, ++p, random, () -> (short) (random.nextInt(65536) - 32768));
            set(s, ++p, random, random::nextInt);
            set(s, ++p, random, random::nextLong);
            set(s, ++p, random, () -> BigDecimal.valueOf(random.nextLong() % 10_000_000_000_000_000L, 4));
            set(s, ++p, random, () -> random.nextBoolean() ? new BigDecimal(new BigInteger(130, random), random.nextInt(20))
                    : new BigDecimal(random.nextInt(1000) - 500).movePointLeft(random.nextInt(5)));
            set(s, ++p, random, () -> (float) (random.nextGaussian() * 1e6));
            set(s, ++p, random, () -> random.nextGaussian() * 1e12);
            set(s, ++p, random, random::nextBoolean);
            set(s, ++p, random, () -> "text é " + random.nextInt() + " \u4e2d");
            set(s, ++p, random, () -> "v" + random.nextInt(1000));
            Instant at = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 4_000_000_000L), random.nextInt(1_000_000) * 1000L);
            set(s, ++p, random, () -> OffsetDateTime.ofInstant(at, ZoneOffset.ofHours(random.nextInt(25) - 12)));
            set(s, ++p, random, () -> LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            set(s, ++p, random, () -> LocalDate.ofEpochDay(random.nextInt(80_000) - 30_000));
            set(s, ++p, random, () -> LocalTime.ofNanoOfDay(random.nextLong(86_400_000_000L) * 1000L));
            set(s, ++p, random, UUID::randomUUID);
            set(s, ++p, random, () -> "{\"a\": " + random.nextInt() + ", \"big\": " + random.nextLong() + ", \"f\": "
                    + random.nextDouble() + ", \"nested\": {\"list\": [1, \"two\", null, true]}, \"s\": \"x\"}");
            set(s, ++p, random, () -> "[" + random.nextInt(100) + ", {\"k\": \"v\"}]");
            set(s, ++p, random, () -> {
                byte[] bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                return bytes;
            });
            Integer[] ints = {random.nextInt(), random.nextInt(), null};
            Object intArray = c.createArrayOf("integer", ints);
            set(s, ++p, random, () -> intArray);
            Object textArray = c.createArrayOf("text", new String[] {"a", "b c", ""});
            set(s, ++p, random, () -> textArray);
            if (update) {
                s.setLong(++p, id);
            }
            s.executeUpdate();
        }
    }

    private static void set(PreparedStatement s, int index, Random random, java.util.function.Supplier<Object> value)
            throws SQLException {
        s.setObject(index, random.nextInt(8) == 0 ? null : value.get());
    }

    private static void readUntil(EmbeddedKafka kafka, String topic, Map<BsonValue, BsonDocument> latest, int changes,
            String what) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int seen = 0;
            while (seen < changes) {
                assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && RawRecords.read(r.key(), r.value()) instanceof RawRecord.Change change) {
                        latest.put(change.id(), change.after());
                        seen++;
                    }
                }
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
