package io.changeover.transform.spec;

import java.util.regex.Pattern;

/**
 * Connection strings as they may be shown: in messages, logs, status output. A password in a connection string's
 * user info ({@code mongodb://user:secret@host}) becomes {@code ***}; so does one in a query parameter whose name says
 * it is one ({@code password=}, {@code secret=}, {@code token=}, AWS session tokens). Client settings whose names say
 * they hold a secret are shown as {@code ***} ({@link #secretSetting}).
 */
public final class ConnectionStrings {
    private static final Pattern USER_INFO = Pattern.compile("(//[^:/@?#]*):[^@/?#]*@");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|secret|token|authMechanismProperties)=)[^&;#]*");

    private ConnectionStrings() {
    }

    private static final Pattern SECRET_SETTING = Pattern.compile("(?i).*(password|jaas|secret|token|\\.key$|credentials).*");

    /** Whether a client setting's value is a secret by its name ({@code sasl.jaas.config}, {@code ssl.key.password}, ...). */
    public static boolean secretSetting(String name) {
        return SECRET_SETTING.matcher(name).matches();
    }

    /** The database a {@code postgresql://user@host:port/database?...} URI names; empty when it names none. */
    public static String postgresDatabase(String uri) {
        String rest = uri.substring(uri.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return "";
        }
        String path = rest.substring(slash + 1);
        int query = path.indexOf('?');
        return java.net.URLDecoder.decode(query < 0 ? path : path.substring(0, query), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String redact(String connectionString) {
        if (connectionString == null) {
            return null;
        }
        String redacted = USER_INFO.matcher(connectionString).replaceAll("$1:***@");
        return SECRET_PARAMETER.matcher(redacted).replaceAll("$1***");
    }
}
