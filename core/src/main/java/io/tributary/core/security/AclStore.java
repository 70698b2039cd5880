package io.tributary.core.security;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Where ACLs live. Kept narrow so that a replicated implementation can replace the file one. {@link #acls()} is a
 * cheap snapshot read on every authorisation; writes may block.
 */
public interface AclStore {

    /** Every ACL, as an immutable snapshot. */
    List<AclBinding> acls();

    /** Adds ACLs (an ACL already present is kept once). Blocking. */
    void add(Collection<AclBinding> bindings) throws IOException;

    /** Removes and returns every ACL the filter matches. Blocking. */
    List<AclBinding> remove(AclBindingFilter filter) throws IOException;
}
