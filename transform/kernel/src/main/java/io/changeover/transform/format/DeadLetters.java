package io.changeover.transform.format;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The format of dead-letter records ({@code changeover.<m>.dlq}): the original record's key, value and headers, plus
 * headers saying where it failed and why. Every header value is UTF-8 text.
 */
public final class DeadLetters {
    /** The stage that gave up on the record: {@code transform} or {@code sink}. */
    public static final String STAGE = "changeover.dlq.stage";
    /** The source collection of the record. */
    public static final String COLLECTION = "changeover.dlq.collection";
    /** The step at fault ({@code step 2 (rename)}), or the part of the record that could not be read. */
    public static final String STEP = "changeover.dlq.step";
    /** Why the record was rejected. */
    public static final String REASON = "changeover.dlq.reason";
    /** sha-256 of the spec that rejected it. */
    public static final String SPEC_CHECKSUM = "changeover.dlq.spec.checksum";
    /** Topic, partition and offset the record was read from. */
    public static final String SOURCE_TOPIC = "changeover.dlq.source.topic";
    public static final String SOURCE_PARTITION = "changeover.dlq.source.partition";
    public static final String SOURCE_OFFSET = "changeover.dlq.source.offset";

    private DeadLetters() {
    }

    /** Adds (or replaces) a text header. */
    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A text header's value, or null when absent. */
    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
