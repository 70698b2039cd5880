package io.tributary.core.security;

import io.tributary.core.metadata.MetadataStore;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** ACLs in {@code acls.json} of the metadata directory, written atomically. */
public final class FileAclStore implements AclStore {

    static final String FILE = "acls.json";

    private final MetadataStore store;
    private volatile List<AclBinding> acls = List.of();

    public FileAclStore(MetadataStore store) throws IOException {
        this.store = store;
        Stored stored = store.readBound(FILE, Stored.class);
        if (stored != null) {
            List<AclBinding> loaded = new ArrayList<>();
            for (StoredAcl a : stored.acls()) {
                loaded.add(new AclBinding(
                        new ResourcePattern(ResourceType.fromString(a.resourceType()), a.name(),
                                PatternType.fromString(a.patternType())),
                        new AccessControlEntry(a.principal(), a.host(), AclOperation.fromString(a.operation()),
                                AclPermissionType.fromString(a.permission()))));
            }
            acls = List.copyOf(loaded);
        }
    }

    @Override
    public List<AclBinding> acls() {
        return acls;
    }

    @Override
    public synchronized void add(Collection<AclBinding> bindings) throws IOException {
        Set<AclBinding> next = new LinkedHashSet<>(acls);
        next.addAll(bindings);
        save(List.copyOf(next));
    }

    @Override
    public synchronized List<AclBinding> remove(AclBindingFilter filter) throws IOException {
        List<AclBinding> removed = new ArrayList<>();
        List<AclBinding> kept = new ArrayList<>();
        for (AclBinding b : acls) {
            (filter.matches(b) ? removed : kept).add(b);
        }
        if (!removed.isEmpty()) {
            save(List.copyOf(kept));
        }
        return removed;
    }

    private void save(List<AclBinding> next) throws IOException {
        List<StoredAcl> stored = next.stream().map(b -> new StoredAcl(b.pattern().resourceType().name(),
                b.pattern().name(), b.pattern().patternType().name(), b.entry().principal(), b.entry().host(),
                b.entry().operation().name(), b.entry().permissionType().name())).toList();
        store.writeBound(FILE, new Stored(1, stored));
        acls = next;
    }

    record Stored(int version, List<StoredAcl> acls) {
    }

    record StoredAcl(String resourceType, String name, String patternType, String principal, String host,
                     String operation, String permission) {
    }
}
