package io.edgestream.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.job.EdgeJobOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobDefaultsTest {

    @Test
    void shouldBeTheEdgeJobsOwnDefaults() {
        assertThat(JobDefaults.FILTERS).isEqualTo(EdgeJobOptions.FILTERS.defaultValue());
        assertThat(String.valueOf(JobDefaults.TILE_SIZE))
                .isEqualTo(EdgeJobOptions.TILE_SIZE.defaultValue());
    }

    @Test
    void shouldNameTheFiltersAndFindTheTileSize() {
        assertThat(JobDefaults.filterNames(null))
                .containsExactly("vertical", "horizontal", "sobel");
        assertThat(JobDefaults.filterNames("sobel|ridge=0,-1,0;-1,4,-1;0,-1,0"))
                .containsExactly("sobel", "ridge");
        assertThat(JobDefaults.tileSize(List.of("--kafka.linger.ms", "5", "--tile.size", "128")))
                .isEqualTo(128);
        assertThat(JobDefaults.tileSize(List.of())).isEqualTo(256);
    }
}
