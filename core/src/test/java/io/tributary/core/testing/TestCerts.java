package io.tributary.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the JDK's keytool: a CA, a server certificate for localhost/127.0.0.1 and a
 * client certificate, all signed by the CA, in PKCS12 stores with one password; optionally the same as PEM files.
 */
public final class TestCerts {

    public static final String PASSWORD = "test-secret";
    public static final String CLIENT_DN = "CN=device-1,OU=iot,O=Tributary";

    private final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    private static TestCerts shared;

    /**
     * One set for the whole test JVM, generated on first use: keytool starts a JVM per step, which is most of a
     * TLS test class's set-up time.
     */
    public static synchronized TestCerts shared() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("tributary-certs");
            dir.toFile().deleteOnExit();
            shared = generate(dir);
        }
        return shared;
    }

    /** Generates everything into {@code dir}. */
    public static TestCerts generate(Path dir) throws Exception {
        TestCerts c = new TestCerts(dir);
        Files.createDirectories(dir);
        c.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Test CA",
                "-ext", "bc:c", "-validity", "30", "-keystore", "ca.p12");
        c.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        c.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12");
        c.signed("server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        c.signed("client", CLIENT_DN, null);
        return c;
    }

    private void signed(String name, String dn, String san) throws Exception {
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", dn, "-validity", "30",
                "-keystore", store);
        keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", name + ".csr", "-outfile", name + ".crt", "-rfc", "-validity", "30"));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
        keytool("-importcert", "-noprompt", "-alias", name, "-file", name + ".crt", "-keystore", store);
    }

    private void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass", PASSWORD));
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    /**
     * PEM files of {@code name} (server or client): one with the private key and certificate chain, made with
     * openssl; null when openssl is not installed.
     */
    public Path pemKeyAndChain(String name) throws Exception {
        Path key = dir.resolve(name + "-key.pem");
        try {
            Process p = new ProcessBuilder("openssl", "pkcs12", "-in", name + ".p12", "-nocerts", "-nodes", "-passin",
                    "pass:" + PASSWORD, "-out", key.getFileName().toString())
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        // Key, then the chain leaf first: what Kafka's PEM key store holds.
        Path out = dir.resolve(name + "-key-chain.pem");
        Files.writeString(out, Files.readString(key) + Files.readString(dir.resolve(name + ".crt"))
                + Files.readString(caPem()));
        return out;
    }

    public Path serverKeystore() {
        return dir.resolve("server.p12");
    }

    public Path clientKeystore() {
        return dir.resolve("client.p12");
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    public Path dir() {
        return dir;
    }
}
