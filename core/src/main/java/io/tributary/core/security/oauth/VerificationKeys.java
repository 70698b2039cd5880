package io.tributary.core.security.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public keys trusted to sign OAUTHBEARER tokens, read from a file: a JWKS document ({@code {"keys": [...]}},
 * RSA and EC keys) or PEM {@code PUBLIC KEY} blocks (RSA or EC).
 */
public final class VerificationKeys {

    /** One trusted key; {@code kid} is null for PEM keys, which match any token's key id. */
    public record Key(String kid, PublicKey publicKey) {
    }

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
    private static final Map<String, String> CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1",
            "P-521", "secp521r1");

    private VerificationKeys() {
    }

    /** Reads the keys at {@code location}: a path or a {@code file:} URL. Blocking. */
    public static List<Key> load(String location) throws IOException {
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        String text = Files.readString(path, StandardCharsets.UTF_8).trim();
        try {
            List<Key> keys = text.startsWith("{") ? fromJwks(text) : fromPem(text);
            if (keys.isEmpty()) {
                throw new IOException("no public key in " + path);
            }
            return List.copyOf(keys);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("unreadable public key in " + path + ": " + e.getMessage(), e);
        }
    }

    static List<Key> fromPem(String text) throws GeneralSecurityException {
        List<Key> keys = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            keys.add(new Key(null, x509(der)));
        }
        return keys;
    }

    private static PublicKey x509(byte[] der) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        }
    }

    static List<Key> fromJwks(String text) throws IOException, GeneralSecurityException {
        JsonNode root = new ObjectMapper().readTree(text);
        JsonNode list = root.has("keys") ? root.get("keys") : new ObjectMapper().createArrayNode().add(root);
        List<Key> keys = new ArrayList<>();
        for (JsonNode jwk : list) {
            if (jwk.hasNonNull("use") && !"sig".equals(jwk.get("use").asText())) {
                continue;
            }
            String kid = jwk.hasNonNull("kid") ? jwk.get("kid").asText() : null;
            String kty = jwk.path("kty").asText();
            if (kty.equals("RSA")) {
                keys.add(new Key(kid, KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(number(jwk, "n"), number(jwk, "e")))));
            } else if (kty.equals("EC")) {
                String curve = CURVES.get(jwk.path("crv").asText());
                if (curve == null) {
                    throw new IllegalArgumentException("unsupported curve " + jwk.path("crv").asText());
                }
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec(curve));
                ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
                keys.add(new Key(kid, KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                        new ECPoint(number(jwk, "x"), number(jwk, "y")), spec))));
            }
            // Other key types (oct, OKP) cannot verify the algorithms accepted here and are skipped.
        }
        return keys;
    }

    private static BigInteger number(JsonNode jwk, String field) {
        if (!jwk.hasNonNull(field)) {
            throw new IllegalArgumentException("JWK without " + field);
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get(field).asText()));
    }
}
