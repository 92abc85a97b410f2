package io.changeover.capture;

import java.util.Locale;

/**
 * The names of what capture creates on a PostgreSQL source for one migration: its logical replication slot and
 * publication ({@code changeover_<migration>}, lower case, other characters than letters, digits and underscores
 * replaced by underscores, at most 63 bytes) and the heartbeat table shared by all migrations of the database.
 */
public record PostgresReplication(String slot, String publication) {
    /** Schema and table of the heartbeat table: one row per migration, updated every heartbeat interval. */
    public static final String HEARTBEAT_SCHEMA = "public";
    public static final String HEARTBEAT_TABLE = "changeover_heartbeat";

    public static PostgresReplication of(String migration) {
        String name = ("changeover_" + migration).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        name = name.length() > 63 ? name.substring(0, 63) : name;
        return new PostgresReplication(name, name);
    }

    /** The heartbeat statement Debezium runs ({@code heartbeat.action.query}). */
    public static String heartbeatStatement(String migration) {
        return "INSERT INTO " + HEARTBEAT_SCHEMA + "." + HEARTBEAT_TABLE + " (migration, beat) VALUES ('"
                + migration + "', now()) ON CONFLICT (migration) DO UPDATE SET beat = EXCLUDED.beat";
    }
}
