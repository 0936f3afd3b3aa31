"""Records of every type with every field set, for the tests."""

import numpy as np


def image_frame():
    return {
        "imageId": "cam-1/000042",
        "sourceId": "cam-1",
        "captureTimeMs": 1_700_000_000_123,
        "sequence": 42,
        "batchId": "upload-7",
        "width": 3,
        "height": 2,
        "channels": 1,
        "pixelFormat": "GRAY8",
        "encoding": "RAW",
        "data": bytes([0, 1, 2, 250, 251, 255]),
        "attributes": {"lens": "35mm", "exposure": "1/250"},
    }


def feature_map_tile(data_type="FLOAT32_LE", values=None, w=3, h=2, c=1):
    if values is None:
        values = np.arange(w * h * c, dtype=np.float32) - 2.5
    dtype = {"FLOAT32_LE": "<f4", "FLOAT16_LE": "<f2", "INT16_LE": "<i2", "UINT8": "u1"}[data_type]
    return {
        "imageId": "cam-1/000042",
        "sourceId": "cam-1",
        "filter": "sobel",
        "tileIndex": 0,
        "tileCount": 1,
        "x": 0,
        "y": 0,
        "width": w,
        "height": h,
        "mapWidth": w,
        "mapHeight": h,
        "channels": c,
        "dataType": data_type,
        "data": np.asarray(values).astype(dtype).tobytes(),
        "captureTimeMs": 1_700_000_000_123,
        "sequence": 42,
        "scale": 1.0,
        "offset": 0.0,
    }


def edge_stats():
    return {
        "imageId": "cam-1/000042",
        "sourceId": "cam-1",
        "batchId": None,
        "sourceName": "board.jpg",
        "filter": "sobel",
        "inputWidth": 640,
        "inputHeight": 480,
        "mapWidth": 640,
        "mapHeight": 480,
        "channels": 1,
        "tileCount": 12,
        "pixelCount": 640 * 480,
        "min": 0.0,
        "max": 1442.5,
        "mean": 37.25,
        "stddev": 80.5,
        "meanAbs": 37.25,
        "edgeThreshold": 100.0,
        "edgeCount": 1234,
        "edgeFraction": 1234 / (640 * 480),
        "histogram": {"min": 0.0, "max": 1442.5, "counts": [300000, 7000, 200]},
        "orientationHistogram": [1, 2, 3, 4],
        "densityGrid": {"rows": 1, "cols": 2, "values": [0.25, 0.5]},
        "captureTimeMs": 1_700_000_000_123,
        "ingestTimeMs": 1_700_000_000_200,
        "completedTimeMs": 1_700_000_000_900,
    }


def dead_letter():
    return {
        "sourceTopic": "images",
        "sourcePartition": 1,
        "sourceOffset": 99,
        "sourceTimestampMs": 1_700_000_000_200,
        "key": b"cam-1",
        "imageId": None,
        "reason": "NOT_WIRE_FORMAT",
        "message": "not Avro",
        "failedAtMs": 1_700_000_000_300,
        "payload": b"\x00garbage",
        "originalSize": 8,
        "originalKeySize": 5,
        "payloadTruncated": False,
    }


RECORDS = {
    "ImageFrame": image_frame,
    "FeatureMapTile": feature_map_tile,
    "EdgeStats": edge_stats,
    "DeadLetter": dead_letter,
}
