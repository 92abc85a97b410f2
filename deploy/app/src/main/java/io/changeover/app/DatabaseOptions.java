package io.changeover.app;

import io.changeover.control.state.MetadataCollection;
import picocli.CommandLine.Option;

/** The database whose schema versions {@code migrate}, {@code baseline} and {@code repair} manage. */
final class DatabaseOptions {
    @Option(names = "--uri", required = true, description = "MongoDB connection string of the database's deployment.")
    String uri;

    @Option(names = "--database", required = true, description = "The database.")
    String database;

    @Option(names = "--metadata-collection", defaultValue = MetadataCollection.DEFAULT_NAME,
            description = "Collection holding the schema history (default ${DEFAULT-VALUE}).")
    String metadataCollection;

    /** The version recorded with every applied migration. */
    static String toolVersion() {
        String v = Changeover.class.getPackage().getImplementationVersion();
        return v == null ? "changeover 0.1.0" : "changeover " + v;
    }
}
