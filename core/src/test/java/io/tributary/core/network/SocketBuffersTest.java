package io.tributary.core.network;

import io.tributary.core.config.BrokerConfig;
import io.vertx.core.net.NetServerOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SocketBuffersTest {

    @Test
    void byDefaultKafkasSendBufferAndTheOperatingSystemsReceiveBuffer() {
        SocketBuffers buffers = BrokerConfig.parse(Map.of()).socketBuffers();
        NetServerOptions options = buffers.apply(new NetServerOptions());

        assertThat(buffers).isEqualTo(new SocketBuffers(102400, -1));
        assertThat(options.getSendBufferSize()).isEqualTo(102400);
        assertThat(options.getReceiveBufferSize()).isEqualTo(new NetServerOptions().getReceiveBufferSize());
    }

    @Test
    void minusOneLeavesTheOperatingSystemDefault() {
        NetServerOptions defaults = new NetServerOptions();
        SocketBuffers buffers = BrokerConfig.parse(Map.of("socket.send.buffer.bytes", "-1",
                "socket.receive.buffer.bytes", "65536")).socketBuffers();
        NetServerOptions options = buffers.apply(new NetServerOptions());

        assertThat(options.getSendBufferSize()).isEqualTo(defaults.getSendBufferSize());
        assertThat(options.getReceiveBufferSize()).isEqualTo(65536);
    }
}
