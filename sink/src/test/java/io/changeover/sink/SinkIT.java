package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.TopicPartition;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;
import io.changeover.embedded.mongo.MongoUnderTest;
import com.mongodb.client.MongoClients;

class SinkIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static EmbeddedKafka kafka;
    private static MongoUnderTest mongo;
    private static MongoClient client;

    private MigrationSpec spec;
    private Topics topics;
    private MongoDatabase target;
    private OutputTopicWriter writer;

    @BeforeAll
    static void startInfrastructure() {
        kafka = EmbeddedKafka.start();
        mongo = MongoUnderTest.start();
        client = MongoClients.create(mongo.uri());
    }

    @AfterAll
    static void stopInfrastructure() {
        client.close();
        mongo.close();
        kafka.close();
    }

    @BeforeEach
    void newMigration(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        spec = new MigrationSpec(name, new MigrationSpec.Endpoint(mongo.uri(), "legacy"),
                new MigrationSpec.Endpoint(mongo.uri(), "target_" + name),
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Map.of(), Map.of(),
                Map.of("batch.max.records", 7, "poll.timeout.ms", 100),
                List.of(new CollectionSpec("jobs", "completed_jobs", List.of()),
                        new CollectionSpec("users", "users", List.of())),
                "checksum", "SinkIT");
        topics = Topics.of(name);
        target = client.getDatabase("target_" + name);
        writer = new OutputTopicWriter(kafka.bootstrapServers());
    }

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    @Test
    void targetHoldsExactlyTheLastStateOfEveryDocument() throws Exception {
        try (SinkRunner sink = SinkRunner.start(spec)) { // before any topic exists: the sink creates them
            String jobs = topics.output("completed_jobs");
            for (int id = 0; id < 40; id++) {
                writer.upsert(jobs, doc(id, "v1"));
            }
            for (int id = 0; id < 40; id += 2) {
                writer.upsert(jobs, doc(id, "v2"));
            }
            for (int id = 0; id < 40; id += 5) {
                writer.delete(jobs, new BsonInt32(id));
            }
            writer.delete(jobs, new BsonInt32(10));
            writer.upsert(jobs, doc(10, "recreated"));
            writer.delete(jobs, new BsonInt32(999)); // a delete of a document never written
            writer.upsert(topics.output("users"), new BsonDocument("_id", new BsonString("ada"))
                    .append("name", new BsonString("Ada")));
            writer.flush();

            awaitAllCommitted(sink);

            Map<Integer, String> expected = new HashMap<>();
            for (int id = 0; id < 40; id++) {
                if (id == 10) {
                    expected.put(id, "recreated");
                } else if (id % 5 != 0) {
                    expected.put(id, id % 2 == 0 ? "v2" : "v1");
                }
            }
            assertThat(states(target.getCollection("completed_jobs", BsonDocument.class))).isEqualTo(expected);
            assertThat(PositionGuard.unstamped(target.getCollection("users", BsonDocument.class).find().first()))
                    .isEqualTo(new BsonDocument("_id", new BsonString("ada")).append("name", new BsonString("Ada")));
            SinkStatus status = sink.status();
            assertThat(status.recordsRead()).isEqualTo(40 + 20 + 8 + 2 + 1 + 1);
            assertThat(status.failure()).isNull();
            assertThat(status.lastAppliedPosition().increment()).isEqualTo(40 + 20 + 8 + 2 + 1 + 1);
        }
    }

    @Test
    void documentsWithDollarPrefixedAndDottedTopLevelNamesReachTheTargetExactly() throws Exception {
        String jobs = topics.output("completed_jobs");
        MongoCollection<BsonDocument> collection = target.getCollection("completed_jobs", BsonDocument.class);
        BsonDocument dollar = new BsonDocument("_id", new BsonInt32(1)).append("$price", new BsonInt32(5))
                .append("a", new BsonString("$notAPath"));
        BsonDocument dotted = new BsonDocument("_id", new BsonInt32(2)).append("a.b", new BsonInt32(1));
        BsonDocument dollarAgain = new BsonDocument("_id", new BsonInt32(1)).append("$price", new BsonInt32(6))
                .append("$currency", new BsonString("EUR"));
        try (SinkRunner sink = SinkRunner.start(spec)) {
            writer.upsert(jobs, dollar);
            writer.upsert(jobs, dotted);
            writer.flush();
            awaitAllCommitted(sink);
            assertThat(Optional.ofNullable(collection.find(new BsonDocument("_id", new BsonInt32(1))).first())
                    .map(PositionGuard::unstamped)).contains(dollar);

            writer.upsert(jobs, dollarAgain); // over the stored one, in a later poll
            writer.flush();
            awaitAllCommitted(sink);

            assertThat(sink.status().deadLettered()).isZero();
        }
        assertThat(collection.find().sort(new BsonDocument("_id", new BsonInt32(1))).into(new ArrayList<>())
                .stream().map(PositionGuard::unstamped).toList()).containsExactly(dollarAgain, dotted);
    }

    @Test
    void aRestartedSinkResumesWhereItCommitted() throws Exception {
        String jobs = topics.output("completed_jobs");
        MongoCollection<BsonDocument> collection = target.getCollection("completed_jobs", BsonDocument.class);
        try (SinkRunner sink = SinkRunner.start(spec)) {
            for (int id = 0; id < 20; id++) {
                writer.upsert(jobs, doc(id, "first"));
            }
            writer.flush();
            awaitAllCommitted(sink);
        }
        // Changed behind the sink's back: a sink that re-read its topics from the start would overwrite this.
        collection.replaceOne(new BsonDocument("_id", new BsonInt32(3)), doc(3, "marker"));
        for (int id = 20; id < 30; id++) {
            writer.upsert(jobs, doc(id, "while stopped"));
        }
        writer.delete(jobs, new BsonInt32(4));
        writer.flush();

        try (SinkRunner sink = SinkRunner.start(spec)) {
            awaitAllCommitted(sink);
            assertThat(sink.status().recordsRead()).isEqualTo(11);
        }

        Map<Integer, String> states = states(collection);
        assertThat(states).hasSize(29).containsEntry(3, "marker").containsEntry(25, "while stopped")
                .doesNotContainKey(4);
    }

    @Test
    void aDuplicateKeyThatOutlivesTheConflictTimeoutGoesToTheDeadLetterTopicNamingTheHolderAndTheSinkGoesOn()
            throws Exception {
        String jobs = topics.output("completed_jobs");
        MongoCollection<BsonDocument> collection = target.getCollection("completed_jobs", BsonDocument.class);
        collection.createIndex(Indexes.ascending("state"), new IndexOptions().unique(true));
        try (SinkRunner sink = SinkRunner.start(withSink(Map.of("unique.conflict.timeout.ms", 300)))) {
            writer.upsert(jobs, doc(1, "same"));
            writer.upsert(jobs, doc(2, "same"));
            writer.upsert(jobs, doc(3, "other"));
            writer.flush();

            awaitAllCommitted(sink);

            assertThat(sink.isRunning()).isTrue();
            assertThat(sink.status().deadLettered()).isEqualTo(1);
            assertThat(states(collection)).hasSize(2).containsEntry(3, "other");
            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(1);
            Headers headers = letters.get(0).headers();
            assertThat(DeadLetters.get(headers, DeadLetters.STAGE)).isEqualTo("sink");
            assertThat(DeadLetters.get(headers, DeadLetters.COLLECTION)).isEqualTo("completed_jobs");
            assertThat(DeadLetters.get(headers, DeadLetters.SOURCE_TOPIC)).isEqualTo(jobs);
            BsonDocument letter = OutputRecords.document(letters.get(0).value());
            assertThat(letter.getString("state").getValue()).isEqualTo("same");
            assertThat(states(collection).get(letter.getInt32("_id").getValue())).isNull();
            int holder = 3 - letter.getInt32("_id").getValue();
            assertThat(DeadLetters.get(headers, DeadLetters.REASON)).contains("11000", "state_1",
                    "held by target document _id " + holder, "still refused after");
        }
    }

    @Test
    void usersHandingAnEmailOnInLaterPollsBothGetTheirNewEmails() throws Exception {
        String users = topics.output("users");
        MongoCollection<BsonDocument> collection = target.getCollection("users", BsonDocument.class);
        collection.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
        try (SinkRunner sink = SinkRunner.start(spec)) {
            writer.upsert(users, user("a", "e1"));
            writer.upsert(users, user("b", "e2"));
            writer.flush();
            awaitAllCommitted(sink);

            // A hands e1 on to B, but B's newer state is read first, a poll before A's
            long read = sink.status().recordsRead();
            Map<TopicPartition, Long> before = committed();
            writer.upsert(users, user("b", "e1"));
            writer.flush();
            await(() -> sink.status().recordsRead() > read, "the sink reading B's new email");
            assertThat(committed()).as("B's record is held: its offset is not committed").isEqualTo(before);
            writer.upsert(users, user("a", "e3"));
            writer.flush();

            awaitAllCommitted(sink);

            assertThat(emails(collection)).isEqualTo(Map.of("a", "e3", "b", "e1"));
            assertThat(sink.status().deadLettered()).isZero();
        }
    }

    @Test
    void aReplayedTopicLeavesTheTargetUnchanged() throws Exception {
        String jobs = topics.output("completed_jobs");
        MongoCollection<BsonDocument> collection = target.getCollection("completed_jobs", BsonDocument.class);
        OutputTopics.ensure(spec.kafka(), SinkConfig.from(spec), SinkRunner.collectionByTopic(spec, topics).keySet());
        for (int round = 0; round < 3; round++) {
            for (int id = 0; id < 30; id++) {
                if ((id + round) % 4 == 0) {
                    writer.delete(jobs, new BsonInt32(id));
                } else {
                    writer.upsert(jobs, doc(id, "round " + round));
                }
            }
        }
        writer.flush();
        try (SinkRunner sink = SinkRunner.start(spec)) {
            awaitAllCommitted(sink);
        }
        List<BsonDocument> once = collection.find().sort(new BsonDocument("_id", new BsonInt32(1))).into(new ArrayList<>());

        rewindSinkGroup();
        try (SinkRunner sink = SinkRunner.start(spec)) {
            awaitAllCommitted(sink);
            assertThat(sink.status().recordsRead()).isEqualTo(90);
            assertThat(sink.status().staleSkipped()).isPositive();
        }

        assertThat(collection.find().sort(new BsonDocument("_id", new BsonInt32(1))).into(new ArrayList<>()))
                .isEqualTo(once);
        assertThat(once).hasSize((int) java.util.stream.IntStream.range(0, 30).filter(id -> (id + 2) % 4 != 0).count());
    }

    @Test
    void theMetadataCollectionHoldsTheMigrationAndTheLastAppliedPositionPerCollection() throws Exception {
        try (SinkRunner sink = SinkRunner.start(spec)) {
            writer.upsert(topics.output("completed_jobs"), doc(1, "a"));
            writer.upsert(topics.output("users"), doc(2, "b"));
            writer.flush();
            awaitAllCommitted(sink);
        }
        MongoCollection<BsonDocument> metadata = target.getCollection("changeover_metadata", BsonDocument.class);
        BsonDocument migration = metadata.find(new BsonDocument("_id", new BsonString("migration"))).first();
        assertThat(migration.getString("name").getValue()).isEqualTo(spec.name());
        assertThat(migration.getString("specChecksum").getValue()).isEqualTo(spec.checksum());
        assertThat(migration.getString("schemaVersion").getValue()).isEqualTo("1");
        SinkMetadata reader = new SinkMetadata(target, "changeover_metadata", com.mongodb.WriteConcern.MAJORITY);
        assertThat(reader.appliedPosition("completed_jobs").increment()).isEqualTo(1);
        assertThat(reader.appliedPosition("users").increment()).isEqualTo(2);
    }

    @Test
    void declaredIndexesAreCreatedBeforeTheLoad() throws Exception {
        spec = withSink(Map.of("indexes", "completed_jobs: state, _id:-1; users: state unique"));
        try (SinkRunner sink = SinkRunner.start(spec)) {
            assertThat(indexKeys("completed_jobs")).contains(BsonDocument.parse("{state: 1, _id: -1}"));
            assertThat(indexKeys("users")).contains(BsonDocument.parse("{state: 1}"));
        }
    }

    @Test
    void declaredIndexesAreCreatedAfterTheLoadWhenAsked() throws Exception {
        spec = withSink(Map.of("indexes", "completed_jobs: state", "indexes.create", "after"));
        try (SinkRunner sink = SinkRunner.start(spec)) {
            assertThat(indexKeys("completed_jobs")).doesNotContain(BsonDocument.parse("{state: 1}"));
            for (int id = 0; id < 50; id++) {
                writer.upsert(topics.output("completed_jobs"), doc(id, "s" + id));
            }
            writer.flush();
            awaitAllCommitted(sink);
            await(() -> indexKeys("completed_jobs").contains(BsonDocument.parse("{state: 1}")), "the index after the load");
            assertThat(states(target.getCollection("completed_jobs", BsonDocument.class))).hasSize(50);
        }
    }

    private MigrationSpec withSink(Map<String, Object> settings) {
        Map<String, Object> sink = new HashMap<>(spec.sink());
        sink.putAll(settings);
        return new MigrationSpec(spec.name(), spec.source(), spec.target(), spec.kafka(), spec.capture(),
                spec.transform(), sink, spec.collections(), spec.checksum(), spec.origin());
    }

    private List<BsonDocument> indexKeys(String collection) {
        return target.getCollection(collection).listIndexes(BsonDocument.class).into(new ArrayList<>()).stream()
                .map(i -> i.getDocument("key")).toList();
    }

    private void rewindSinkGroup() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            committed().keySet().forEach(tp -> start.put(tp, new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(topics.sinkGroupId(), start).all().get(30, TimeUnit.SECONDS);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", "dlq-reader-" + spec.name());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", ByteArrayDeserializer.class);
        props.put("value.deserializer", ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topics.deadLetter()));
            await(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                return letters.size() >= expected;
            }, expected + " dead letter(s)");
        }
        return letters;
    }

    private static BsonDocument user(String id, String email) {
        return new BsonDocument("_id", new BsonString(id)).append("email", new BsonString(email));
    }

    private static Map<String, String> emails(MongoCollection<BsonDocument> collection) {
        return collection.find().into(new ArrayList<>()).stream().collect(Collectors.toMap(
                d -> d.getString("_id").getValue(), d -> d.getString("email").getValue()));
    }

    private static BsonDocument doc(int id, String state) {
        return new BsonDocument("_id", new BsonInt32(id)).append("state", new BsonString(state));
    }

    private static Map<Integer, String> states(MongoCollection<BsonDocument> collection) {
        return collection.find().into(new java.util.ArrayList<>()).stream().collect(Collectors.toMap(
                d -> d.getInt32("_id").getValue(), d -> d.getString("state").getValue()));
    }

    /** Waits until the sink group's committed offsets reach the end of every output topic. */
    private void awaitAllCommitted(SinkRunner sink) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets();
        await(() -> {
            if (sink.failure().isPresent()) {
                throw new AssertionError("sink failed", sink.failure().get());
            }
            Map<TopicPartition, Long> committed = committed();
            return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || committed.getOrDefault(e.getKey(), -1L).equals(e.getValue()));
        }, "the sink to commit up to " + ends);
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = admin()) {
            Set<String> names = SinkRunner.collectionByTopic(spec, topics).keySet();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()),
                            OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    private Map<TopicPartition, Long> committed() {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(topics.sinkGroupId())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> committed = new HashMap<>();
            offsets.forEach((tp, o) -> {
                if (o != null) {
                    committed.put(tp, o.offset());
                }
            });
            return committed;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the sink group's offsets", e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + DEADLINE + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
