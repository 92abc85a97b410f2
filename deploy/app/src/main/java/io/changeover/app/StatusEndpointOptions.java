package io.changeover.app;

import io.changeover.control.http.HttpBinding;
import picocli.CommandLine.Option;

/** Where {@code run} (and the demo) serve status over HTTP. */
final class StatusEndpointOptions {
    @Option(names = "--status-port", defaultValue = "8090",
            description = "Port of the status endpoint: /status (JSON), /metrics (Prometheus), / (operator page); -1 to serve none (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--status-host", defaultValue = HttpBinding.LOOPBACK,
            description = "Address the status endpoint binds (default ${DEFAULT-VALUE}); any other than loopback needs a token.")
    String host;

    @Option(names = "--status-token", defaultValue = "${env:CHANGEOVER_STATUS_TOKEN}",
            description = "Access token the status endpoint requires (Authorization: Bearer, or ?token=); default from CHANGEOVER_STATUS_TOKEN.")
    String token;

    /** The binding, or null when disabled; fails fast on a non-loopback address without a token. */
    HttpBinding binding() {
        return port < 0 ? null : new HttpBinding(host, port, token);
    }
}
