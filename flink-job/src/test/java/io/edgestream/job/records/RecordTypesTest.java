package io.edgestream.job.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.edgestream.imaging.stats.EdgeStatsPartial;
import io.edgestream.job.functions.MergeStats;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** Everything that crosses an operator boundary or sits in state is a Flink POJO, never Kryo. */
class RecordTypesTest {

    @Test
    void shouldSerializeEveryRecordAndStateTypeWithoutGenericTypes() {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        for (Class<?> c :
                List.of(
                        InputRecord.class,
                        TileTask.class,
                        MapTile.class,
                        TileStats.class,
                        EdgeStatsRecord.class,
                        DeadLetterRecord.class,
                        EdgeStatsPartial.class,
                        MergeStats.ImageProgress.class,
                        MergeStats.FilterProgress.class)) {
            TypeInformation<?> t = TypeInformation.of(c);
            assertThat(t).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            assertThatCode(() -> t.createSerializer(noKryo))
                    .as(c.getSimpleName() + " must not need Kryo")
                    .doesNotThrowAnyException();
        }
    }
}
