package io.edgestream.job.functions;

import io.edgestream.job.records.TileTask;
import org.apache.flink.api.common.functions.Partitioner;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Sends the tiles of one image to all convolution subtasks in turn (tile {@code i} of an image to
 * subtask {@code (start + i) mod n}, the start depending on the image), so a large image is
 * convolved by every slot at once rather than by one. Deterministic, unlike {@code rebalance()},
 * which also makes the spread testable. Only images of at least {@code tiles.spread.min} tiles come
 * this way; smaller ones stay in the decoding task ({@link DecodeAndTile#LOCAL_TILES}).
 */
public class TileSpreader implements Partitioner<Integer>, KeySelector<TileTask, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public int partition(Integer routingKey, int numPartitions) {
        return Math.floorMod(routingKey, numPartitions);
    }

    @Override
    public Integer getKey(TileTask task) {
        return task.routingKey;
    }
}
