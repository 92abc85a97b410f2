package io.changeover.sink.relational;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import io.changeover.transform.spec.ConnectionStrings;

/**
 * Opens JDBC connections from a spec's {@code postgresql://user:password@host:port/database?param=value} URI: the
 * user and password go to the driver as properties (never in a URL that could be logged), the query parameters
 * ({@code sslmode}, {@code sslrootcert}, ...) as they are.
 */
public final class PostgresConnections {
    private final String url;
    private final Properties properties = new Properties();
    private final String shown;

    public PostgresConnections(String uri) {
        this.shown = ConnectionStrings.redact(uri);
        String rest = uri.substring(uri.indexOf("//") + 2);
        int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            properties.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                properties.setProperty("password", decode(userInfo.substring(colon + 1)));
            }
            rest = rest.substring(at + 1);
        }
        this.url = "jdbc:postgresql://" + rest;
        properties.setProperty("ApplicationName", "changeover-sink");
    }

    /** A new connection, transactions explicit (auto-commit off). */
    public Connection open() throws SQLException {
        Connection connection = DriverManager.getConnection(url, properties);
        connection.setAutoCommit(false);
        return connection;
    }

    /** The URI without its password, for messages. */
    @Override
    public String toString() {
        return shown;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
