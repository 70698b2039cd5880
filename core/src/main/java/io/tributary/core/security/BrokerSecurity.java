package io.tributary.core.security;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.SecurityConfigDef;
import io.tributary.core.metadata.MetadataStore;
import io.tributary.core.security.oauth.JwtValidator;
import io.tributary.core.security.oauth.VerificationKeys;
import io.tributary.core.security.quota.ClientQuotaManager;
import io.tributary.core.security.quota.ClientQuotaStore;
import io.tributary.core.security.quota.FileClientQuotaStore;
import io.tributary.core.security.acl.AclAuthorizer;
import io.tributary.core.security.sasl.AuthenticationFailedException;
import io.tributary.core.security.tls.TlsServerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker's security state, shared by the Kafka listeners and the gateways: who the users are (static PLAIN users
 * and stored SCRAM credentials), how a certificate becomes a principal, the ACLs and whether they are enforced, and
 * the per-address authentication failure limit.
 */
public final class BrokerSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);
    public static final String ANONYMOUS = "User:ANONYMOUS";
    private static final Pattern JAAS_USER = Pattern.compile("user_([^\\s=]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final BrokerConfig config;
    private final Vertx vertx;
    private final CredentialStore credentials;
    private final AclStore acls;
    private final AclAuthorizer authorizer;
    private final Map<String, String> plainUsers;
    private final SslPrincipalMapper principalMapper;
    private final AuthFailureLimiter failures;
    private final ClientQuotaManager quotas;
    private final JwtValidator tokenValidator;

    BrokerSecurity(BrokerConfig config, Vertx vertx, CredentialStore credentials, AclStore acls) {
        this(config, vertx, credentials, acls, null);
    }

    BrokerSecurity(BrokerConfig config, Vertx vertx, CredentialStore credentials, AclStore acls,
                   ClientQuotaStore quotaStore) {
        this.config = config;
        this.quotas = quotaStore == null ? null : new ClientQuotaManager(quotaStore,
                (Integer) config.value(SecurityConfigDef.QUOTA_WINDOW_NUM),
                1000L * (Integer) config.value(SecurityConfigDef.QUOTA_WINDOW_SIZE_SECONDS));
        this.vertx = vertx;
        this.credentials = credentials;
        this.acls = acls;
        String authorizerClass = (String) config.value(SecurityConfigDef.AUTHORIZER_CLASS_NAME);
        Set<String> supers = new LinkedHashSet<>();
        for (String s : ((String) config.value(SecurityConfigDef.SUPER_USERS)).split(";")) {
            if (!s.isBlank()) {
                supers.add(s.trim());
            }
        }
        this.authorizer = authorizerClass == null || authorizerClass.isBlank() ? null
                : new AclAuthorizer(acls, supers, (Boolean) config.value(SecurityConfigDef.ALLOW_EVERYONE_IF_NO_ACL_FOUND));
        // sasl.jaas.config and Kafka's listener.name.<listener>.<mechanism>.sasl.jaas.config: one set of users.
        Map<String, String> users = new HashMap<>(parseJaas((String) config.value(SecurityConfigDef.SASL_JAAS_CONFIG)));
        config.originals().forEach((key, value) -> {
            if (key.startsWith(SecurityConfigDef.LISTENER_PREFIX) && key.endsWith("." + SecurityConfigDef.SASL_JAAS_CONFIG)) {
                users.putAll(parseJaas(value));
            }
        });
        this.plainUsers = Map.copyOf(users);
        this.principalMapper = SslPrincipalMapper.fromRules((String) config.value(SecurityConfigDef.SSL_PRINCIPAL_MAPPING_RULES));
        this.tokenValidator = tokenValidator(config);
        this.failures = new AuthFailureLimiter((Integer) config.value(SecurityConfigDef.SASL_MAX_FAILED_AUTHENTICATIONS_PER_IP));
    }

    /** Loads the stored credentials, ACLs and client quotas from the metadata directory. Blocking. */
    public static BrokerSecurity load(BrokerConfig config, Vertx vertx) throws IOException {
        MetadataStore store = new MetadataStore(config.logDirs().get(0));
        return new BrokerSecurity(config, vertx, new FileCredentialStore(store), new FileAclStore(store),
                new FileClientQuotaStore(store));
    }

    /** Security over given stores (a replicated implementation, or tests). */
    public static BrokerSecurity of(BrokerConfig config, Vertx vertx, CredentialStore credentials, AclStore acls) {
        return new BrokerSecurity(config, vertx, credentials, acls);
    }

    private static final String SHARED_MAP = "io.tributary.security";

    /** Makes this the security of every component running on {@code vertx} (the gateways, the connectors). */
    public void register() {
        vertx.sharedData().<String, Holder>getLocalMap(SHARED_MAP).put("broker", new Holder(this));
    }

    /** The security the broker running on {@code vertx} registered, or null. */
    public static BrokerSecurity lookup(Vertx vertx) {
        Holder h = vertx.sharedData().<String, Holder>getLocalMap(SHARED_MAP).get("broker");
        return h == null ? null : h.security;
    }

    /** The registered security, or one loaded from {@code config} (a gateway started without a broker). */
    public static BrokerSecurity lookupOrLoad(Vertx vertx, BrokerConfig config) {
        BrokerSecurity found = lookup(vertx);
        if (found != null) {
            return found;
        }
        try {
            return load(config, vertx);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Holder(BrokerSecurity security) implements io.vertx.core.shareddata.Shareable {
    }

    static Map<String, String> parseJaas(String jaas) {
        Map<String, String> users = new HashMap<>();
        if (jaas != null) {
            Matcher m = JAAS_USER.matcher(jaas);
            while (m.find()) {
                users.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
            }
        }
        return Map.copyOf(users);
    }

    public BrokerConfig config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    public CredentialStore credentials() {
        return credentials;
    }

    /**
     * The OAUTHBEARER token validator, from the sasl.oauthbearer.* keys (the key file is read here, blocking); null
     * when no keys are configured.
     */
    @SuppressWarnings("unchecked")
    private static JwtValidator tokenValidator(BrokerConfig config) {
        String keys = (String) config.value(SecurityConfigDef.SASL_OAUTHBEARER_JWKS_ENDPOINT_URL);
        if (keys == null || keys.isBlank()) {
            if (((List<String>) config.value(SecurityConfigDef.SASL_ENABLED_MECHANISMS)).contains("OAUTHBEARER")) {
                throw new IllegalArgumentException("sasl.enabled.mechanisms includes OAUTHBEARER but "
                        + SecurityConfigDef.SASL_OAUTHBEARER_JWKS_ENDPOINT_URL + " is not set");
            }
            return null;
        }
        try {
            return new JwtValidator(VerificationKeys.load(keys),
                    (String) config.value(SecurityConfigDef.SASL_OAUTHBEARER_EXPECTED_ISSUER),
                    (List<String>) config.value(SecurityConfigDef.SASL_OAUTHBEARER_EXPECTED_AUDIENCE),
                    (String) config.value(SecurityConfigDef.SASL_OAUTHBEARER_SUB_CLAIM_NAME),
                    (Integer) config.value(SecurityConfigDef.SASL_OAUTHBEARER_CLOCK_SKEW_SECONDS),
                    System::currentTimeMillis);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot read " + SecurityConfigDef.SASL_OAUTHBEARER_JWKS_ENDPOINT_URL + "=" + keys, e);
        }
    }

    /** Validates OAUTHBEARER tokens; null when none are accepted. */
    public JwtValidator tokenValidator() {
        return tokenValidator;
    }

    /** The client quotas and their enforcement; null when security was built without a quota store. */
    public ClientQuotaManager quotas() {
        return quotas;
    }

    public AclStore acls() {
        return acls;
    }

    /** True when authorizer.class.name is set: every request is checked against the ACLs. */
    public boolean authorizerEnabled() {
        return authorizer != null;
    }

    /** The authorizer, or null when authorisation is off. */
    public AclAuthorizer authorizer() {
        return authorizer;
    }

    /** True when the authorizer is off or allows the operation. */
    public boolean authorize(String principal, String host, AclOperation op, ResourceType type, String name) {
        return authorizer == null || authorizer.authorize(principal, host, op, type, name);
    }

    /** The SASL mechanisms enabled on a listener. */
    @SuppressWarnings("unchecked")
    public List<String> mechanisms(String listenerName) {
        return (List<String>) TlsServerOptions.value(config, listenerName, SecurityConfigDef.SASL_ENABLED_MECHANISMS);
    }

    public int failedAuthenticationDelayMs() {
        return (Integer) config.value(SecurityConfigDef.CONNECTION_FAILED_AUTHENTICATION_DELAY_MS);
    }

    public AuthFailureLimiter failures() {
        return failures;
    }

    /**
     * Checks a user name and password: a static PLAIN user (sasl.jaas.config), else a stored SCRAM credential (the
     * password is salted and hashed with the credential's salt and iterations, off the event loop). Used by SASL
     * PLAIN, MQTT CONNECT and HTTP basic auth. Fails with {@link AuthenticationFailedException}.
     */
    public Future<Void> verifyPassword(String user, String password) {
        String expected = plainUsers.get(user);
        if (expected != null) {
            boolean ok = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    password.getBytes(StandardCharsets.UTF_8));
            return ok ? Future.succeededFuture() : failed();
        }
        ScramCredential sha512 = credentials.get(user, "SCRAM-SHA-512");
        ScramCredential sha256 = credentials.get(user, "SCRAM-SHA-256");
        if (sha512 == null && sha256 == null) {
            return failed();
        }
        ScramMechanism mechanism = sha512 != null ? ScramMechanism.SCRAM_SHA_512 : ScramMechanism.SCRAM_SHA_256;
        ScramCredential stored = sha512 != null ? sha512 : sha256;
        return vertx.executeBlocking(() -> {
            ScramFormatter f = new ScramFormatter(mechanism);
            byte[] salted = f.saltedPassword(password, stored.salt(), stored.iterations());
            return MessageDigest.isEqual(f.storedKey(f.clientKey(salted)), stored.storedKey());
        }, false).compose(ok -> ok ? Future.succeededFuture() : failed());
    }

    private static Future<Void> failed() {
        return Future.failedFuture(new AuthenticationFailedException("Authentication failed: Invalid username or password"));
    }

    /**
     * The principal of a TLS client: {@code User:} plus its certificate's subject DN mapped by
     * ssl.principal.mapping.rules, or {@code User:ANONYMOUS} without a client certificate.
     */
    public String principalOf(SSLSession session) {
        if (session == null) {
            return ANONYMOUS;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
                return ANONYMOUS;
            }
            return principalOfDn(cert.getSubjectX500Principal().getName());
        } catch (SSLPeerUnverifiedException e) {
            return ANONYMOUS;
        }
    }

    /** {@code User:} plus the DN mapped by ssl.principal.mapping.rules. */
    public String principalOfDn(String dn) {
        try {
            return "User:" + principalMapper.getName(dn);
        } catch (IOException | RuntimeException e) {
            LOG.warn("No ssl.principal.mapping.rules rule matches {}: {}", dn, e.getMessage());
            return "User:" + dn;
        }
    }

    /** Generates a salted SCRAM credential for a password (tests, tools). */
    public static ScramCredential scramCredential(String mechanism, String password, int iterations) {
        try {
            return new ScramFormatter(ScramMechanism.forMechanismName(mechanism)).generateCredential(password, iterations);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Turns a client-salted password (AlterUserScramCredentials) into the stored credential. */
    public static ScramCredential scramCredential(String mechanism, byte[] salt, byte[] saltedPassword, int iterations) {
        try {
            return new ScramFormatter(ScramMechanism.forMechanismName(mechanism))
                    .generateCredential(salt, saltedPassword, iterations);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "BrokerSecurity[authorizer=" + (authorizer != null) + ", plainUsers=" + plainUsers.size() + "]";
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
