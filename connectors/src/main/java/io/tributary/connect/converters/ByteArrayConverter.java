package io.tributary.connect.converters;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Passes bytes through unchanged, as Kafka Connect's ByteArrayConverter (which lives in connect-runtime,
 * not in the API jars). Configs naming org.apache.kafka.connect.converters.ByteArrayConverter get this one.
 */
public final class ByteArrayConverter implements Converter, HeaderConverter {

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (schema != null && schema.type() != Schema.Type.BYTES) {
            throw new DataException("Invalid schema type for ByteArrayConverter: " + schema.type());
        }
        if (value != null && !(value instanceof byte[]) && !(value instanceof ByteBuffer)) {
            throw new DataException("ByteArrayConverter is not compatible with objects of type " + value.getClass());
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return (byte[]) value;
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, value);
    }

    @Override
    public byte[] fromConnectHeader(String topic, String headerKey, Schema schema, Object value) {
        return fromConnectData(topic, schema, value);
    }

    @Override
    public SchemaAndValue toConnectHeader(String topic, String headerKey, byte[] value) {
        return toConnectData(topic, value);
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public void close() {
    }
}
