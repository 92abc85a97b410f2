package io.changeover.embedded.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class LocalPostgresIT {

    @Test
    void aServerOfItsOwnTakesLogicalReplicationAndIsGoneAfterClose() throws Exception {
        int port;
        try (LocalPostgres server = LocalPostgres.start()) {
            port = server.port();
            server.createDatabase("registry");
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl("registry"));
                 Statement statement = connection.createStatement()) {
                try (ResultSet wal = statement.executeQuery("SHOW wal_level")) {
                    wal.next();
                    assertThat(wal.getString(1)).as("Debezium's pgoutput needs logical decoding").isEqualTo("logical");
                }
                try (ResultSet version = statement.executeQuery("SHOW server_version_num")) {
                    version.next();
                    assertThat(version.getInt(1)).isGreaterThanOrEqualTo(150000);
                }
                statement.execute("CREATE TABLE datasets (id serial PRIMARY KEY, name text NOT NULL)");
                statement.execute("INSERT INTO datasets (name) VALUES ('a'), ('b')");
                try (ResultSet slot = statement.executeQuery(
                        "SELECT slot_name FROM pg_create_logical_replication_slot('it_slot', 'pgoutput')")) {
                    assertThat(slot.next()).isTrue();
                }
                statement.execute("SELECT pg_drop_replication_slot('it_slot')");
            }
        }
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).as("the server stopped with close()").isInstanceOf(java.io.IOException.class);
    }
}
