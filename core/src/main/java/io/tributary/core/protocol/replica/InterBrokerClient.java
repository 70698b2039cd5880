package io.tributary.core.protocol.replica;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ConfigException;
import io.tributary.core.config.Listener;
import io.tributary.core.config.ListenerProtocols;
import io.tributary.core.config.SecurityConfigDef;
import io.tributary.core.security.tls.TlsServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.TrustOptions;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a follower connects to its leaders: through which listener (inter.broker.listener.name) and with that
 * listener's security, as a Kafka broker does. TLS uses the broker's ssl.* keys (its trust store to check the leader,
 * its key store as a client certificate); SASL uses PLAIN with the {@code username} and {@code password} of the
 * listener's JAAS config ({@code listener.name.<l>.plain.sasl.jaas.config}, else the listener's or the broker's
 * sasl.jaas.config). The follower's principal needs CLUSTER_ACTION on the cluster when ACLs are on.
 *
 * @param username null when the listener does not use SASL, or its JAAS config names no username
 */
public record InterBrokerClient(String listener, ListenerProtocols.Protocol protocol, NetClientOptions options,
                                String username, String password) {

    private static final Pattern USERNAME = Pattern.compile("(?:^|\\s)username\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern PASSWORD = Pattern.compile("(?:^|\\s)password\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    public static InterBrokerClient from(BrokerConfig config) {
        String listener = (String) config.value(SecurityConfigDef.INTER_BROKER_LISTENER_NAME);
        if (listener == null) {
            listener = config.listeners().stream()
                    .filter(l -> ListenerProtocols.kafka(config, l.name()) == ListenerProtocols.Protocol.PLAINTEXT)
                    .map(Listener::name).findFirst().orElse(config.listeners().get(0).name());
        } else {
            String named = listener;
            if (config.listeners().stream().noneMatch(l -> l.name().equals(named))) {
                throw new ConfigException(SecurityConfigDef.INTER_BROKER_LISTENER_NAME, named,
                        "must name one of the listeners");
            }
        }
        ListenerProtocols.Protocol protocol = ListenerProtocols.kafka(config, listener);
        NetClientOptions options = new NetClientOptions().setConnectTimeout(5_000).setTcpNoDelay(true);
        if (protocol.tls()) {
            options.setSsl(true);
            TrustOptions trust = TlsServerOptions.trustOptions(config, listener);
            if (trust != null) {
                options.setTrustOptions(trust);
            }
            KeyCertOptions key = TlsServerOptions.keyCertOptions(config, listener);
            if (key != null) {
                options.setKeyCertOptions(key);
            }
            String verify = (String) TlsServerOptions.value(config, listener,
                    SecurityConfigDef.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);
            options.setHostnameVerificationAlgorithm(verify == null ? "" : verify.trim().toUpperCase(Locale.ROOT));
        }
        String username = null;
        String password = null;
        if (protocol.sasl()) {
            String jaas = config.originals().get(SecurityConfigDef.LISTENER_PREFIX + listener.toLowerCase(Locale.ROOT)
                    + ".plain." + SecurityConfigDef.SASL_JAAS_CONFIG);
            if (jaas == null) {
                jaas = (String) TlsServerOptions.value(config, listener, SecurityConfigDef.SASL_JAAS_CONFIG);
            }
            // Missing credentials only matter once this broker follows a partition (see ReplicaFetcher).
            username = option(jaas, USERNAME);
            password = option(jaas, PASSWORD);
        }
        return new InterBrokerClient(listener, protocol, options, username, password);
    }

    /** Why followers cannot log in on the SASL inter-broker listener, or null when they can (or need not). */
    public String missingCredentials() {
        if (!protocol.sasl() || (username != null && password != null)) {
            return null;
        }
        return "the JAAS config of inter-broker listener " + listener + " (" + SecurityConfigDef.LISTENER_PREFIX
                + listener.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config or sasl.jaas.config) needs"
                + " username=\"...\" and password=\"...\" for followers to log in";
    }

    private static String option(String jaas, Pattern pattern) {
        if (jaas == null) {
            return null;
        }
        Matcher m = pattern.matcher(jaas);
        return m.find() ? m.group(1).replaceAll("\\\\(.)", "$1") : null;
    }

    @Override
    public String toString() {
        return "InterBrokerClient[" + listener + ", " + protocol + (username == null ? "" : ", user " + username) + "]";
    }
}
