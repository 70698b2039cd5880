package io.tributary.core.group;

import org.apache.kafka.common.Uuid;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Minimal big-endian writer and reader for the coordinator's record keys and values. */
final class RecordBytes {

    private RecordBytes() {
    }

    static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(128);

        private void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Writer putShort(int v) {
            ensure(2);
            buf.putShort((short) v);
            return this;
        }

        Writer putByte(int v) {
            ensure(1);
            buf.put((byte) v);
            return this;
        }

        Writer putInt(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        Writer putLong(long v) {
            ensure(8);
            buf.putLong(v);
            return this;
        }

        Writer putUuid(Uuid id) {
            return putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        }

        /** A string, or null (length -1). */
        Writer putString(String s) {
            if (s == null) {
                return putInt(-1);
            }
            return putBytes(s.getBytes(StandardCharsets.UTF_8));
        }

        Writer putBytes(byte[] b) {
            if (b == null) {
                return putInt(-1);
            }
            putInt(b.length);
            ensure(b.length);
            buf.put(b);
            return this;
        }

        Writer putStrings(List<String> list) {
            putInt(list.size());
            list.forEach(this::putString);
            return this;
        }

        ByteBuffer done() {
            ByteBuffer out = buf.duplicate();
            out.flip();
            return out;
        }
    }

    static final class Reader {
        private final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf.duplicate();
        }

        short getShort() {
            return buf.getShort();
        }

        byte getByte() {
            return buf.get();
        }

        int getInt() {
            return buf.getInt();
        }

        long getLong() {
            return buf.getLong();
        }

        Uuid getUuid() {
            return new Uuid(buf.getLong(), buf.getLong());
        }

        String getString() {
            byte[] b = getBytes();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }

        byte[] getBytes() {
            int len = buf.getInt();
            if (len < 0) {
                return null;
            }
            byte[] b = new byte[len];
            buf.get(b);
            return b;
        }

        List<String> getStrings() {
            int n = buf.getInt();
            List<String> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(getString());
            }
            return list;
        }
    }
}
