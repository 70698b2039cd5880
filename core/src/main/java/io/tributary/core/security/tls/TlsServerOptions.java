package io.tributary.core.security.tls;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ConfigException;
import io.tributary.core.config.SecurityConfigDef;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Turns Kafka's ssl.* keys (optionally overridden per listener as listener.name.NAME.ssl.*) into Vert.x TLS server
 * options. Works for every Vert.x server: Kafka and MQTT (NetServerOptions), HTTP (HttpServerOptions).
 */
public final class TlsServerOptions {

    private TlsServerOptions() {
    }

    /** The value of {@code key} for one listener: its listener.name override, else the plain key. */
    public static Object value(BrokerConfig config, String listenerName, String key) {
        String override = SecurityConfigDef.LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT) + "." + key;
        return config.originals().containsKey(override) ? config.value(override) : config.value(key);
    }

    /** The listener's key store (ssl.keystore.*), or null when none is set. */
    public static KeyCertOptions keyCertOptions(BrokerConfig config, String listenerName) {
        String keystore = (String) value(config, listenerName, SecurityConfigDef.SSL_KEYSTORE_LOCATION);
        if (keystore == null) {
            return null;
        }
        String keystoreType = (String) value(config, listenerName, SecurityConfigDef.SSL_KEYSTORE_TYPE);
        String keystorePassword = (String) value(config, listenerName, SecurityConfigDef.SSL_KEYSTORE_PASSWORD);
        String keyPassword = (String) value(config, listenerName, SecurityConfigDef.SSL_KEY_PASSWORD);
        if (keystoreType.equals("PEM")) {
            // One file with the PRIVATE KEY and the CERTIFICATE blocks, as Kafka's PEM key store.
            return new PemKeyCertOptions().setKeyPath(keystore).setCertPath(keystore);
        }
        return new KeyStoreOptions().setType(keystoreType).setPath(keystore).setPassword(keystorePassword)
                .setAliasPassword(keyPassword != null ? keyPassword : keystorePassword);
    }

    /** The listener's trust store (ssl.truststore.*), or null when none is set. */
    public static TrustOptions trustOptions(BrokerConfig config, String listenerName) {
        String truststore = (String) value(config, listenerName, SecurityConfigDef.SSL_TRUSTSTORE_LOCATION);
        if (truststore == null) {
            return null;
        }
        String type = (String) value(config, listenerName, SecurityConfigDef.SSL_TRUSTSTORE_TYPE);
        if (type.equals("PEM")) {
            return new PemTrustOptions().addCertPath(truststore);
        }
        return new KeyStoreOptions().setType(type).setPath(truststore)
                .setPassword((String) value(config, listenerName, SecurityConfigDef.SSL_TRUSTSTORE_PASSWORD));
    }

    /** Enables TLS on {@code options} with the listener's key store, trust store and client-auth setting. */
    public static <T extends NetServerOptions> T apply(T options, BrokerConfig config, String listenerName) {
        String keystore = (String) value(config, listenerName, SecurityConfigDef.SSL_KEYSTORE_LOCATION);
        if (keystore == null) {
            throw new ConfigException(SecurityConfigDef.SSL_KEYSTORE_LOCATION, null,
                    "must be set: listener " + listenerName + " uses TLS");
        }
        options.setSsl(true);
        options.setKeyCertOptions(keyCertOptions(config, listenerName));
        TrustOptions trust = trustOptions(config, listenerName);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        String clientAuth = (String) value(config, listenerName, SecurityConfigDef.SSL_CLIENT_AUTH);
        options.setClientAuth(switch (clientAuth) {
            case "required" -> ClientAuth.REQUIRED;
            case "requested" -> ClientAuth.REQUEST;
            default -> ClientAuth.NONE;
        });
        @SuppressWarnings("unchecked")
        List<String> protocols = (List<String>) value(config, listenerName, SecurityConfigDef.SSL_ENABLED_PROTOCOLS);
        options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(protocols));
        return options;
    }
}
