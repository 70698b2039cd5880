package io.tributary.connect.runtime;

import io.tributary.connect.state.OffsetStore;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** A connector's view of its stored source offsets. */
final class StoredOffsetReader implements OffsetStorageReader {

    private final String connector;
    private final OffsetStore offsets;

    StoredOffsetReader(String connector, OffsetStore offsets) {
        this.connector = connector;
        this.offsets = offsets;
    }

    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
        return offsets.offset(connector, partition);
    }

    @Override
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
        Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
        for (Map<String, T> partition : partitions) {
            Map<String, Object> offset = offset(partition);
            if (offset != null) {
                result.put(partition, offset);
            }
        }
        return result;
    }
}
