package io.changeover.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpBindingTest {

    @Test
    void loopbackNeedsNoToken() {
        assertThat(new HttpBinding("127.0.0.1", 0, null).token()).isNull();
        assertThat(new HttpBinding("localhost", 0, " ").token()).isNull();
    }

    @Test
    void anyOtherAddressWithoutATokenFailsAtStartup() {
        assertThatThrownBy(() -> new HttpBinding("0.0.0.0", 8090, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bound to 0.0.0.0, which is not a loopback address: give an access token");
        assertThat(new HttpBinding("0.0.0.0", 8090, "s3cret").token()).isEqualTo("s3cret");
    }

    @Test
    void portOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new HttpBinding("127.0.0.1", 70000, null)).hasMessageContaining("0..65535");
    }
}
