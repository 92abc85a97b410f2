package io.changeover.control.lag;

import java.sql.Connection;
import java.sql.SQLException;

import io.changeover.transform.spec.PostgresConnections;

/**
 * One connection to a PostgreSQL server kept open between the control plane's small reads (the clock, counts, the
 * slot), opened on first use, in auto-commit, and opened again after a failure: a status loop reads every second.
 */
public final class PostgresSession implements AutoCloseable {
    /** Work on the connection. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final PostgresConnections connections;
    private Connection connection;

    public PostgresSession(PostgresConnections connections) {
        this.connections = connections;
    }

    /** Runs {@code work}; a failure closes the connection (the next call opens another) and is rethrown. */
    public synchronized <T> T run(Work<T> work) throws SQLException {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connections.open();
                connection.setAutoCommit(true);
            }
            return work.run(connection);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The server, as the URI shows it without its password. */
    @Override
    public String toString() {
        return connections.toString();
    }

    @Override
    public synchronized void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // closing a broken connection
        } finally {
            connection = null;
        }
    }
}
