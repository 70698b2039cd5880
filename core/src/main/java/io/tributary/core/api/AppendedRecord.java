package io.tributary.core.api;

/**
 * Where an appended record landed.
 *
 * @param timestamp the record's timestamp as stored (the broker's clock under LogAppendTime)
 */
public record AppendedRecord(String topic, int partition, long offset, long timestamp) {
}
