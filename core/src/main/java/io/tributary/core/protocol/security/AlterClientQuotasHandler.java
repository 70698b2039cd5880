package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.quota.ClientQuotaManager;
import io.tributary.core.security.quota.QuotaEntity;
import io.vertx.core.Future;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AlterClientQuotas (Admin.alterClientQuotas, kafka-configs --alter --entity-type users|clients --add-config
 * producer_byte_rate=...): sets or removes producer_byte_rate and consumer_byte_rate of user, client-id and
 * user + client-id entities (names or defaults). Each entry succeeds or fails on its own; the valid ones are stored
 * together. request_percentage, controller_mutation_rate and ip entities are refused as unsupported. Needs
 * ALTER_CONFIGS on the cluster.
 */
public final class AlterClientQuotasHandler implements ApiHandler<AlterClientQuotasRequest> {

    private static final Set<String> SUPPORTED_KEYS =
            Set.of(ClientQuotaManager.PRODUCER_BYTE_RATE, ClientQuotaManager.CONSUMER_BYTE_RATE);

    @Override
    public Future<ApiMessage> handle(RequestContext context, AlterClientQuotasRequest request) {
        List<EntryData> entries = request.data().entries();
        BrokerSecurity security = context.connection().session().security();
        ClientQuotaManager quotas = security == null ? null : security.quotas();
        List<Errors> errors = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        Map<QuotaEntity, Map<String, Double>> changes = new LinkedHashMap<>();
        boolean allowed = Authz.cluster(context, AclOperation.ALTER_CONFIGS);
        for (EntryData entry : entries) {
            String problem = quotas == null ? "Client quotas are not available on this listener" : validate(entry);
            if (!allowed) {
                errors.add(Errors.CLUSTER_AUTHORIZATION_FAILED);
                messages.add(Errors.CLUSTER_AUTHORIZATION_FAILED.message());
            } else if (problem != null) {
                errors.add(Errors.INVALID_REQUEST);
                messages.add(problem);
            } else {
                errors.add(Errors.NONE);
                messages.add(null);
                Map<String, Double> ops = changes.computeIfAbsent(entity(entry.entity()), e -> new HashMap<>());
                for (OpData op : entry.ops()) {
                    ops.put(op.key(), op.remove() ? null : op.value());
                }
            }
        }
        if (changes.isEmpty() || request.data().validateOnly()) {
            return Future.succeededFuture(response(entries, errors, messages));
        }
        return security.vertx().executeBlocking(() -> {
            quotas.alter(changes);
            return response(entries, errors, messages);
        });
    }

    /** Why the entry cannot be applied, or null. */
    private static String validate(EntryData entry) {
        Set<String> types = new HashSet<>();
        for (EntityData e : entry.entity()) {
            if (!QuotaEntity.USER.equals(e.entityType()) && !QuotaEntity.CLIENT_ID.equals(e.entityType())) {
                return "Entity type " + e.entityType() + " is not supported: quotas are set for user and client-id";
            }
            if (!types.add(e.entityType())) {
                return "Duplicate entity type " + e.entityType();
            }
            if (e.entityName() != null && e.entityName().isEmpty() && QuotaEntity.USER.equals(e.entityType())) {
                return "Empty user name";
            }
        }
        if (types.isEmpty()) {
            return "The entity is empty";
        }
        Set<String> keys = new HashSet<>();
        for (OpData op : entry.ops()) {
            if (ClientQuotaManager.UNSUPPORTED_KEYS.contains(op.key())) {
                return "Quota " + op.key() + " is not supported by this broker (only producer_byte_rate and"
                        + " consumer_byte_rate)";
            }
            if (!SUPPORTED_KEYS.contains(op.key())) {
                return "Unknown quota key " + op.key();
            }
            if (!keys.add(op.key())) {
                return "Duplicate quota key " + op.key();
            }
            if (!op.remove() && (!(op.value() > 0) || op.value() != Math.floor(op.value())
                    || Double.isInfinite(op.value()))) {
                return "Quota " + op.key() + " must be a positive whole number of bytes per second, was " + op.value();
            }
        }
        return null;
    }

    private static QuotaEntity entity(List<EntityData> components) {
        boolean hasUser = false;
        boolean hasClient = false;
        String user = null;
        String client = null;
        for (EntityData e : components) {
            if (QuotaEntity.USER.equals(e.entityType())) {
                hasUser = true;
                user = e.entityName();
            } else {
                hasClient = true;
                client = e.entityName();
            }
        }
        return new QuotaEntity(hasUser, user, hasClient, client);
    }

    private static AlterClientQuotasResponseData response(List<EntryData> entries, List<Errors> errors,
                                                          List<String> messages) {
        List<AlterClientQuotasResponseData.EntryData> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            List<AlterClientQuotasResponseData.EntityData> entity = new ArrayList<>();
            for (EntityData e : entries.get(i).entity()) {
                entity.add(new AlterClientQuotasResponseData.EntityData().setEntityType(e.entityType())
                        .setEntityName(e.entityName()));
            }
            out.add(new AlterClientQuotasResponseData.EntryData().setErrorCode(errors.get(i).code())
                    .setErrorMessage(messages.get(i)).setEntity(entity));
        }
        return new AlterClientQuotasResponseData().setEntries(out);
    }
}
