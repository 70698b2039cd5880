package io.tributary.core.security.acl;

import io.tributary.core.security.AclStore;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.EnumSet;
import java.util.Set;

/**
 * Kafka's ACL semantics over an {@link AclStore}: super users may do everything; an ACL applies when its principal
 * is the caller or {@code User:*}, its host the caller's or {@code *}, and its pattern the resource (LITERAL name,
 * LITERAL {@code *}, or a PREFIXED prefix); any applying DENY wins; an ALLOW of the operation, of ALL, or of an
 * operation that implies it (READ, WRITE, DELETE, ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS)
 * allows; a resource no ACL matches at all follows allow.everyone.if.no.acl.found.
 */
public final class AclAuthorizer {

    private static final Set<AclOperation> IMPLY_DESCRIBE =
            EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);

    private final AclStore store;
    private final Set<String> superUsers;
    private final boolean allowIfNoAcl;

    public AclAuthorizer(AclStore store, Set<String> superUsers, boolean allowIfNoAcl) {
        this.store = store;
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAcl = allowIfNoAcl;
    }

    public AclStore store() {
        return store;
    }

    public boolean isSuperUser(String principal) {
        return superUsers.contains(principal);
    }

    /** True when {@code principal} connecting from {@code host} may perform {@code op} on the resource. */
    public boolean authorize(String principal, String host, AclOperation op, ResourceType type, String name) {
        if (superUsers.contains(principal)) {
            return true;
        }
        boolean anyForResource = false;
        boolean allowed = false;
        for (AclBinding b : store.acls()) {
            if (!matchesResource(b.pattern(), type, name)) {
                continue;
            }
            anyForResource = true;
            if (!matchesPrincipal(b.entry().principal(), principal) || !matchesHost(b.entry().host(), host)) {
                continue;
            }
            AclOperation granted = b.entry().operation();
            if (b.entry().permissionType() == AclPermissionType.DENY) {
                if (granted == op || granted == AclOperation.ALL) {
                    return false;
                }
            } else if (b.entry().permissionType() == AclPermissionType.ALLOW && implies(granted, op)) {
                allowed = true;
            }
        }
        return allowed || (!anyForResource && allowIfNoAcl);
    }

    /**
     * True when some ALLOW ACL grants {@code op} on some resource of {@code type} to the principal (and no DENY on
     * every such resource, that is a wildcard or empty-prefix DENY, takes it back): Kafka's authorizeByResourceType,
     * used for idempotent producers with WRITE on any topic.
     */
    public boolean authorizeAny(String principal, String host, AclOperation op, ResourceType type) {
        if (superUsers.contains(principal)) {
            return true;
        }
        boolean allowed = false;
        for (AclBinding b : store.acls()) {
            if (b.pattern().resourceType() != type || !matchesPrincipal(b.entry().principal(), principal)
                    || !matchesHost(b.entry().host(), host)) {
                continue;
            }
            AclOperation granted = b.entry().operation();
            if (b.entry().permissionType() == AclPermissionType.DENY && (granted == op || granted == AclOperation.ALL)
                    && (b.pattern().name().equals(ResourcePattern.WILDCARD_RESOURCE)
                    || (b.pattern().patternType() == PatternType.PREFIXED && b.pattern().name().isEmpty()))) {
                return false;
            }
            if (b.entry().permissionType() == AclPermissionType.ALLOW && implies(granted, op)) {
                allowed = true;
            }
        }
        return allowed;
    }

    static boolean implies(AclOperation granted, AclOperation op) {
        if (granted == op || granted == AclOperation.ALL) {
            return true;
        }
        if (op == AclOperation.DESCRIBE) {
            return IMPLY_DESCRIBE.contains(granted);
        }
        return op == AclOperation.DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS;
    }

    private static boolean matchesResource(ResourcePattern p, ResourceType type, String name) {
        if (p.resourceType() != type) {
            return false;
        }
        if (p.patternType() == PatternType.LITERAL) {
            return p.name().equals(name) || p.name().equals(ResourcePattern.WILDCARD_RESOURCE);
        }
        return p.patternType() == PatternType.PREFIXED && name.startsWith(p.name());
    }

    private static boolean matchesPrincipal(String aclPrincipal, String principal) {
        return aclPrincipal.equals(principal) || aclPrincipal.equals("User:*");
    }

    private static boolean matchesHost(String aclHost, String host) {
        return aclHost.equals("*") || aclHost.equals(host);
    }
}
