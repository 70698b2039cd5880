package io.tributary.core.network;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class FrameDecoderTest {

    private final List<Integer> sizes = new ArrayList<>();
    private final List<String> frames = new ArrayList<>();
    /** Every read fed to a decoder and every frame it handed on: all must end released. */
    private final List<ByteBuf> buffers = new ArrayList<>();
    private OutOfMemoryError outOfMemory;
    private Consumer<String> onFrame = text -> { };

    /** A decoder that records every size it is asked about and every frame, refusing sizes above {@code max}. */
    private FrameDecoder decoder(int max) {
        return decoder(max, UnpooledByteBufAllocator.DEFAULT);
    }

    private FrameDecoder decoder(int max, ByteBufAllocator allocator) {
        return new FrameDecoder(allocator, new FrameDecoder.Sink() {
            @Override
            public boolean acceptSize(int size) {
                sizes.add(size);
                return size <= max;
            }

            @Override
            public void frame(ByteBuf frame) {
                buffers.add(frame);
                String text = frame.toString(StandardCharsets.UTF_8);
                frames.add(text);
                frame.release();
                onFrame.accept(text);
            }

            @Override
            public void outOfMemory(int size, OutOfMemoryError error) {
                outOfMemory = error;
            }
        });
    }

    /** Size-prefixed frames in one direct buffer, as Netty hands a read over. */
    private ByteBuf stream(String... bodies) {
        ByteBuf b = Unpooled.directBuffer();
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            b.writeInt(bytes.length).writeBytes(bytes);
        }
        buffers.add(b);
        return b;
    }

    private ByteBuf copy(ByteBuf all, int from, int to) {
        ByteBuf chunk = Unpooled.directBuffer(to - from).writeBytes(all, from, to - from);
        buffers.add(chunk);
        return chunk;
    }

    private void assertAllReleased() {
        assertThat(buffers).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void severalFramesInOneReadComeOutInOrder() {
        decoder(Integer.MAX_VALUE).receive(stream("first", "second", "x"));
        assertThat(frames).containsExactly("first", "second", "x");
        assertThat(sizes).containsExactly(5, 6, 1);
        assertAllReleased();
    }

    @Test
    void framesCutAtEveryPossiblePlaceComeOutWhole() {
        ByteBuf all = stream("alpha", "a frame long enough to span several reads", "z");
        for (int chunk = 1; chunk <= all.readableBytes(); chunk++) {
            frames.clear();
            FrameDecoder fresh = decoder(Integer.MAX_VALUE);
            for (int pos = 0; pos < all.readableBytes(); pos += chunk) {
                fresh.receive(copy(all, pos, Math.min(all.readableBytes(), pos + chunk)));
            }
            assertThat(frames).as("reads of %d bytes", chunk)
                    .containsExactly("alpha", "a frame long enough to span several reads", "z");
        }
        all.release();
        assertAllReleased();
    }

    @Test
    void aFrameSlicedFromAReadKeepsItsBytesUntilReleased() {
        List<ByteBuf> kept = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(UnpooledByteBufAllocator.DEFAULT, new FrameDecoder.Sink() {
            @Override
            public boolean acceptSize(int size) {
                return true;
            }

            @Override
            public void frame(ByteBuf frame) {
                kept.add(frame);
            }

            @Override
            public void outOfMemory(int size, OutOfMemoryError error) {
            }
        });
        ByteBuf read = stream("one", "two");
        decoder.receive(read);
        decoder.receive(stream("three"));
        assertThat(kept).extracting(f -> f.toString(StandardCharsets.UTF_8)).containsExactly("one", "two", "three");
        assertThat(read.refCnt()).as("the read is held by its frames").isPositive();
        kept.forEach(ByteBuf::release);
        assertAllReleased();
    }

    @Test
    void aRefusedSizeStopsTheDecoder() {
        FrameDecoder decoder = decoder(5);
        decoder.receive(stream("ok", "too long", "never"));
        decoder.receive(stream("nor this"));
        assertThat(frames).containsExactly("ok");
        assertThat(sizes).containsExactly(2, 8);
        assertAllReleased();
    }

    @Test
    void whilePausedNothingIsHandedOnAndResumeContinuesInOrder() {
        FrameDecoder decoder = decoder(Integer.MAX_VALUE);
        onFrame = text -> {
            if (text.equals("a")) {
                decoder.pause();
            }
        };
        decoder.receive(stream("a", "b"));
        decoder.receive(stream("c"));
        assertThat(frames).containsExactly("a");
        decoder.resume();
        assertThat(frames).containsExactly("a", "b", "c");
        assertAllReleased();
    }

    @Test
    void aPauseAndResumeWithinAFrameKeepsTheOrder() {
        FrameDecoder decoder = decoder(Integer.MAX_VALUE);
        decoder.pause();
        decoder.receive(stream("a", "b"));
        decoder.receive(stream("c"));
        // A request answered at once: the sink pauses at its in-flight limit and resumes as it answers.
        onFrame = text -> {
            decoder.pause();
            decoder.resume();
        };
        decoder.resume();
        assertThat(frames).containsExactly("a", "b", "c");
        assertAllReleased();
    }

    @Test
    void closeReleasesAHalfGatheredFrameAndWhatWaits() {
        FrameDecoder decoder = decoder(Integer.MAX_VALUE);
        ByteBuf all = stream("a frame that never arrives whole");
        decoder.receive(copy(all, 0, 10));
        decoder.pause();
        decoder.receive(stream("waiting"));
        decoder.close();
        decoder.receive(stream("after close"));
        all.release();
        assertThat(frames).isEmpty();
        assertAllReleased();
    }

    @Test
    void noMemoryForAFrameStopsTheDecoderAndTellsTheSink() {
        ByteBufAllocator full = new AbstractByteBufAllocator(true) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return Unpooled.buffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct buffer memory");
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
        FrameDecoder decoder = decoder(Integer.MAX_VALUE, full);
        ByteBuf all = stream("whole", "a frame split over reads");
        decoder.receive(copy(all, 0, 16));
        decoder.receive(copy(all, 16, all.readableBytes()));
        all.release();
        assertThat(frames).containsExactly("whole");
        assertThat(outOfMemory).hasMessageContaining("24 bytes");
        assertAllReleased();
    }
}
