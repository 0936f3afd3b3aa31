package io.edgestream.imaging.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.image.ImageF32;
import org.junit.jupiter.api.Test;

class MapAssemblerTest {

    @Test
    void assemblesTilesInAnyOrder() {
        MapAssembler a = new MapAssembler(3, 2, 1);
        a.add(2, 0, 1, 2, new float[] {3, 6});
        assertThat(a.isComplete()).isFalse();
        assertThat(a.missingPixels()).isEqualTo(4);
        a.add(0, 0, 2, 2, new float[] {1, 2, 4, 5});
        assertThat(a.isComplete()).isTrue();
        assertThat(a.result().toArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(a.tileCount()).isEqualTo(2);
    }

    @Test
    void keepsChannelsInterleaved() {
        MapAssembler a = new MapAssembler(2, 1, 2);
        a.add(1, 0, 1, 1, new float[] {3, 4});
        a.add(0, 0, 1, 1, new float[] {1, 2});
        assertThat(a.result().channels).isEqualTo(2);
        assertThat(a.result().toArray()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void rejectsADuplicateTileNamingBothRectangles() {
        TilePlan plan = TilePlan.plan(6, 6, 3, 3, ConvParams.DEFAULT, 2, 2);
        MapAssembler a = MapAssembler.forPlan(plan, 1);
        TileSpec t = plan.tile(1);
        a.add(t, new float[4]);
        assertThatThrownBy(() -> a.add(t, new float[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2,0 2x2] overlaps the earlier tile [2,0 2x2]")
                .hasMessageContaining("delivered twice");
    }

    @Test
    void rejectsAPartialOverlapAndLeavesTheMapUntouched() {
        MapAssembler a = new MapAssembler(4, 4, 1);
        a.add(0, 0, 2, 2, new float[] {1, 1, 1, 1});
        assertThatThrownBy(() -> a.add(1, 1, 2, 2, new float[] {9, 9, 9, 9}))
                .hasMessageContaining("overlaps the earlier tile [0,0 2x2] at pixel (1,1)");
        assertThat(a.missingPixels()).isEqualTo(12);
        a.add(2, 0, 2, 4, new float[8]);
        a.add(0, 2, 2, 2, new float[4]);
        assertThat(a.result().get(1, 1)).isEqualTo(1f);
    }

    @Test
    void rejectsTilesOutsideTheMapOrWithTheWrongLength() {
        MapAssembler a = new MapAssembler(4, 4, 2);
        assertThatThrownBy(() -> a.add(3, 0, 2, 1, new float[4]))
                .hasMessageContaining("outside the 4x4 map");
        assertThatThrownBy(() -> a.add(0, 0, 2, 1, new float[2]))
                .hasMessageContaining("needs 4 values (2 channels) but got 2");
        assertThatThrownBy(
                        () ->
                                a.add(
                                        new TileSpec(0, 0, 0, 0, 0, 1, 1, 0, 0, 3, 3),
                                        ImageF32.allocate(1, 1, 1)))
                .hasMessageContaining("should be 1x1x2");
    }

    @Test
    void resultOfAnIncompleteMapSaysWhatIsMissing() {
        MapAssembler a = new MapAssembler(2, 2, 1);
        a.add(0, 0, 2, 1, new float[2]);
        assertThatThrownBy(a::result)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 pixels missing, the first at (0,1)");
    }

    @Test
    void acceptsStridedTileViews() {
        ImageF32 big = ImageF32.wrap(new float[] {1, 2, 3, 4, 5, 6}, 3, 2, 1);
        MapAssembler a = new MapAssembler(2, 2, 1);
        a.add(new TileSpec(0, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2), big.view(1, 0, 2, 2));
        assertThat(a.result().toArray()).containsExactly(2, 3, 5, 6);
    }
}
