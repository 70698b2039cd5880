package io.tributary.connect.runtime;

import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.StoredRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;

/** Turns a stored record into the SinkRecord a task receives: converters, then transforms, under the error policy. */
final class SinkRecordConverter {

    private final RecordConverters converters;
    private final TransformChain<SinkRecord> transforms;
    private final ErrorPolicy errors;

    SinkRecordConverter(RecordConverters converters, TransformChain<SinkRecord> transforms, ErrorPolicy errors) {
        this.converters = converters;
        this.transforms = transforms;
        this.errors = errors;
    }

    /** The record to deliver, or null when a transformation dropped it or a tolerated error skipped it. */
    SinkRecord convert(StoredRecord stored) throws InterruptedException {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        for (RecordHeader h : stored.headers()) {
            kafkaHeaders.add(h.key(), h.value());
        }
        SchemaAndValue key = errors.execute(ErrorPolicy.Stage.KEY_CONVERTER, stored,
                () -> converters.key().toConnectData(stored.topic(), kafkaHeaders, stored.key()));
        if (key == null) {
            return null;
        }
        SchemaAndValue value = errors.execute(ErrorPolicy.Stage.VALUE_CONVERTER, stored,
                () -> converters.value().toConnectData(stored.topic(), kafkaHeaders, stored.value()));
        if (value == null) {
            return null;
        }
        ConnectHeaders headers = errors.execute(ErrorPolicy.Stage.HEADER_CONVERTER, stored, () -> {
            ConnectHeaders converted = new ConnectHeaders();
            for (RecordHeader h : stored.headers()) {
                SchemaAndValue header = converters.header().toConnectHeader(stored.topic(), h.key(), h.value());
                converted.add(h.key(), header == null ? SchemaAndValue.NULL : header);
            }
            return converted;
        });
        if (headers == null) {
            return null;
        }
        SinkRecord record = new SinkRecord(stored.topic(), stored.partition(), key.schema(), key.value(),
                value.schema(), value.value(), stored.offset(), stored.timestamp(), TimestampType.CREATE_TIME, headers);
        return errors.execute(ErrorPolicy.Stage.TRANSFORMATION, stored, () -> transforms.apply(record));
    }
}
