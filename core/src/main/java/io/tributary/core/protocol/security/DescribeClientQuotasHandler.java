package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.quota.QuotaEntity;
import io.vertx.core.Future;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntityData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntryData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.ValueData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * DescribeClientQuotas (Admin.describeClientQuotas, kafka-configs --describe --entity-type users|clients): the stored
 * quotas of the entities matching the filter, as Kafka matches them. Each filter component names an entity type and
 * an exact name, the default, or any name; every component must match, and a strict filter also excludes entities
 * with other components. Needs DESCRIBE_CONFIGS on the cluster.
 */
public final class DescribeClientQuotasHandler implements ApiHandler<DescribeClientQuotasRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeClientQuotasRequest request) {
        if (!Authz.cluster(context, AclOperation.DESCRIBE_CONFIGS)) {
            return Future.succeededFuture(error(Errors.CLUSTER_AUTHORIZATION_FAILED,
                    Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        List<ComponentData> filter = request.data().components();
        Set<String> types = new HashSet<>();
        for (ComponentData c : filter) {
            if (!types.add(c.entityType())) {
                return Future.succeededFuture(error(Errors.INVALID_REQUEST, "Duplicate entity type " + c.entityType()));
            }
            if (c.matchType() == DescribeClientQuotasRequest.MATCH_TYPE_EXACT && c.match() == null) {
                return Future.succeededFuture(error(Errors.INVALID_REQUEST, "Exact match without a name"));
            }
            if (c.matchType() < 0 || c.matchType() > DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED) {
                return Future.succeededFuture(error(Errors.INVALID_REQUEST, "Unknown match type " + c.matchType()));
            }
        }
        BrokerSecurity security = context.connection().session().security();
        Map<QuotaEntity, Map<String, Double>> all =
                security == null || security.quotas() == null ? Map.of() : security.quotas().store().all();
        List<EntryData> entries = new ArrayList<>();
        all.forEach((entity, values) -> {
            if (matches(entity, filter, request.data().strict())) {
                entries.add(entry(entity, values));
            }
        });
        return Future.succeededFuture(new DescribeClientQuotasResponseData().setErrorCode(Errors.NONE.code())
                .setEntries(entries));
    }

    static boolean matches(QuotaEntity entity, List<ComponentData> filter, boolean strict) {
        for (ComponentData c : filter) {
            if (!entity.has(c.entityType())) {
                return false;
            }
            String name = entity.name(c.entityType());
            boolean ok = switch (c.matchType()) {
                case DescribeClientQuotasRequest.MATCH_TYPE_EXACT -> Objects.equals(name, c.match());
                case DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT -> name == null;
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return !strict || entity.components().size() == filter.size();
    }

    private static EntryData entry(QuotaEntity entity, Map<String, Double> values) {
        List<EntityData> components = new ArrayList<>();
        entity.components().forEach((type, name) -> components.add(new EntityData().setEntityType(type)
                .setEntityName(name)));
        List<ValueData> vals = new ArrayList<>();
        values.forEach((key, value) -> vals.add(new ValueData().setKey(key).setValue(value)));
        return new EntryData().setEntity(components).setValues(vals);
    }

    private static DescribeClientQuotasResponseData error(Errors error, String message) {
        return new DescribeClientQuotasResponseData().setErrorCode(error.code()).setErrorMessage(message)
                .setEntries(null);
    }
}
