package io.changeover.transform.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A migration spec, as loaded and validated by {@link SpecLoader}: where the source and target are, which Kafka to use,
 * per-module settings, and per source collection the target collection and the ordered steps.
 *
 * @param name        migration name; becomes part of every topic name (see {@code Topics})
 * @param source      the live source database
 * @param target      the target database
 * @param kafka       Kafka client properties shared by every stage (at least {@code bootstrap.servers})
 * @param capture     raw settings for {@code CaptureConfig}
 * @param transform   raw settings for {@code TransformConfig}
 * @param sink        raw settings for {@code SinkConfig}
 * @param collections collections to migrate, in spec order
 * @param checksum    sha-256 hex of the spec file's bytes; recorded with every output and dead letter
 * @param origin      where the spec came from (a file path), for error messages
 * @param canonicalForm the version of the canonical form content-derived ids are hashed over ({@code canonical:},
 *                      default {@code v1}; {@code docs/canonical-form.md})
 */
public record MigrationSpec(
        String name,
        Endpoint source,
        Endpoint target,
        Map<String, String> kafka,
        Map<String, Object> capture,
        Map<String, Object> transform,
        Map<String, Object> sink,
        List<CollectionSpec> collections,
        String checksum,
        String origin,
        String canonicalForm) {

    /** The version of the canonical form when a spec names none. */
    public static final String DEFAULT_CANONICAL_FORM = "v1";

    /** A spec with the default canonical form. */
    public MigrationSpec(String name, Endpoint source, Endpoint target, Map<String, String> kafka,
            Map<String, Object> capture, Map<String, Object> transform, Map<String, Object> sink,
            List<CollectionSpec> collections, String checksum, String origin) {
        this(name, source, target, kafka, capture, transform, sink, collections, checksum, origin,
                DEFAULT_CANONICAL_FORM);
    }

    public MigrationSpec {
        kafka = Map.copyOf(kafka);
        capture = Map.copyOf(capture);
        transform = Map.copyOf(transform);
        sink = Map.copyOf(sink);
        collections = List.copyOf(collections);
    }

    /**
     * The spec as it may be shown in messages and logs: connection strings without passwords, and Kafka settings that
     * hold secrets ({@code sasl.jaas.config}, passwords, keys) as {@code ***}.
     */
    @Override
    public String toString() {
        Map<String, String> shownKafka = new java.util.TreeMap<>();
        kafka.forEach((k, v) -> shownKafka.put(k, ConnectionStrings.secretSetting(k) ? "***" : v));
        return "MigrationSpec[name=" + name + ", source=" + source + ", target=" + target + ", kafka=" + shownKafka
                + ", collections=" + collections.stream().map(CollectionSpec::source).toList() + ", origin=" + origin
                + ", checksum=" + checksum + "]";
    }

    /** Whether a step of kind {@code kind} appears in any collection's steps or routes. */
    public boolean usesStep(String kind) {
        return collections.stream().anyMatch(c -> c.steps().stream().anyMatch(s -> s.kind().equals(kind))
                || c.routes().stream().anyMatch(r -> r.steps().stream().anyMatch(s -> s.kind().equals(kind))));
    }

    public Optional<CollectionSpec> collection(String sourceCollection) {
        return collections.stream().filter(c -> c.source().equals(sourceCollection)).findFirst();
    }

    /**
     * A MongoDB deployment and the database in it, or a PostgreSQL database and its tables.
     *
     * @param relational the tables of a PostgreSQL target ({@code uri} {@code postgresql://...}); null for MongoDB
     */
    public record Endpoint(String uri, String database, RelationalTarget relational) {
        public Endpoint(String uri, String database) {
            this(uri, database, null);
        }

        /** Whether this is a PostgreSQL database (its documents stored as rows of {@link #relational()}'s tables). */
        public boolean isRelational() {
            return relational != null;
        }

        /**
         * Whether this is a PostgreSQL database ({@code postgresql://} or {@code postgres://}): as a source, its
         * tables are the collections, a row a document keyed by its primary key; as a target see
         * {@link #relational()}.
         */
        public boolean isPostgres() {
            return uri.startsWith("postgresql://") || uri.startsWith("postgres://");
        }

        /** Without the connection string's password: endpoints end up in messages and logs. */
        @Override
        public String toString() {
            return "Endpoint[uri=" + ConnectionStrings.redact(uri) + ", database=" + database
                    + (relational == null ? "" : ", tables=" + relational.tables().size()) + "]";
        }
    }
}
