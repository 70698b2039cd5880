package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Importance.LOW;
import static io.tributary.core.config.ConfigDef.Importance.MEDIUM;
import static io.tributary.core.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.core.config.ConfigDef.Type.INT;
import static io.tributary.core.config.ConfigDef.Type.LIST;
import static io.tributary.core.config.ConfigDef.Type.LONG;
import static io.tributary.core.config.ConfigDef.Type.STRING;
import static io.tributary.core.config.Validator.atLeast;
import static io.tributary.core.config.Validator.listOf;
import static io.tributary.core.config.Validator.nonEmpty;
import static io.tributary.core.config.Validator.oneOf;

import java.util.List;

/**
 * Settings of listener security (TLS, SASL), authorisation (ACLs) and connection hardening. Kafka's names and
 * meanings throughout. Every key may also be given for one listener only as
 * {@code listener.name.<listener name in lower case>.<key>}, which wins over the plain key on that listener.
 */
public final class SecurityConfigDef {

    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String SSL_KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String SSL_KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String SSL_KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String SSL_KEY_PASSWORD = "ssl.key.password";
    public static final String SSL_TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String SSL_TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String SSL_CLIENT_AUTH = "ssl.client.auth";
    public static final String SSL_ENABLED_PROTOCOLS = "ssl.enabled.protocols";
    public static final String SSL_PRINCIPAL_MAPPING_RULES = "ssl.principal.mapping.rules";
    public static final String SASL_ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
    public static final String CONNECTION_FAILED_AUTHENTICATION_DELAY_MS = "connection.failed.authentication.delay.ms";
    public static final String SASL_MAX_FAILED_AUTHENTICATIONS_PER_IP = "sasl.max.failed.authentications.per.ip";
    public static final String AUTHORIZER_CLASS_NAME = "authorizer.class.name";
    public static final String SUPER_USERS = "super.users";
    public static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND = "allow.everyone.if.no.acl.found";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String CONNECTIONS_MAX_INFLIGHT_REQUESTS = "connections.max.inflight.requests";
    public static final String SASL_OAUTHBEARER_JWKS_ENDPOINT_URL = "sasl.oauthbearer.jwks.endpoint.url";
    public static final String SASL_OAUTHBEARER_EXPECTED_ISSUER = "sasl.oauthbearer.expected.issuer";
    public static final String SASL_OAUTHBEARER_EXPECTED_AUDIENCE = "sasl.oauthbearer.expected.audience";
    public static final String SASL_OAUTHBEARER_SUB_CLAIM_NAME = "sasl.oauthbearer.sub.claim.name";
    public static final String SASL_OAUTHBEARER_CLOCK_SKEW_SECONDS = "sasl.oauthbearer.clock.skew.seconds";
    public static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
    public static final String SASL_MECHANISM_INTER_BROKER_PROTOCOL = "sasl.mechanism.inter.broker.protocol";
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM = "ssl.endpoint.identification.algorithm";
    public static final String QUOTA_WINDOW_NUM = "quota.window.num";
    public static final String QUOTA_WINDOW_SIZE_SECONDS = "quota.window.size.seconds";

    /** The prefix of per-listener overrides: {@code listener.name.<name>.}. */
    public static final String LISTENER_PREFIX = "listener.name.";

    private SecurityConfigDef() {
    }

    static ConfigDef addTo(ConfigDef def) {
        return def
                .define(LISTENER_SECURITY_PROTOCOL_MAP, LIST, List.of(), null, HIGH,
                        "Comma-separated NAME:PROTOCOL pairs giving each listener (Kafka, MQTT, HTTP, Connect) its"
                                + " security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. A listener named"
                                + " after a protocol needs no entry; other Kafka listeners must have one; gateway"
                                + " listeners without one are PLAINTEXT.")
                .define(SSL_KEYSTORE_LOCATION, STRING, null, nonEmpty(), HIGH,
                        "Key store holding this server's private key and certificate chain (needed by SSL and"
                                + " SASL_SSL listeners). For type PEM, one file with the PRIVATE KEY and CERTIFICATE"
                                + " blocks.")
                .define(SSL_KEYSTORE_TYPE, STRING, "PKCS12", oneOf("PKCS12", "JKS", "PEM"), MEDIUM,
                        "Format of the key store: PKCS12, JKS or PEM.")
                .define(SSL_KEYSTORE_PASSWORD, STRING, null, null, HIGH,
                        "Password of the key store (PKCS12, JKS).")
                .define(SSL_KEY_PASSWORD, STRING, null, null, HIGH,
                        "Password of the private key in the key store; default: the key store password.")
                .define(SSL_TRUSTSTORE_LOCATION, STRING, null, nonEmpty(), HIGH,
                        "Trust store of the CAs whose client certificates are accepted (mutual TLS). For type PEM,"
                                + " a file of CERTIFICATE blocks.")
                .define(SSL_TRUSTSTORE_TYPE, STRING, "PKCS12", oneOf("PKCS12", "JKS", "PEM"), MEDIUM,
                        "Format of the trust store: PKCS12, JKS or PEM.")
                .define(SSL_TRUSTSTORE_PASSWORD, STRING, null, null, MEDIUM,
                        "Password of the trust store (PKCS12, JKS).")
                .define(SSL_CLIENT_AUTH, STRING, "none", oneOf("none", "requested", "required"), HIGH,
                        "Whether TLS clients must (required) or may (requested) present a certificate; its subject"
                                + " becomes the client's principal on SSL listeners.")
                .define(SSL_ENABLED_PROTOCOLS, LIST, List.of("TLSv1.2", "TLSv1.3"), listOf("TLSv1.2", "TLSv1.3"),
                        MEDIUM, "TLS versions accepted.")
                .define(SSL_PRINCIPAL_MAPPING_RULES, STRING, "DEFAULT", nonEmpty(), MEDIUM,
                        "Rules turning a client certificate's subject DN into a user name, as in Kafka"
                                + " (RULE:pattern/replacement/[LU], comma-separated); DEFAULT keeps the DN as is.")
                .define(SASL_ENABLED_MECHANISMS, LIST, List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
                        listOf("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"), HIGH,
                        "SASL mechanisms offered on SASL_PLAINTEXT and SASL_SSL listeners. OAUTHBEARER needs"
                                + " sasl.oauthbearer.jwks.endpoint.url.")
                .define(SASL_OAUTHBEARER_JWKS_ENDPOINT_URL, STRING, null, nonEmpty(), HIGH,
                        "The public keys that OAUTHBEARER tokens (JWTs) must be signed with: a file path or file: URL"
                                + " of a JWKS document or of PEM PUBLIC KEY blocks (RSA or EC), read at start-up.")
                .define(SASL_OAUTHBEARER_EXPECTED_ISSUER, STRING, null, null, MEDIUM,
                        "When set, an OAUTHBEARER token's iss claim must be exactly this.")
                .define(SASL_OAUTHBEARER_EXPECTED_AUDIENCE, LIST, List.of(), null, MEDIUM,
                        "When set, an OAUTHBEARER token's aud claim must name one of these.")
                .define(SASL_OAUTHBEARER_SUB_CLAIM_NAME, STRING, "sub", nonEmpty(), LOW,
                        "The claim of an OAUTHBEARER token that names its principal (User:<value>).")
                .define(SASL_OAUTHBEARER_CLOCK_SKEW_SECONDS, INT, 30, atLeast(0), LOW,
                        "Seconds of clock difference allowed when checking an OAUTHBEARER token's exp and nbf.")
                .define(SASL_JAAS_CONFIG, STRING, null, nonEmpty(), HIGH,
                        "Static PLAIN users, in Kafka's JAAS form: org.apache.kafka.common.security.plain.PlainLoginModule"
                                + " required user_alice=\"alice-secret\" user_bob=\"bob-secret\"; PLAIN also accepts every"
                                + " user with a SCRAM credential.")
                .define(CONNECTION_FAILED_AUTHENTICATION_DELAY_MS, INT, 100, atLeast(0), LOW,
                        "How long the answer to a failed authentication is held back before the connection is closed,"
                                + " slowing down password guessing.")
                .define(SASL_MAX_FAILED_AUTHENTICATIONS_PER_IP, INT, 20, atLeast(1), LOW,
                        "Failed authentications one client address may have within a minute (Kafka, MQTT and HTTP"
                                + " together); beyond it, its new connections are closed until the minute is over.")
                .define(AUTHORIZER_CLASS_NAME, STRING, "", null, HIGH,
                        "Any non-empty value (e.g. org.apache.kafka.metadata.authorizer.StandardAuthorizer) turns on"
                                + " the built-in ACL authorizer for every listener; empty: every request is allowed.")
                .define(SUPER_USERS, STRING, "", null, HIGH,
                        "Semicolon-separated principals (User:admin;User:CN=ops) allowed everything whatever the ACLs.")
                .define(ALLOW_EVERYONE_IF_NO_ACL_FOUND, BOOLEAN, false, null, HIGH,
                        "With the authorizer on, allow an operation on a resource no ACL matches at all.")
                .define(MAX_CONNECTIONS_PER_IP, INT, Integer.MAX_VALUE, atLeast(0), MEDIUM,
                        "Connections one client address may hold open at once on each Kafka listener; more are closed"
                                + " at once.")
                .define(CONNECTIONS_MAX_IDLE_MS, LONG, 600000L, atLeast(-1), MEDIUM,
                        "A Kafka connection that has sent no request for this long, or has sent part of a request"
                                + " and nothing more for this long, is closed; -1 never closes idle connections.")
                .define(CONNECTIONS_MAX_INFLIGHT_REQUESTS, INT, 100, atLeast(1), LOW,
                        "Requests one Kafka connection may have in flight; reading pauses until an answer is sent.")
                .define(INTER_BROKER_LISTENER_NAME, STRING, null, nonEmpty(), HIGH,
                        "The Kafka listener followers fetch from their leaders through, with its security"
                                + " protocol: TLS from the ssl.* keys, SASL with the username and password of its"
                                + " JAAS config. Default: the first PLAINTEXT listener, else the first listener.")
                .define(SASL_MECHANISM_INTER_BROKER_PROTOCOL, STRING, "PLAIN", oneOf("PLAIN"), MEDIUM,
                        "SASL mechanism followers authenticate with on a SASL inter-broker listener.")
                .define(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, STRING, "https", null, MEDIUM,
                        "https: a follower connecting with TLS checks that the leader's certificate names the"
                                + " host it connects to; empty: it does not.")
                .define(QUOTA_WINDOW_NUM, INT, 11, atLeast(1), LOW,
                        "Samples kept to measure a client's produce and fetch byte rates against its quota.")
                .define(QUOTA_WINDOW_SIZE_SECONDS, INT, 1, atLeast(1), LOW,
                        "Length of each sample measuring client byte rates, in seconds.");
    }
}
