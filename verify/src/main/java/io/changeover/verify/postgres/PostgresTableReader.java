package io.changeover.verify.postgres;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Reads a PostgreSQL source table as the documents capture makes of its rows, by the mapping of
 * {@code docs/postgres-source.md}, through the JDBC driver's own types: the verifier's reading, kept apart from
 * capture's (which reads Debezium's). {@code _id} is the primary key column's value (a document of the key columns
 * when there are several; they are not repeated as fields); every other column a field in table order.
 */
public final class PostgresTableReader {
    private final Connection connection;

    /** @param connection a connection whose transaction all reads share (REPEATABLE READ for one consistent copy) */
    public PostgresTableReader(Connection connection) {
        this.connection = connection;
    }

    /** Every row of {@code table} ({@code name} in {@code public}, or {@code schema.name}), in key order. */
    public void read(String table, Consumer<BsonDocument> documents) throws SQLException {
        String qualified = qualified(table);
        List<String> key = primaryKey(qualified);
        if (key.isEmpty()) {
            throw new SQLException("source table '" + table + "' has no primary key");
        }
        String order = String.join(", ", key.stream().map(PostgresTableReader::identifier).toList());
        Set<String> unscaled = unscaledNumerics(qualified);
        try (Statement s = connection.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + qualified + " ORDER BY " + order)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    documents.accept(document(rs, meta, key, unscaled));
                }
            }
        }
    }

    private static BsonDocument document(ResultSet rs, ResultSetMetaData meta, List<String> key, Set<String> unscaled)
            throws SQLException {
        BsonDocument id = new BsonDocument();
        BsonDocument fields = new BsonDocument();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String name = meta.getColumnName(i);
            BsonValue value = unscaled.contains(name) && rs.getObject(i) != null ? unscaled(rs.getBigDecimal(i))
                    : value(rs, i, meta.getColumnTypeName(i), meta.getColumnType(i));
            (key.contains(name) ? id : fields).put(name, value);
        }
        BsonDocument document = new BsonDocument("_id", key.size() == 1 ? id.get(key.get(0)) : id);
        document.putAll(fields);
        return document;
    }

    static BsonValue value(ResultSet rs, int column, String typeName, int sqlType) throws SQLException {
        if (rs.getObject(column) == null) {
            return BsonNull.VALUE;
        }
        return switch (typeName) {
            case "int2", "int4", "serial", "smallserial" -> new BsonInt32(rs.getInt(column));
            case "int8", "bigserial", "oid" -> new BsonInt64(rs.getLong(column));
            case "float4" -> new BsonDouble(Double.parseDouble(Float.toString(rs.getFloat(column))));
            case "float8" -> new BsonDouble(rs.getDouble(column));
            case "numeric" -> decimal(rs.getBigDecimal(column));
            case "bool" -> BsonBoolean.valueOf(rs.getBoolean(column));
            case "timestamptz" -> new BsonDateTime(rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli());
            case "timestamp" -> new BsonDateTime(rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC)
                    .toEpochMilli());
            case "date" -> new BsonDateTime(rs.getObject(column, LocalDate.class).toEpochDay() * 86_400_000L);
            case "time" -> new BsonInt64(rs.getObject(column, LocalTime.class).toNanoOfDay() / 1000L);
            case "uuid" -> new BsonBinary(rs.getObject(column, UUID.class));
            case "json", "jsonb" -> json(rs.getString(column));
            case "bytea" -> new BsonBinary(rs.getBytes(column));
            default -> sqlType == Types.ARRAY ? array(rs.getArray(column)) : new BsonString(rs.getString(column));
        };
    }

    private static BsonArray array(Array array) throws SQLException {
        BsonArray values = new BsonArray();
        try (ResultSet elements = array.getResultSet()) {   // rows of (index, value)
            ResultSetMetaData meta = elements.getMetaData();
            while (elements.next()) {
                values.add(value(elements, 2, meta.getColumnTypeName(2), meta.getColumnType(2)));
            }
        }
        return values;
    }

    private static BsonValue decimal(BigDecimal value) {
        try {
            return new BsonDecimal128(new Decimal128(value));
        } catch (NumberFormatException e) {
            return new BsonString(value.toPlainString());
        }
    }

    /** A numeric declared without precision and scale: its trailing fractional zeros removed (1.50 reads as 1.5). */
    private static BsonValue unscaled(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return decimal(stripped.scale() < 0 ? stripped.setScale(0) : stripped);
    }

    private Set<String> unscaledNumerics(String qualified) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid ="
                + " to_regclass(?) AND atttypid = 'numeric'::regtype AND atttypmod = -1 AND attnum > 0")) {
            s.setString(1, qualified);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private static BsonValue json(String text) {
        return BsonDocument.parse("{\"v\": " + text + "}").get("v");
    }

    private List<String> primaryKey(String qualified) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = to_regclass(?)"
                + " AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            s.setString(1, qualified);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /** {@code "schema"."table"} of a source collection name. */
    public static String qualified(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? identifier("public") + "." + identifier(table)
                : identifier(table.substring(0, dot)) + "." + identifier(table.substring(dot + 1));
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
