package io.changeover.control.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where the status endpoint listens, and its access rule: on a loopback address no token is needed; bound anywhere
 * else an access token is required, and a binding without one is refused at startup.
 *
 * @param host  address to bind (default 127.0.0.1)
 * @param port  port (0 picks a free one)
 * @param token access token, or null
 */
public record HttpBinding(String host, int port, String token) {
    public static final String LOOPBACK = "127.0.0.1";

    public HttpBinding {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("status port must be 0..65535, not " + port);
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("the status endpoint is bound to " + host
                    + ", which is not a loopback address: give an access token (--status-token or CHANGEOVER_STATUS_TOKEN)");
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the status endpoint's host '" + host + "'", e);
        }
    }
}
