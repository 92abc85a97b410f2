package io.changeover.sink;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;

/**
 * Indexes declared in the spec's {@code sink:} section ({@code indexes}), created on the target by the sink before
 * or after the initial load ({@code indexes.create}). Format: declarations separated by {@code ;}, each
 * {@code <collection>: <field>[:-1], <field>[:-1] ... [unique]}, e.g.
 * {@code "jobs: status, submitted_at:-1; users: email unique"}. Creating an index that exists is a no-op.
 */
public final class IndexDeclarations {
    /** One declared index. */
    public record Index(String collection, BsonDocument keys, boolean unique) {
    }

    private final List<Index> indexes;

    private IndexDeclarations(List<Index> indexes) {
        this.indexes = List.copyOf(indexes);
    }

    /** Parses the declarations; throws {@link IllegalArgumentException} naming the one that is wrong. */
    public static IndexDeclarations parse(String text) {
        List<Index> indexes = new ArrayList<>();
        for (String declaration : text.split(";")) {
            if (!declaration.isBlank()) {
                indexes.add(parseOne(declaration.trim()));
            }
        }
        return new IndexDeclarations(indexes);
    }

    private static Index parseOne(String declaration) {
        int colon = declaration.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("index '" + declaration + "': expected <collection>: <field>[:-1], ..."
                    + " [unique]");
        }
        String collection = declaration.substring(0, colon).trim();
        String rest = declaration.substring(colon + 1).trim();
        boolean unique = rest.endsWith(" unique") || rest.equals("unique");
        if (unique) {
            rest = rest.substring(0, rest.length() - "unique".length()).trim();
        }
        BsonDocument keys = new BsonDocument();
        for (String key : rest.split(",")) {
            String[] parts = key.trim().split(":");
            if (parts[0].isBlank() || parts.length > 2 || parts.length == 2 && !parts[1].trim().matches("-?1")) {
                throw new IllegalArgumentException("index '" + declaration + "': key '" + key.trim()
                        + "' is not <field> or <field>:1 or <field>:-1");
            }
            keys.put(parts[0].trim(), new BsonInt32(parts.length == 2 ? Integer.parseInt(parts[1].trim()) : 1));
        }
        return new Index(collection, keys, unique);
    }

    public List<Index> indexes() {
        return indexes;
    }

    public boolean isEmpty() {
        return indexes.isEmpty();
    }

    /** Creates every declared index on {@code target} (those that exist are left as they are). */
    public void create(MongoDatabase target) {
        for (Index index : indexes) {
            target.getCollection(index.collection()).createIndex(index.keys(), new IndexOptions().unique(index.unique()));
        }
    }
}
