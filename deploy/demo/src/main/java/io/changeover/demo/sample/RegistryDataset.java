package io.changeover.demo.sample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.SplittableRandom;

/**
 * The source of {@code changeover demo --source postgres}: a data registry whose datasets and files have
 * autoincrement integer ids, files pointing at their dataset by foreign key (ON DELETE CASCADE), the way a
 * repository built on serial keys looks before its ids become deterministic UUIDs. Deterministic from a seed.
 */
public final class RegistryDataset {
    static final String[] ORGANISMS = {"Homo sapiens", "Mus musculus", "Danio rerio", "Arabidopsis thaliana", null};
    static final String[] STATUSES = {"public", "PUBLIC", "draft", "Public", "embargoed"};
    static final String[] FORMATS = {"fastq", "bam", "csv", "pdb", "mzML"};
    private static final String[] SCHEMA = {
            "CREATE TABLE datasets (id serial PRIMARY KEY, accession text NOT NULL UNIQUE, title text NOT NULL,"
                    + " status text NOT NULL, organism text, released timestamptz, size_bytes bigint,"
                    + " keywords text[], metadata jsonb)",
            "CREATE TABLE files (id serial PRIMARY KEY, dataset_id integer NOT NULL REFERENCES datasets (id)"
                    + " ON DELETE CASCADE, name text NOT NULL, bytes bigint NOT NULL, format text, checksum uuid)",
            "CREATE INDEX ON files (dataset_id)"};

    private final long seed;
    private final int size;

    /** @param size datasets (each with 0 to 4 files) */
    public RegistryDataset(long seed, int size) {
        this.seed = seed;
        this.size = size;
    }

    /** The registry's tables, in an order their foreign keys can be loaded in. */
    public static final java.util.List<String> TABLES = java.util.List.of("datasets", "files");

    /** Creates the registry's tables (empty) in the connection's database. */
    public static void createTables(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
        }
    }

    /** Creates the tables and loads the datasets and their files; returns the number of files. */
    public long loadInto(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        createTables(connection);
        SplittableRandom random = new SplittableRandom(seed);
        long files = 0;
        try (PreparedStatement datasets = connection.prepareStatement(DATASET_INSERT);
             PreparedStatement fileRows = connection.prepareStatement(FILE_INSERT)) {
            for (int i = 1; i <= size; i++) {
                bindDataset(datasets, random, "DS" + (100_000 + i));
                datasets.addBatch();
                for (int f = random.nextInt(5); f > 0; f--) {
                    bindFile(fileRows, random, i);
                    fileRows.addBatch();
                    files++;
                }
                if (i % 1000 == 0) {
                    datasets.executeBatch();
                    fileRows.executeBatch();
                }
            }
            datasets.executeBatch();
            fileRows.executeBatch();
        }
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute("ANALYZE datasets");
            s.execute("ANALYZE files");
        }
        return files;
    }

    /** Rows of both tables now. */
    public static long count(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM datasets) + (SELECT count(*) FROM files)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static final String DATASET_INSERT = "INSERT INTO datasets (accession, title, status, organism, released,"
            + " size_bytes, keywords, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)";
    static final String FILE_INSERT = "INSERT INTO files (dataset_id, name, bytes, format, checksum)"
            + " VALUES (?, ?, ?, ?, ?)";

    static void bindDataset(PreparedStatement s, SplittableRandom random, String accession) throws SQLException {
        s.setString(1, accession);
        s.setString(2, "Study of " + ORGANISMS[random.nextInt(4)].split(" ")[0] + " sample " + random.nextInt(10_000));
        s.setString(3, STATUSES[random.nextInt(STATUSES.length)]);
        s.setString(4, ORGANISMS[random.nextInt(ORGANISMS.length)]);
        s.setTimestamp(5, new Timestamp(1_500_000_000_000L + random.nextLong(250_000_000_000L)));
        s.setLong(6, random.nextLong(1L << 40));
        s.setArray(7, s.getConnection().createArrayOf("text", new String[] {"kw" + random.nextInt(50),
                "kw" + random.nextInt(50)}));
        s.setString(8, "{\"instrument\": \"seq-" + random.nextInt(8) + "\", \"reads\": " + random.nextInt(1_000_000)
                + ", \"paired\": " + random.nextBoolean() + "}");
    }

    static void bindFile(PreparedStatement s, SplittableRandom random, int datasetId) throws SQLException {
        String format = FORMATS[random.nextInt(FORMATS.length)];
        s.setInt(1, datasetId);
        s.setString(2, "part-" + random.nextInt(100_000) + "." + format);
        s.setLong(3, random.nextLong(1L << 34));
        s.setString(4, format);
        s.setObject(5, new java.util.UUID(random.nextLong(), random.nextLong()));
    }
}
