package io.tributary.core.metadata;

import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The cluster id and node id recorded in meta.properties on first start. A log dir written by one
 * cluster or node is refused by another, as Kafka does, so data is never mixed up by a config mistake.
 */
public final class ClusterIdentity {

    private static final String FILE = "meta.properties";

    private ClusterIdentity() {
    }

    /** The cluster id stored in the log dir, or null before the first start. Blocking. */
    public static String stored(MetadataStore store) throws IOException {
        byte[] existing = store.read(FILE);
        if (existing == null) {
            return null;
        }
        Properties props = new Properties();
        props.load(new StringReader(new String(existing, StandardCharsets.UTF_8)));
        return props.getProperty("cluster.id");
    }

    /** Returns the stored cluster id, creating one (or taking {@code configured}) on first start. Blocking. */
    public static String loadOrCreate(MetadataStore store, int nodeId, String configured) throws IOException {
        byte[] existing = store.read(FILE);
        if (existing != null) {
            Properties props = new Properties();
            props.load(new StringReader(new String(existing, StandardCharsets.UTF_8)));
            String clusterId = props.getProperty("cluster.id");
            int storedNode = Integer.parseInt(props.getProperty("node.id", String.valueOf(nodeId)));
            if (storedNode != nodeId) {
                throw new IOException("The log dir " + store.directory().getParent() + " belongs to node.id "
                        + storedNode + " but this broker is configured with node.id " + nodeId);
            }
            if (configured != null && !configured.equals(clusterId)) {
                throw new IOException("The log dir belongs to cluster.id " + clusterId
                        + " but cluster.id is configured as " + configured);
            }
            return clusterId;
        }
        String clusterId = configured != null ? configured : Uuid.randomUuid().toString();
        Properties props = new Properties();
        props.setProperty("version", "1");
        props.setProperty("cluster.id", clusterId);
        props.setProperty("node.id", String.valueOf(nodeId));
        StringWriter out = new StringWriter();
        props.store(out, "Tributary node identity; do not edit");
        store.writeAtomically(FILE, out.toString().getBytes(StandardCharsets.UTF_8));
        return clusterId;
    }
}
