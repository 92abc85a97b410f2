package io.changeover.embedded.mongo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Optional persistence: a snapshot of every collection (documents and index definitions) and of the oplog, written
 * when the server closes and loaded when it starts, so a restarted demo finds its data and can resume its change
 * streams. Files are written to a temporary name and then renamed, so a crash while saving leaves the previous
 * snapshot intact. Changes made after the last clean close are lost if the JVM dies.
 */
final class DataDirectory {

    private static final String DATA_FILE = "data.bson";
    private static final String OPLOG_FILE = "oplog.bson";
    private static final String FORMAT = "changeover-embedded-mongo/1";

    private final Path directory;

    DataDirectory(Path directory) {
        this.directory = directory;
    }

    /** Loads a saved snapshot, if the directory has one, into a backend that has no clients yet. */
    void restoreInto(ReplicaSetBackend backend) {
        Path data = directory.resolve(DATA_FILE);
        Path oplog = directory.resolve(OPLOG_FILE);
        if (!Files.exists(data) || !Files.exists(oplog)) {
            return;
        }
        backend.recorder().withoutRecording(() -> readRecords(data, record -> restoreRecord(backend, record)));
        restoreOplog(backend, oplog);
    }

    /** Writes a snapshot of all data and the oplog; the caller has stopped all clients. */
    void save(ReplicaSetBackend backend) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create MongoDB data directory " + directory, e);
        }
        backend.exclusively(() -> {
            writeAtomically(directory.resolve(DATA_FILE), out -> writeData(backend, out));
            writeAtomically(directory.resolve(OPLOG_FILE), out -> writeOplog(backend.history(), out));
        });
    }

    private void writeData(ReplicaSetBackend backend, OutputStream out) throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel();
        write(out, new Document("format", FORMAT));
        for (String databaseName : List.copyOf(backend.databaseNames())) {
            MongoDatabase database = backend.resolveDatabase(databaseName);
            for (String collectionName : collectionNames(database, channel)) {
                MongoCollection<?> collection = database.resolveCollection(collectionName, false);
                if (collection == null) {
                    continue;
                }
                write(out, new Document("collection", collectionName).append("db", databaseName)
                    .append("indexes", secondaryIndexes(database, collectionName, channel)));
                for (Document document : collection.queryAll()) {
                    write(out, new Document("db", databaseName).append("coll", collectionName).append("doc", document));
                }
            }
            database.handleClose(channel);
        }
    }

    private static void writeOplog(TimeIndexedOplog oplog, OutputStream out) throws IOException {
        write(out, new Document("format", FORMAT).append("latest", oplog.latest())
            .append("trimmedThrough", oplog.trimmedThrough()));
        for (OplogEntry entry : oplog.snapshot()) {
            Document record = new Document("t", entry.clusterTime()).append("w", entry.wallMillis())
                .append("op", entry.operationType()).append("db", entry.database())
                .append("b", new BinData(entry.body()));
            record.putIfNotNull("coll", entry.collection());
            write(out, record);
        }
    }

    private static void restoreRecord(ReplicaSetBackend backend, Document record) {
        if (record.containsKey("format")) {
            requireFormat(record);
        } else if (record.containsKey("collection")) {
            MongoDatabase database = backend.resolveDatabase((String) record.get("db"));
            String name = (String) record.get("collection");
            database.createCollectionOrThrowIfExists(name);
            createIndexes(database, name, (List<?>) record.get("indexes"));
        } else {
            MongoDatabase database = backend.resolveDatabase((String) record.get("db"));
            database.resolveCollection((String) record.get("coll"), true).addDocument((Document) record.get("doc"));
        }
    }

    private void restoreOplog(ReplicaSetBackend backend, Path file) {
        List<OplogEntry> entries = new ArrayList<>();
        long[] header = new long[2];
        readRecords(file, record -> {
            if (record.containsKey("format")) {
                requireFormat(record);
                header[0] = ((Number) record.get("latest")).longValue();
                header[1] = ((Number) record.get("trimmedThrough")).longValue();
            } else {
                entries.add(new OplogEntry(((Number) record.get("t")).longValue(), ((Number) record.get("w")).longValue(),
                    (String) record.get("op"), (String) record.get("db"), (String) record.get("coll"),
                    ((BinData) record.get("b")).getData()));
            }
        });
        backend.history().restore(entries, header[0], header[1]);
        backend.clock().advancePast(backend.history().latest());
    }

    private static List<String> collectionNames(MongoDatabase database, EmbeddedChannel channel) {
        Document reply = database.handleCommand(channel, "listCollections", new Document("listCollections", 1),
            null, NoopOplog.get());
        List<String> names = new ArrayList<>();
        for (Object info : firstBatch(reply)) {
            String name = (String) ((Document) info).get("name");
            if (!RecordingCollection.isSystem(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<Document> secondaryIndexes(MongoDatabase database, String collection, EmbeddedChannel channel) {
        Document reply = database.handleCommand(channel, "listIndexes", new Document("listIndexes", collection),
            null, NoopOplog.get());
        List<Document> indexes = new ArrayList<>();
        for (Object index : firstBatch(reply)) {
            Document definition = new Document((Document) index);
            if (!"_id_".equals(definition.get("name"))) {
                definition.remove("v");
                definition.remove("ns");
                indexes.add(definition);
            }
        }
        return indexes;
    }

    private static void createIndexes(MongoDatabase database, String collection, List<?> indexes) {
        if (indexes == null || indexes.isEmpty()) {
            return;
        }
        EmbeddedChannel channel = new EmbeddedChannel();
        database.handleCommand(channel, "createIndexes",
            new Document("createIndexes", collection).append("indexes", indexes), null, NoopOplog.get());
        database.handleClose(channel);
    }

    private static List<?> firstBatch(Document reply) {
        return (List<?>) ((Document) reply.get("cursor")).get("firstBatch");
    }

    private static void requireFormat(Document header) {
        if (!FORMAT.equals(header.get("format"))) {
            throw new IllegalStateException("MongoDB data directory has format " + header.get("format")
                + ", expected " + FORMAT);
        }
    }

    private static void write(OutputStream out, Document record) throws IOException {
        out.write(BsonBytes.encode(record));
    }

    private void readRecords(Path file, Consumer<Document> consumer) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            while (true) {
                byte[] lengthBytes = new byte[4];
                int first = in.read(lengthBytes, 0, 4);
                if (first < 0) {
                    return;
                }
                in.readFully(lengthBytes, first, 4 - first);
                int length = (lengthBytes[0] & 0xff) | (lengthBytes[1] & 0xff) << 8
                    | (lengthBytes[2] & 0xff) << 16 | (lengthBytes[3] & 0xff) << 24;
                byte[] record = new byte[length];
                System.arraycopy(lengthBytes, 0, record, 0, 4);
                in.readFully(record, 4, length - 4);
                consumer.accept(BsonBytes.decode(record));
            }
        } catch (EOFException e) {
            throw new IllegalStateException("MongoDB data file " + file + " is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MongoDB data file " + file, e);
        }
    }

    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path target, Writer writer) {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16)) {
                writer.writeTo(out);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write MongoDB data file " + target, e);
        }
    }
}
