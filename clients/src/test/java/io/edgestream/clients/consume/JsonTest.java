package io.edgestream.clients.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.schemas.DensityGrid;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.Histogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesEverythingJsonRequires() {
        assertThat(Json.write("a\"b\\c\n\t\u0001/é\u2028"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001/é\\u2028\"");
    }

    @Test
    void writesNullsNumbersListsAndMaps() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", null);
        m.put("d", 0.5);
        m.put("nan", Double.NaN);
        m.put("l", List.of(1L, 2L));
        m.put("f", 0.25f);
        assertThat(Json.write(m))
                .isEqualTo("{\"n\":null,\"d\":0.5,\"nan\":null,\"l\":[1,2],\"f\":0.25}");
    }

    @Test
    void statsLinesUseTheSchemaFieldNamesWithoutUnionWrappers() {
        String line = StatsJson.line(sampleStats("cam-1/\"x\"", null));
        assertThat(line)
                .startsWith(
                        "{\"imageId\":\"cam-1/\\\"x\\\"\",\"sourceId\":\"cam-1\",\"batchId\":null,\"sourceName\":null,\"filter\":\"sobel\",")
                .contains("\"histogram\":{\"min\":-1.0,\"max\":1.0,\"counts\":[3,4]}")
                .contains("\"orientationHistogram\":null")
                .contains("\"densityGrid\":{\"rows\":1,\"cols\":2,\"values\":[0.5,0.25]}")
                .contains("\"edgeFraction\":0.125")
                .endsWith("\"completedTimeMs\":1300}")
                .doesNotContain("\n");
        for (org.apache.avro.Schema.Field f : EdgeStats.getClassSchema().getFields()) {
            assertThat(line).contains("\"" + f.name() + "\":");
        }
    }

    static EdgeStats sampleStats(String imageId, String batch) {
        return EdgeStats.newBuilder()
                .setImageId(imageId)
                .setSourceId("cam-1")
                .setBatchId(batch)
                .setFilter("sobel")
                .setInputWidth(10)
                .setInputHeight(8)
                .setMapWidth(8)
                .setMapHeight(6)
                .setChannels(1)
                .setTileCount(2)
                .setPixelCount(48)
                .setMin(-1)
                .setMax(1)
                .setMean(0)
                .setStddev(0.5)
                .setMeanAbs(0.25)
                .setEdgeThreshold(0.5)
                .setEdgeCount(6)
                .setEdgeFraction(0.125)
                .setHistogram(
                        Histogram.newBuilder()
                                .setMin(-1)
                                .setMax(1)
                                .setCounts(List.of(3L, 4L))
                                .build())
                .setOrientationHistogram(null)
                .setDensityGrid(
                        DensityGrid.newBuilder()
                                .setRows(1)
                                .setCols(2)
                                .setValues(List.of(0.5f, 0.25f))
                                .build())
                .setCaptureTimeMs(1000)
                .setIngestTimeMs(1100)
                .setCompletedTimeMs(1300)
                .build();
    }
}
