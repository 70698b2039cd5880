package io.tributary.core.network;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameDecoderTest {

    private final List<Integer> sizes = new ArrayList<>();
    private final List<String> frames = new ArrayList<>();
    private int refuseAbove = Integer.MAX_VALUE;

    private final FrameDecoder decoder = new FrameDecoder(new FrameDecoder.Sink() {
        @Override
        public boolean acceptSize(int size) {
            sizes.add(size);
            return size <= refuseAbove;
        }

        @Override
        public void frame(Buffer frame) {
            frames.add(frame.toString(StandardCharsets.UTF_8));
        }
    });

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
        decoder.handle(stream("first", "second", "x"));
        assertThat(frames).containsExactly("first", "second", "x");
        assertThat(sizes).containsExactly(5, 6, 1);
    }

    @Test
    void framesCutAtEveryPossiblePlaceComeOutWhole() {
        Buffer all = stream("alpha", "a frame long enough to span several chunks", "z");
        for (int chunk = 1; chunk <= all.length(); chunk++) {
            frames.clear();
            FrameDecoder fresh = new FrameDecoder(new FrameDecoder.Sink() {
                @Override
                public boolean acceptSize(int size) {
                    return true;
                }

                @Override
                public void frame(Buffer frame) {
                    frames.add(frame.toString(StandardCharsets.UTF_8));
                }
            });
            for (int pos = 0; pos < all.length(); pos += chunk) {
                fresh.handle(all.slice(pos, Math.min(all.length(), pos + chunk)).copy());
            }
            assertThat(frames).as("chunks of %d bytes", chunk)
                    .containsExactly("alpha", "a frame long enough to span several chunks", "z");
        }
    }

    @Test
    void aFrameSlicedFromAChunkKeepsItsBytesWhenMoreChunksArrive() {
        List<Buffer> kept = new ArrayList<>();
        FrameDecoder keeping = new FrameDecoder(new FrameDecoder.Sink() {
            @Override
            public boolean acceptSize(int size) {
                return true;
            }

            @Override
            public void frame(Buffer frame) {
                kept.add(frame);
            }
        });
        keeping.handle(stream("one"));
        keeping.handle(stream("two"));
        assertThat(kept).extracting(b -> b.toString(StandardCharsets.UTF_8)).containsExactly("one", "two");
    }

    @Test
    void aRefusedSizeStopsTheDecoder() {
        refuseAbove = 5;
        decoder.handle(stream("ok", "too long", "never"));
        decoder.handle(stream("nor this"));
        assertThat(frames).containsExactly("ok");
        assertThat(sizes).containsExactly(2, 8);
    }
}
