package io.tributary.core.api;

import java.util.List;

/**
 * The cluster as its members see it.
 *
 * @param controllerId node id of the member acting as controller
 * @param members      sorted by node id
 */
public record ClusterOverview(String clusterId, int controllerId, List<MemberInfo> members) {

    public ClusterOverview {
        members = List.copyOf(members);
    }
}
