package io.tributary.core.network;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameDecoderTest {

    private final List<Integer> sizes = new ArrayList<>();
    private final List<Buffer> frames = new ArrayList<>();

    /** A decoder that records every size it is asked about and every frame, refusing sizes above {@code max}. */
    private FrameDecoder decoder(int max) {
        return new FrameDecoder(new FrameDecoder.Sink() {
            @Override
            public boolean acceptSize(int size) {
                sizes.add(size);
                return size <= max;
            }

            @Override
            public void frame(Buffer frame) {
                frames.add(frame);
            }
        });
    }

    private List<String> texts() {
        return frames.stream().map(b -> b.toString(StandardCharsets.UTF_8)).toList();
    }

    private static Buffer stream(String... bodies) {
        Buffer b = Buffer.buffer();
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            b.appendInt(bytes.length).appendBytes(bytes);
        }
        return b;
    }

    @Test
    void severalFramesInOneChunkComeOutInOrder() {
        decoder(Integer.MAX_VALUE).handle(stream("first", "second", "x"));
        assertThat(texts()).containsExactly("first", "second", "x");
        assertThat(sizes).containsExactly(5, 6, 1);
    }

    @Test
    void framesCutAtEveryPossiblePlaceComeOutWhole() {
        Buffer all = stream("alpha", "a frame long enough to span several chunks", "z");
        for (int chunk = 1; chunk <= all.length(); chunk++) {
            frames.clear();
            FrameDecoder fresh = decoder(Integer.MAX_VALUE);
            for (int pos = 0; pos < all.length(); pos += chunk) {
                fresh.handle(all.slice(pos, Math.min(all.length(), pos + chunk)).copy());
            }
            assertThat(texts()).as("chunks of %d bytes", chunk)
                    .containsExactly("alpha", "a frame long enough to span several chunks", "z");
        }
    }

    @Test
    void aFrameSlicedFromAChunkKeepsItsBytesWhenMoreChunksArrive() {
        FrameDecoder decoder = decoder(Integer.MAX_VALUE);
        decoder.handle(stream("one"));
        decoder.handle(stream("two"));
        assertThat(texts()).containsExactly("one", "two");
    }

    @Test
    void aRefusedSizeStopsTheDecoder() {
        FrameDecoder decoder = decoder(5);
        decoder.handle(stream("ok", "too long", "never"));
        decoder.handle(stream("nor this"));
        assertThat(texts()).containsExactly("ok");
        assertThat(sizes).containsExactly(2, 8);
    }
}
