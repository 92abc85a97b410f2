package io.changeover.verify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * An external sort of (key, value) byte entries, so the verifier never holds a collection in memory: entries are
 * buffered up to {@code maxBufferBytes}, sorted by key (unsigned byte order) and written to a chunk file; reading
 * merges the chunks. Memory is bounded by the buffer plus one entry per chunk while reading. Thread-safe for
 * {@link #add}; read only after the last add. {@link #close()} deletes the files.
 */
public final class SortedSpill implements AutoCloseable {
    /** One entry. */
    public record Entry(byte[] key, byte[] value) {
    }

    private static final Comparator<byte[]> KEYS = Arrays::compareUnsigned;
    private final Path directory;
    private final long maxBufferBytes;
    private final List<Path> chunks = new ArrayList<>();
    private List<Entry> buffer = new ArrayList<>();
    private long bufferBytes;
    private long size;

    public SortedSpill(Path directory, long maxBufferBytes) {
        try {
            this.directory = Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the verifier's work directory " + directory, e);
        }
        this.maxBufferBytes = maxBufferBytes;
    }

    public synchronized void add(byte[] key, byte[] value) {
        buffer.add(new Entry(key, value));
        bufferBytes += key.length + value.length + 48;
        size++;
        if (bufferBytes >= maxBufferBytes) {
            spill();
        }
    }

    public synchronized long size() {
        return size;
    }

    /** Chunk files written so far (more than zero once the data outgrew the buffer). */
    public synchronized int chunks() {
        return chunks.size();
    }

    /** Every entry in key order (entries of equal keys in no defined order). Can be called more than once. */
    public synchronized Iterator<Entry> sorted() {
        if (!buffer.isEmpty()) {
            spill();
        }
        List<ChunkReader> readers = new ArrayList<>();
        for (Path chunk : chunks) {
            readers.add(new ChunkReader(chunk));
        }
        return new Merge(readers);
    }

    private void spill() {
        buffer.sort((a, b) -> KEYS.compare(a.key(), b.key()));
        try {
            Path chunk = Files.createTempFile(directory, "spill-", ".bin");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(chunk),
                    1 << 16))) {
                for (Entry e : buffer) {
                    out.writeInt(e.key().length);
                    out.write(e.key());
                    out.writeInt(e.value().length);
                    out.write(e.value());
                }
            }
            chunks.add(chunk);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a verifier spill file in " + directory, e);
        }
        buffer = new ArrayList<>();
        bufferBytes = 0;
    }

    @Override
    public synchronized void close() {
        for (Path chunk : chunks) {
            try {
                Files.deleteIfExists(chunk);
            } catch (IOException e) {
                // best effort: the work directory is the operator's to clean
            }
        }
        chunks.clear();
        buffer = new ArrayList<>();
    }

    /** Reads one chunk file entry by entry. */
    private static final class ChunkReader {
        private final DataInputStream in;
        private Entry head;

        ChunkReader(Path chunk) {
            try {
                in = new DataInputStream(new BufferedInputStream(Files.newInputStream(chunk), 1 << 16));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read verifier spill file " + chunk, e);
            }
            advance();
        }

        void advance() {
            try {
                int keyLength = in.readInt();
                byte[] key = in.readNBytes(keyLength);
                byte[] value = in.readNBytes(in.readInt());
                head = new Entry(key, value);
            } catch (EOFException end) {
                head = null;
                close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read a verifier spill file", e);
            }
        }

        void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // read to the end already
            }
        }
    }

    /** k-way merge of the chunk readers. */
    private static final class Merge implements Iterator<Entry> {
        private final PriorityQueue<ChunkReader> queue = new PriorityQueue<>((a, b) -> KEYS.compare(a.head.key(),
                b.head.key()));

        Merge(List<ChunkReader> readers) {
            readers.stream().filter(r -> r.head != null).forEach(queue::add);
        }

        @Override
        public boolean hasNext() {
            return !queue.isEmpty();
        }

        @Override
        public Entry next() {
            ChunkReader reader = queue.poll();
            if (reader == null) {
                throw new NoSuchElementException();
            }
            Entry entry = reader.head;
            reader.advance();
            if (reader.head != null) {
                queue.add(reader);
            }
            return entry;
        }
    }
}
