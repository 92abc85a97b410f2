package io.changeover.transform.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import io.changeover.transform.format.DeadLetters;
import io.changeover.transform.format.OutputRecords;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.step.DedupePolicy;

/**
 * Combines the candidates of one target id (several source documents of a collection mapping to it) by the
 * collection's {@link DedupePolicy}. Reads {@code dedupe.<collection>}, keyed by target id, where each record is a
 * candidate {@code {c: <target collection>, s: <source id>, d: <document>}} (with {@code k: <raw key>, v: <raw
 * value>} under the {@code dead-letter} policy, which sends rejected candidates' raw records there) or its
 * withdrawal (no {@code d}). The candidates live in a changelogged store keyed by target collection, target key and
 * source key, so a prefix scan lists them in source-key order. After each change the combined document (or a
 * tombstone when none is left) is written to the target's output topic; with {@code dead-letter}, a candidate that is
 * not the kept one goes to the dead-letter topic with its original raw record.
 *
 * <p>Candidates of one target id come from different source documents, hence from different raw partitions, so they
 * arrive here in no particular source-position order. Each combined document carries the highest position seen for
 * its target id: each stored candidate keeps its position (8 bytes before the candidate record's value), and the
 * highest of withdrawn candidates is kept in the same store under {@code <target collection> 0 <target key>}, which
 * no candidate prefix scan reaches. Stamped with the arriving candidate's own, possibly older, position, the sink's
 * position guard would refuse it as stale and the target would keep an outdated combination.
 */
public final class DedupeProcessor extends ContextualProcessor<byte[], byte[], byte[], byte[]> {
    private final String collection;
    private final DedupePolicy policy;
    private final Names names;
    private final String checksum;
    private KeyValueStore<byte[], byte[]> candidates;

    /** Store and node names; {@code outputs} maps a target collection to its sink node. */
    public record Names(String store, Map<String, String> outputs, String deadLetter) {
    }

    public static ProcessorSupplier<byte[], byte[], byte[], byte[]> supplier(String collection, DedupePolicy policy,
                                                                             Names names, String checksum) {
        return () -> new DedupeProcessor(collection, policy, names, checksum);
    }

    private DedupeProcessor(String collection, DedupePolicy policy, Names names, String checksum) {
        this.collection = collection;
        this.policy = policy;
        this.names = names;
        this.checksum = checksum;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        candidates = context.getStateStore(names.store());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        BsonDocument message = new RawBsonDocument(record.value()); // read in place: the document is only passed on
        byte[] target = message.getString("c").getValue().getBytes(StandardCharsets.UTF_8);
        byte[] sourceKey = OutputRecords.key(message.get("s"));
        SourcePosition position = OutputRecords.position(record.headers());
        Listed listed = list(target, record.key());
        List<DedupePolicy.Candidate> before = listed.candidates();
        DedupePolicy.Candidate changed = message.containsKey("d") ? new DedupePolicy.Candidate(sourceKey, message.getDocument("d")) : null;
        byte[] storeKey = RemapMessages.storeKey(target, record.key(), sourceKey);
        if (changed != null) {
            candidates.put(storeKey, stored(position, record.value()));
        } else {
            candidates.delete(storeKey);
        }
        List<DedupePolicy.Candidate> after = replace(before, sourceKey, changed);
        String sink = names.outputs().get(message.getString("c").getValue());
        Headers headers = new RecordHeaders();
        OutputRecords.putPosition(headers, highestPosition(target, record.key(), position, listed.highest(), changed == null));
        byte[] value = after.isEmpty() ? null : OutputRecords.value(policy.combine(after));
        context().forward(record.withValue(value).withHeaders(headers), sink);
        deadLetterNewlyRejected(record, before, after);
    }

    /**
     * The candidates after one changed (null: withdrawn), in the store's order (source keys as unsigned bytes, what a
     * prefix scan gives), without scanning the store again.
     */
    private static List<DedupePolicy.Candidate> replace(List<DedupePolicy.Candidate> before, byte[] sourceKey,
                                                        DedupePolicy.Candidate changed) {
        List<DedupePolicy.Candidate> after = new ArrayList<>(before.size() + 1);
        boolean placed = changed == null;
        for (DedupePolicy.Candidate c : before) {
            int order = Arrays.compareUnsigned(c.sourceKey(), sourceKey);
            if (order == 0) {
                continue;
            }
            if (!placed && order > 0) {
                after.add(changed);
                placed = true;
            }
            after.add(c);
        }
        if (!placed) {
            after.add(changed);
        }
        return after;
    }

    /**
     * The larger of {@code position} and every position seen for this target id before: the stored candidates'
     * ({@code listed}) and, kept apart, the highest of candidates withdrawn since (written only on a withdrawal: a
     * candidate's own positions only grow, so while it stays its stored position covers its earlier ones).
     */
    private SourcePosition highestPosition(byte[] target, byte[] targetKey, SourcePosition position, long listed,
                                           boolean withdrawal) {
        byte[] key = RemapMessages.storeKey(target, targetKey);
        byte[] stored = candidates.get(key);
        long withdrawn = stored != null && stored.length == Long.BYTES ? ByteBuffer.wrap(stored).getLong() : Long.MIN_VALUE;
        long highest = Math.max(position.value(), Math.max(listed, withdrawn));
        if (withdrawal && highest > withdrawn) {
            candidates.put(key, ByteBuffer.allocate(Long.BYTES).putLong(highest).array());
        }
        return new SourcePosition(highest);
    }

    /** A candidate as stored: its position (8 bytes), then the candidate record's value. */
    private static byte[] stored(SourcePosition position, byte[] candidate) {
        return ByteBuffer.allocate(Long.BYTES + candidate.length).putLong(position.value()).put(candidate).array();
    }

    /** The candidate record's value of a stored candidate (a copy: the dead-letter path decodes it). */
    private static byte[] candidate(byte[] stored) {
        return Arrays.copyOfRange(stored, Long.BYTES, stored.length);
    }

    /** The stored candidates of one target id, in source-key order, and the highest of their positions. */
    private record Listed(List<DedupePolicy.Candidate> candidates, long highest) {
    }

    /** The stored candidates of one target id (the source key is the store key's last part). */
    private Listed list(byte[] target, byte[] targetKey) {
        byte[] prefix = RemapMessages.prefix(target, targetKey);
        List<DedupePolicy.Candidate> list = new ArrayList<>();
        long highest = Long.MIN_VALUE;
        try (KeyValueIterator<byte[], byte[]> it = candidates.prefixScan(prefix, new ByteArraySerializer())) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> entry = it.next();
                byte[] sourceKey = Arrays.copyOfRange(entry.key, prefix.length, entry.key.length);
                highest = Math.max(highest, ByteBuffer.wrap(entry.value).getLong());
                list.add(new DedupePolicy.Candidate(sourceKey,
                        new RawBsonDocument(entry.value, Long.BYTES, entry.value.length - Long.BYTES).getDocument("d")));
            }
        }
        return new Listed(list, highest);
    }

    private void deadLetterNewlyRejected(Record<byte[], byte[]> record, List<DedupePolicy.Candidate> before,
                                         List<DedupePolicy.Candidate> after) {
        List<DedupePolicy.Candidate> was = policy.deadLetters(before);
        for (DedupePolicy.Candidate rejected : policy.deadLetters(after)) {
            if (was.stream().noneMatch(c -> Arrays.equals(c.sourceKey(), rejected.sourceKey()))) {
                deadLetter(record, rejected, after.get(0));
            }
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, DedupePolicy.Candidate rejected, DedupePolicy.Candidate kept) {
        byte[] storeKey = RemapMessages.storeKey(
                OutputRecords.document(record.value()).getString("c").getValue().getBytes(StandardCharsets.UTF_8),
                record.key(), rejected.sourceKey());
        BsonDocument message = OutputRecords.document(candidate(candidates.get(storeKey)));
        Headers headers = new RecordHeaders();
        DeadLetters.put(headers, DeadLetters.STAGE, "transform");
        DeadLetters.put(headers, DeadLetters.COLLECTION, collection);
        DeadLetters.put(headers, DeadLetters.STEP, policy.step());
        DeadLetters.put(headers, DeadLetters.REASON, policy.reason(record.key(), rejected, kept));
        DeadLetters.put(headers, DeadLetters.SPEC_CHECKSUM, checksum);
        context().forward(record.withKey(message.getBinary("k").getData()).withValue(message.getBinary("v").getData())
                .withHeaders(headers), names.deadLetter());
    }
}
