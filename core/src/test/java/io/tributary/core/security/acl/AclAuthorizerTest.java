package io.tributary.core.security.acl;

import io.tributary.core.security.AclStore;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

class AclAuthorizerTest {

    private final List<AclBinding> acls = new ArrayList<>();
    private final AclStore store = new AclStore() {
        @Override
        public List<AclBinding> acls() {
            return acls;
        }

        @Override
        public void add(Collection<AclBinding> bindings) {
            acls.addAll(bindings);
        }

        @Override
        public List<AclBinding> remove(AclBindingFilter filter) {
            return List.of();
        }
    };

    private void acl(ResourceType type, String name, PatternType pattern, String principal, String host,
                     AclOperation op, AclPermissionType permission) {
        acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, host, op, permission)));
    }

    @Test
    void literalPrefixedAndWildcardPatternsMatchAsInKafka() {
        AclAuthorizer a = new AclAuthorizer(store, Set.of(), false);
        acl(TOPIC, "orders", PatternType.LITERAL, "User:alice", "*", READ, AclPermissionType.ALLOW);
        acl(TOPIC, "logs-", PatternType.PREFIXED, "User:alice", "*", WRITE, AclPermissionType.ALLOW);
        acl(TOPIC, "*", PatternType.LITERAL, "User:*", "*", DESCRIBE, AclPermissionType.ALLOW);
        assertThat(a.authorize("User:alice", "10.0.0.1", READ, TOPIC, "orders")).isTrue();
        assertThat(a.authorize("User:alice", "10.0.0.1", READ, TOPIC, "orders2")).isFalse();
        assertThat(a.authorize("User:alice", "10.0.0.1", WRITE, TOPIC, "logs-app")).isTrue();
        assertThat(a.authorize("User:alice", "10.0.0.1", WRITE, TOPIC, "log")).isFalse();
        assertThat(a.authorize("User:bob", "10.0.0.1", DESCRIBE, TOPIC, "anything")).isTrue();
        assertThat(a.authorize("User:bob", "10.0.0.1", READ, TOPIC, "anything")).isFalse();
        assertThat(a.authorize("User:alice", "10.0.0.1", READ, GROUP, "orders")).isFalse();
    }

    @Test
    void impliedOperationsAllowDescribe() {
        AclAuthorizer a = new AclAuthorizer(store, Set.of(), false);
        for (AclOperation op : List.of(READ, WRITE, DELETE, ALTER)) {
            acls.clear();
            acl(TOPIC, "t", PatternType.LITERAL, "User:u", "*", op, AclPermissionType.ALLOW);
            assertThat(a.authorize("User:u", "h", DESCRIBE, TOPIC, "t")).as(op.name()).isTrue();
        }
        acls.clear();
        acl(TOPIC, "t", PatternType.LITERAL, "User:u", "*", ALTER_CONFIGS, AclPermissionType.ALLOW);
        assertThat(a.authorize("User:u", "h", DESCRIBE_CONFIGS, TOPIC, "t")).isTrue();
        assertThat(a.authorize("User:u", "h", DESCRIBE, TOPIC, "t")).isFalse();
    }

    @Test
    void denyWinsAndHostsMatter() {
        AclAuthorizer a = new AclAuthorizer(store, Set.of(), false);
        acl(TOPIC, "t", PatternType.PREFIXED, "User:u", "*", AclOperation.ALL, AclPermissionType.ALLOW);
        acl(TOPIC, "t-secret", PatternType.LITERAL, "User:u", "*", READ, AclPermissionType.DENY);
        acl(TOPIC, "t-local", PatternType.LITERAL, "User:u", "10.0.0.9", WRITE, AclPermissionType.DENY);
        assertThat(a.authorize("User:u", "h", READ, TOPIC, "t-any")).isTrue();
        assertThat(a.authorize("User:u", "h", READ, TOPIC, "t-secret")).isFalse();
        assertThat(a.authorize("User:u", "h", WRITE, TOPIC, "t-secret")).isTrue();
        assertThat(a.authorize("User:u", "10.0.0.9", WRITE, TOPIC, "t-local")).isFalse();
        assertThat(a.authorize("User:u", "10.0.0.8", WRITE, TOPIC, "t-local")).isTrue();
    }

    @Test
    void superUsersAndTheNoAclFallback() {
        acl(TOPIC, "guarded", PatternType.LITERAL, "User:u", "*", READ, AclPermissionType.ALLOW);
        AclAuthorizer strict = new AclAuthorizer(store, Set.of("User:root"), false);
        AclAuthorizer open = new AclAuthorizer(store, Set.of(), true);
        assertThat(strict.authorize("User:root", "h", DELETE, TOPIC, "guarded")).isTrue();
        assertThat(strict.authorize("User:x", "h", READ, TOPIC, "unguarded")).isFalse();
        assertThat(open.authorize("User:x", "h", READ, TOPIC, "unguarded")).isTrue();
        // A resource with any ACL is no longer open to everyone.
        assertThat(open.authorize("User:x", "h", READ, TOPIC, "guarded")).isFalse();
    }

    @Test
    void anyTopicWriteIsEnoughForIdempotence() {
        AclAuthorizer a = new AclAuthorizer(store, Set.of(), false);
        assertThat(a.authorizeAny("User:u", "h", WRITE, TOPIC)).isFalse();
        acl(TOPIC, "x-", PatternType.PREFIXED, "User:u", "*", WRITE, AclPermissionType.ALLOW);
        assertThat(a.authorizeAny("User:u", "h", WRITE, TOPIC)).isTrue();
        acl(TOPIC, "*", PatternType.LITERAL, "User:u", "*", WRITE, AclPermissionType.DENY);
        assertThat(a.authorizeAny("User:u", "h", WRITE, TOPIC)).isFalse();
    }
}
