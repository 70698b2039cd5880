package io.tributary.connect.rest;

import io.tributary.connect.testing.ConnectHarness;
import io.tributary.core.testing.TestCerts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Connect REST API on a SASL_SSL listener: HTTPS with the broker's key store, basic auth with broker users. */
class ConnectRestSecurityIT {

    @TempDir
    static Path work;
    private static ConnectHarness harness;
    private static TestCerts certs;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.generate(work.resolve("certs"));
        Map<String, String> props = new HashMap<>();
        props.put("connect.listeners", "CONNECT_TLS://127.0.0.1:0");
        props.put("listener.security.protocol.map", "CONNECT_TLS:SASL_SSL");
        props.put("ssl.keystore.location", certs.serverKeystore().toString());
        props.put("ssl.keystore.password", TestCerts.PASSWORD);
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " user_ops=\"ops-secret\";");
        harness = ConnectHarness.start(work.resolve("data"), props);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void restApiNeedsTlsAndBasicCredentials() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.truststore())) {
            trust.load(in, TestCerts.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
        int port = harness.runtime().boundListeners().get(0).port();
        URI uri = URI.create("https://127.0.0.1:" + port + "/connectors");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(uri).header("Authorization", basic("ops", "x"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("Authorization",
                basic("ops", "ops-secret")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("[]");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
