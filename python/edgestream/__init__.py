"""edgestream: Python producers and readers for the edgestream pipeline.

Decode and encode the pipeline's Kafka records (Avro single-object encoding or schema-registry
framing), turn feature-map tiles into NumPy arrays and whole maps, push images, and read maps
with their statistics. See python/README.md for the API and examples.
"""

from .frames import (
    encode_frame,
    frame_from_array,
    frame_from_bytes,
    frame_from_file,
    frame_key,
)
from .kafka import DeadLetter, EdgeMap, EdgeReader, FrameProducer, push_folder
from .maps import Eviction, FeatureMap, MapAssembler, assemble, tile_array, tile_samples
from .registry import RegistryError, SchemaRegistry
from .wire import Codec, Decoded, WireFormatError, decode, encode

__version__ = "0.1.0"

__all__ = [
    "Codec",
    "DeadLetter",
    "Decoded",
    "EdgeMap",
    "EdgeReader",
    "Eviction",
    "FeatureMap",
    "FrameProducer",
    "MapAssembler",
    "RegistryError",
    "SchemaRegistry",
    "WireFormatError",
    "assemble",
    "decode",
    "encode",
    "encode_frame",
    "frame_from_array",
    "frame_from_bytes",
    "frame_from_file",
    "frame_key",
    "push_folder",
    "tile_array",
    "tile_samples",
]
