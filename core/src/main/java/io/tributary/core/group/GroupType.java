package io.tributary.core.group;

/** Which group protocol a group uses; the names are those of ListGroups' types filter. */
public enum GroupType {
    CLASSIC("classic"),
    CONSUMER("consumer");

    private final String protocolName;

    GroupType(String protocolName) {
        this.protocolName = protocolName;
    }

    public String protocolName() {
        return protocolName;
    }
}
