package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Random;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The payload stream behaves like the JDK's {@link MemoryCacheImageInputStream} (the reference it
 * replaces) under random reads, seeks, bit reads and byte orders; only its length differs (known
 * instead of -1).
 */
class ByteArrayImageInputStreamTest {

    @Property(tries = 300)
    void readsLikeTheJdkMemoryCacheStream(
            @ForAll @IntRange(min = 0, max = 3000) int size, @ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        byte[] data = new byte[size];
        rnd.nextBytes(data);
        try (ImageInputStream ours = new ByteArrayImageInputStream(data);
                ImageInputStream ref =
                        new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            for (int step = 0; step < 60; step++) {
                int op = rnd.nextInt(8);
                switch (op) {
                    case 0 -> assertThat(ours.read()).isEqualTo(ref.read());
                    case 1 -> {
                        int len = rnd.nextInt(200);
                        byte[] a = new byte[len + 3];
                        byte[] b = new byte[len + 3];
                        assertThat(ours.read(a, 3, len)).isEqualTo(ref.read(b, 3, len));
                        assertThat(a).isEqualTo(b);
                    }
                    case 2 -> {
                        long pos = rnd.nextInt(size + 10);
                        ours.seek(pos);
                        ref.seek(pos);
                    }
                    case 3 -> {
                        int bits = 1 + rnd.nextInt(20);
                        assertThat(outcome(() -> ours.readBits(bits)))
                                .isEqualTo(outcome(() -> ref.readBits(bits)));
                    }
                    case 4 -> {
                        ByteOrder order =
                                rnd.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                        ours.setByteOrder(order);
                        ref.setByteOrder(order);
                    }
                    case 5 -> assertThat(outcome(ours::readInt)).isEqualTo(outcome(ref::readInt));
                    case 6 -> {
                        int n = rnd.nextInt(50);
                        assertThat(ours.skipBytes(n)).isEqualTo(ref.skipBytes(n));
                    }
                    default ->
                            assertThat(outcome(ours::readUnsignedShort))
                                    .isEqualTo(outcome(ref::readUnsignedShort));
                }
                assertThat(ours.getStreamPosition()).isEqualTo(ref.getStreamPosition());
                assertThat(ours.getBitOffset()).isEqualTo(ref.getBitOffset());
            }
        }
    }

    @Test
    void knowsItsLength() throws IOException {
        try (ImageInputStream s = new ByteArrayImageInputStream(new byte[1234])) {
            assertThat(s.length()).isEqualTo(1234);
        }
    }

    private interface Read {
        long get() throws IOException;
    }

    /** The value read, or the end-of-stream as a marker (both streams must agree on which). */
    private static String outcome(Read r) throws IOException {
        try {
            return "value " + r.get();
        } catch (EOFException e) {
            return "EOF";
        }
    }
}
