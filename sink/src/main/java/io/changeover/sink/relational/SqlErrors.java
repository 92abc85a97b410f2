package io.changeover.sink.relational;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.SQLRecoverableException;
import java.util.Set;

/**
 * The relational sink's declared error sets, by SQLSTATE. <b>Retriable</b>: the connection failed or the server is
 * shutting down or out of resources, a serialization failure or deadlock; the batch is written again. <b>Data
 * errors</b>: class 22 (data exception) and 23 (integrity constraint violation): a row the target refuses for what it
 * holds; the documents of the batch are then written one by one to find it, and it goes to the dead-letter topic.
 */
final class SqlErrors {
    private static final Set<String> RETRIABLE_STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "55P03");

    private SqlErrors() {
    }

    static boolean retriable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || state != null && (state.startsWith("08") || state.startsWith("53") || RETRIABLE_STATES.contains(state))
                || state == null && e.getCause() instanceof java.io.IOException;
    }

    static boolean dataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The server's message with its SQLSTATE, for dead letters and failures. */
    static String describe(SQLException e) {
        return e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")";
    }
}
