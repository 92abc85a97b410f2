package io.changeover.schema;

import java.nio.file.Path;

/**
 * One migration spec of a schema history: file {@code V<version>__<name>.yaml} holding a {@code collections:} map in
 * the spec format (the steps applied to the database's documents).
 *
 * @param version  its schema version
 * @param name     the description part of the file name
 * @param file     where it is
 * @param checksum sha-256 hex of the file's bytes
 * @param yaml     the file's text
 */
public record SchemaMigration(SchemaVersion version, String name, Path file, String checksum, String yaml) {
}
