package io.tributary.gateway.http;

import io.tributary.core.api.NewRecord;

/**
 * One record of a produce request.
 *
 * @param partition the partition it asks for, or {@link io.tributary.core.api.Records#ANY_PARTITION}
 */
record ProduceRecord(int partition, NewRecord record) {
}
