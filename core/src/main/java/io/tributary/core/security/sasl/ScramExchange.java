package io.tributary.core.security.sasl;

import io.tributary.core.security.CredentialStore;
import io.vertx.core.Future;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The server side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677) over the stored keys of a {@link CredentialStore}, with
 * kafka-clients' ScramFormatter for the HMAC and hash primitives. As Kafka's own server, the nonce of the final
 * message must end with the server's nonce (some librdkafka versions repeat the client nonce in front of it).
 * Cheap enough for an event loop: the costly salting happened when the credential was stored.
 */
final class ScramExchange implements SaslExchange {

    private enum State { FIRST, FINAL, COMPLETE, FAILED }

    private final String mechanism;
    private final CredentialStore store;
    private final ScramFormatter formatter;
    private State state = State.FIRST;
    private String user;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredential credential;

    ScramExchange(String mechanism, CredentialStore store) {
        this.mechanism = mechanism;
        this.store = store;
        try {
            this.formatter = new ScramFormatter(ScramMechanism.forMechanismName(mechanism));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Future<byte[]> evaluate(byte[] token) {
        try {
            String message = new String(token, StandardCharsets.UTF_8);
            byte[] answer = switch (state) {
                case FIRST -> first(message);
                case FINAL -> last(message);
                default -> throw new AuthenticationFailedException("Unexpected SCRAM message");
            };
            return Future.succeededFuture(answer);
        } catch (AuthenticationFailedException e) {
            state = State.FAILED;
            return Future.failedFuture(e);
        } catch (RuntimeException | java.security.InvalidKeyException e) {
            state = State.FAILED;
            return Future.failedFuture(new AuthenticationFailedException("Invalid SCRAM message"));
        }
    }

    private byte[] first(String message) {
        // gs2-header: "n,," or "n,a=authzid," (no channel binding); then n=saslname,r=nonce[,extensions]
        if (!message.startsWith("n,") && !message.startsWith("y,")) {
            throw new AuthenticationFailedException("Invalid SCRAM client first message (channel binding is not supported)");
        }
        int headerEnd = message.indexOf(',', 2);
        if (headerEnd < 0) {
            throw new AuthenticationFailedException("Invalid SCRAM client first message");
        }
        String authzid = message.substring(2, headerEnd);
        clientFirstBare = message.substring(headerEnd + 1);
        String saslName = null;
        String clientNonce = null;
        for (String attribute : clientFirstBare.split(",")) {
            if (attribute.startsWith("n=")) {
                saslName = attribute.substring(2);
            } else if (attribute.startsWith("r=")) {
                clientNonce = attribute.substring(2);
            } else if (attribute.startsWith("tokenauth=")) {
                throw new AuthenticationFailedException("Delegation tokens are not supported");
            }
        }
        if (saslName == null || clientNonce == null || clientNonce.isEmpty()) {
            throw new AuthenticationFailedException("Invalid SCRAM client first message");
        }
        user = ScramFormatter.username(saslName);
        if (!authzid.isEmpty() && !authzid.equals("a=" + saslName)) {
            throw new AuthenticationFailedException("Authentication failed: Client requested an authorization id"
                    + " that is different from username");
        }
        credential = store.get(user, mechanism);
        if (credential == null) {
            throw new AuthenticationFailedException("Authentication failed: Invalid user credentials");
        }
        nonce = clientNonce + formatter.secureRandomString();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        state = State.FINAL;
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] last(String message) throws java.security.InvalidKeyException {
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0 || !message.startsWith("c=")) {
            throw new AuthenticationFailedException("Invalid SCRAM client final message");
        }
        String withoutProof = message.substring(0, proofAt);
        byte[] proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        String finalNonce = null;
        for (String attribute : withoutProof.split(",")) {
            if (attribute.startsWith("r=")) {
                finalNonce = attribute.substring(2);
            }
        }
        if (finalNonce == null || !finalNonce.endsWith(nonce)) {
            throw new AuthenticationFailedException("Invalid client nonce in the final client message.");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = formatter.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw new AuthenticationFailedException("Invalid client credentials");
        }
        byte[] clientKey = ScramFormatter.xor(proof, clientSignature);
        if (!MessageDigest.isEqual(formatter.hash(clientKey), credential.storedKey())) {
            throw new AuthenticationFailedException("Invalid client credentials");
        }
        byte[] serverSignature = formatter.hmac(credential.serverKey(), authMessage);
        state = State.COMPLETE;
        return ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public String user() {
        return state == State.COMPLETE ? user : null;
    }
}
