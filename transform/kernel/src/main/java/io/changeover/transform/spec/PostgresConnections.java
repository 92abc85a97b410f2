package io.changeover.transform.spec;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens JDBC connections from a spec's {@code postgresql://user:password@host:port/database?param=value} URI: the
 * user and password go to the driver as properties (never in a URL that could be logged), the query parameters
 * ({@code sslmode}, {@code sslrootcert}, ...) as they are.
 */
public final class PostgresConnections {
    private final String url;
    private final Properties properties = new Properties();
    private final String shown;
    private final String hostAndPort;

    /** Connections named {@code changeover} in {@code pg_stat_activity}. */
    public PostgresConnections(String uri) {
        this(uri, "changeover");
    }

    /** @param applicationName what {@code pg_stat_activity} shows for these connections */
    public PostgresConnections(String uri, String applicationName) {
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
        int slash = rest.indexOf('/');
        this.hostAndPort = slash < 0 ? rest : rest.substring(0, slash);
        properties.setProperty("ApplicationName", applicationName);
    }

    /** The user the URI names, or empty. */
    public String user() {
        return properties.getProperty("user", "");
    }

    /** The password the URI holds, or empty. */
    public String password() {
        return properties.getProperty("password", "");
    }

    /** The host the URI names (the first, if it names several). */
    public String host() {
        String first = hostAndPort.split(",")[0];
        int colon = first.lastIndexOf(':');
        return colon < 0 || first.endsWith("]") ? first : first.substring(0, colon);
    }

    /** The port the URI names, 5432 when it names none. */
    public int port() {
        String first = hostAndPort.split(",")[0];
        int colon = first.lastIndexOf(':');
        return colon < 0 || first.endsWith("]") ? 5432 : Integer.parseInt(first.substring(colon + 1));
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
