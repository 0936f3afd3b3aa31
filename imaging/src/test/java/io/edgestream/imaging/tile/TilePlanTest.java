package io.edgestream.imaging.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.conv.BorderMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.imaging.filter.LinearFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.kernel.Kernel;
import java.util.List;
import org.junit.jupiter.api.Test;

class TilePlanTest {
    private static final ConvParams VALID = ConvParams.DEFAULT;
    private static final ConvParams SAME = ConvParams.DEFAULT.withPadding(Padding.SAME);

    @Test
    void validPlanCountsTilesAndShrinksTheLastRowAndColumn() {
        // 10x7 image, 3x3 filter: output 8x5; tiles of 3x2 -> widths 3,3,2 and heights 2,2,1.
        TilePlan plan = TilePlan.plan(10, 7, 3, 3, VALID, 3, 2);
        assertThat(plan.outputWidth()).isEqualTo(8);
        assertThat(plan.outputHeight()).isEqualTo(5);
        assertThat(plan.tilesX()).isEqualTo(3);
        assertThat(plan.tilesY()).isEqualTo(3);
        assertThat(plan.tiles()).hasSize(9);
        assertThat(plan.isEmpty()).isFalse();
        for (int i = 0; i < 9; i++) {
            assertThat(plan.tile(i).index()).isEqualTo(i);
            assertThat(plan.tile(i).col()).isEqualTo(i % 3);
            assertThat(plan.tile(i).row()).isEqualTo(i / 3);
        }
        assertThat(plan.tile(0)).isEqualTo(new TileSpec(0, 0, 0, 0, 0, 3, 2, 0, 0, 5, 4));
        // The halo is f-1 = 2 extra columns/rows after the tile's own input pixels.
        assertThat(plan.tile(1)).isEqualTo(new TileSpec(1, 1, 0, 3, 0, 3, 2, 3, 0, 5, 4));
        assertThat(plan.tile(8)).isEqualTo(new TileSpec(8, 2, 2, 6, 4, 2, 1, 6, 4, 4, 3));
        // The last window ends exactly at the image edge.
        TileSpec last = plan.tile(2, 2);
        assertThat(last.inX() + last.inW()).isEqualTo(10);
        assertThat(last.inY() + last.inH()).isEqualTo(7);
        for (TileSpec t : plan.tiles()) {
            assertThat(t.windowInside(10, 7)).isTrue();
        }
    }

    @Test
    void sameHalosExtendOutsideTheImageOnlyAtItsBorders() {
        TilePlan plan = TilePlan.plan(6, 6, 3, 3, SAME, 3, 3);
        assertThat(plan.outputWidth()).isEqualTo(6);
        assertThat(plan.tilesX()).isEqualTo(2);
        assertThat(plan.tile(0)).isEqualTo(new TileSpec(0, 0, 0, 0, 0, 3, 3, -1, -1, 5, 5));
        assertThat(plan.tile(3)).isEqualTo(new TileSpec(3, 1, 1, 3, 3, 3, 3, 2, 2, 5, 5));
        assertThat(plan.tile(3).inX() + plan.tile(3).inW()).isEqualTo(7);
        // An interior tile of a larger image needs only real pixels.
        TilePlan big = TilePlan.plan(9, 9, 3, 3, SAME, 3, 3);
        assertThat(big.tile(1, 1).windowInside(9, 9)).isTrue();
        assertThat(big.tile(0, 0).windowInside(9, 9)).isFalse();
    }

    @Test
    void evenFiltersPutTheExtraSamePixelAfter() {
        // 4x2 filter (rows x cols): padBefore (4-1)/2=1 rows, 0 cols; padAfter 2 rows, 1 col.
        TilePlan plan = TilePlan.plan(5, 5, 4, 2, SAME, 5, 5);
        TileSpec t = plan.tile(0);
        assertThat(t.inX()).isEqualTo(0);
        assertThat(t.inY()).isEqualTo(-1);
        assertThat(t.inX() + t.inW()).isEqualTo(5 + 1);
        assertThat(t.inY() + t.inH()).isEqualTo(5 + 2);
    }

    @Test
    void strideSpacesWindowsByStrideTimesTileWidth() {
        // 9x9, 3x3, stride 2 VALID: output 4x4; tiles of 3 -> widths 3 and 1.
        TilePlan plan = TilePlan.plan(9, 9, 3, 3, VALID.withStride(2), 3, 3);
        assertThat(plan.outputWidth()).isEqualTo(4);
        assertThat(plan.tilesX()).isEqualTo(2);
        assertThat(plan.tile(0).inW()).isEqualTo(7);
        assertThat(plan.tile(1)).isEqualTo(new TileSpec(1, 1, 0, 3, 0, 1, 3, 6, 0, 3, 7));
        // SAME, stride 3 on 10 pixels: ceil(10/3) = 4 outputs.
        TilePlan same = TilePlan.plan(10, 10, 3, 3, SAME.withStride(3), 2, 2);
        assertThat(same.outputWidth()).isEqualTo(4);
        assertThat(same.tile(1, 0).inX()).isEqualTo(2 * 3 - 1);
    }

    @Test
    void validImageSmallerThanTheFilterGivesAnEmptyPlan() {
        TilePlan plan = TilePlan.plan(2, 10, 3, 3, VALID, 8, 8);
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.outputWidth()).isZero();
        assertThat(plan.tiles()).isEmpty();
        assertThat(plan.tilesX()).isZero();
        assertThat(plan.tilesY()).isZero();
        // SAME always has output.
        assertThat(TilePlan.plan(2, 10, 3, 3, SAME, 8, 8).isEmpty()).isFalse();
    }

    @Test
    void forFiltersRequiresOneKernelSize() {
        Filter five = new LinearFilter("box5", new Kernel("box5", 5, 5, 1, new float[25]));
        List<Filter> mixed = List.of(Filters.parse("sobel"), five);
        assertThatThrownBy(() -> TilePlan.forFilters(10, 10, mixed, VALID, 4, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3x3")
                .hasMessageContaining("5x5")
                .hasMessageContaining("Filters.groupBySize");
        TilePlan plan =
                TilePlan.forFilters(10, 10, Filters.parseList("sobel|laplacian"), VALID, 4, 4);
        assertThat(plan.filterRows()).isEqualTo(3);
        assertThat(plan.outputWidth()).isEqualTo(8);
        assertThat(Filters.groupBySize(mixed)).containsOnlyKeys("3x3", "5x5");
    }

    @Test
    void rejectsBadArgumentsWithClearMessages() {
        assertThatThrownBy(() -> TilePlan.plan(10, 10, 3, 3, VALID, 0, 4))
                .hasMessageContaining("tile size");
        assertThatThrownBy(() -> TilePlan.plan(0, 10, 3, 3, VALID, 4, 4))
                .hasMessageContaining("empty image");
        assertThatThrownBy(() -> TilePlan.plan(5000, 5000, 3, 3, VALID, 1, 1))
                .hasMessageContaining("use larger tiles");
        TilePlan plan = TilePlan.plan(10, 10, 3, 3, VALID, 4, 4);
        assertThatThrownBy(() -> plan.tile(9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> plan.extract(ImageF32.allocate(9, 10, 1), plan.tile(0)))
                .hasMessageContaining("9x10");
    }

    @Test
    void extractFillsTheHaloFromTheBorderModeAtTheImageCorner() {
        ImageF32 img = ImageF32.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3, 1);
        TilePlan replicate =
                TilePlan.plan(3, 3, 3, 3, SAME.withBorder(BorderMode.REPLICATE, 0), 2, 2);
        ImageF32 w = replicate.extract(img, replicate.tile(0));
        assertThat(w.isCompact()).isTrue();
        assertThat(w.width).isEqualTo(4);
        assertThat(w.toArray()).containsExactly(1, 1, 2, 3, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9);
        TilePlan constant =
                TilePlan.plan(3, 3, 3, 3, SAME.withBorder(BorderMode.CONSTANT, 7.5f), 2, 2);
        ImageF32 c = constant.extract(img, constant.tile(3));
        // Tile (1,1) covers output (2,2): window [1,3] x [1,3], the last row/column outside.
        assertThat(c.toArray()).containsExactly(5, 6, 7.5f, 8, 9, 7.5f, 7.5f, 7.5f, 7.5f);
        // Inside the image the window is a compact copy, not a view on the image.
        TilePlan valid = TilePlan.plan(3, 3, 2, 2, VALID, 1, 1);
        ImageF32 v = valid.extract(img, valid.tile(3));
        assertThat(v.isCompact()).isTrue();
        assertThat(v.toArray()).containsExactly(5, 6, 8, 9);
    }
}
