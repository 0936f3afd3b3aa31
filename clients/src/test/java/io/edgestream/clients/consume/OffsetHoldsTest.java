package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The commit points of a consumer group: never past a record of a map that is not written. */
class OffsetHoldsTest {

    @Test
    void aPartitionIsSafeUpToItsFirstRecordOfAMapNotWrittenAcrossPartitions() {
        OffsetHolds<String> h = new OffsetHolds<>();
        // Map A: tiles on maps-0 at 3 and 7, stats on stats-1 at 2; map B: a tile on maps-0 at 5.
        h.hold("maps-0", 3, "A");
        h.hold("maps-0", 5, "B");
        h.hold("maps-0", 7, "A");
        h.hold("stats-1", 2, "A");
        assertThat(h.safe("maps-0", 10)).isEqualTo(3);
        assertThat(h.safe("stats-1", 4)).isEqualTo(2);
        assertThat(h.safe("maps-2", 6)).as("nothing held: the position").isEqualTo(6);

        h.release("A");
        assertThat(h.safe("maps-0", 10)).as("B still waits at 5").isEqualTo(5);
        assertThat(h.safe("stats-1", 4)).isEqualTo(4);
        h.release("B");
        h.release("B");
        assertThat(h.safe("maps-0", 10)).isEqualTo(10);
        assertThat(h.keys()).isZero();
    }

    @Test
    void theSafeOffsetIsNeverBeyondThePosition() {
        OffsetHolds<String> h = new OffsetHolds<>();
        h.hold("p", 9, "A");
        assertThat(h.safe("p", 4)).isEqualTo(4);
        assertThat(h.firstHeld("p")).hasValue(9);
        assertThat(h.firstHeld("q")).isEmpty();
    }
}
