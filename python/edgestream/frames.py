"""``ImageFrame`` records for Python producers (camera teams): from an image file, its bytes,
or a NumPy array.

An image file (PNG, JPEG, BMP, TIFF) is sent as it is, with its encoding and the width and
height read from its header (the job checks them against the file); ``channels`` is 0, "take
it from the header", as the Java producer does. A NumPy array is sent as RAW samples: HWC
interleaved, rows packed, multi-byte samples little-endian, with the pixel format its dtype and
shape say. Records are dicts in the current ``ImageFrame`` schema; :func:`encode_frame` turns
one into a Kafka value (single-object encoding), :func:`frame_key` gives its key (the source id,
so all frames of a camera share a partition, in order).
"""

import hashlib
import pathlib
import struct
import time

import numpy as np

from . import wire

#: RAW pixel formats: (dtype, channels) of each.
PIXEL_FORMATS = {
    "GRAY8": (np.dtype("u1"), 1),
    "GRAY16": (np.dtype("<u2"), 1),
    "RGB8": (np.dtype("u1"), 3),
    "RGBA8": (np.dtype("u1"), 4),
    "RGB16": (np.dtype("<u2"), 3),
    "FLOAT32": (np.dtype("<f4"), None),  # any channel count
}

#: File suffixes a folder push picks up: the encoded formats, and .npy arrays (sent RAW).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
ARRAY_SUFFIX = ".npy"


def sniff(data):
    """The ImageEncoding of an image file's bytes by their first bytes (PNG, JPEG, BMP, TIFF,
    as the job's decoder tells them apart), or ``None``."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data[:2] == b"BM":
        return "BMP"
    return None


def image_size(data, encoding=None):
    """``(width, height)`` from an image file's header, without decoding it."""
    encoding = encoding or sniff(data)
    try:
        if encoding == "PNG":
            if data[12:16] != b"IHDR":
                raise ValueError("no IHDR chunk after the signature")
            return struct.unpack_from(">II", data, 16)
        if encoding == "JPEG":
            return _jpeg_size(data)
        if encoding == "BMP":
            header = struct.unpack_from("<I", data, 14)[0]
            if header == 12:
                return struct.unpack_from("<HH", data, 18)
            w, h = struct.unpack_from("<ii", data, 18)
            return w, abs(h)  # a negative height means rows top-down
        if encoding == "TIFF":
            return _tiff_size(data)
    except struct.error as e:
        raise ValueError(f"the {encoding} header is truncated ({len(data)} bytes)") from e
    raise ValueError(
        f"not a PNG, JPEG, BMP or TIFF file (it starts with {bytes(data[:4]).hex(' ')})"
    )


# JPEG start-of-frame markers: C0-CF except DHT (C4), JPG (C8) and DAC (CC).
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(b):
    i = 2
    while i + 4 <= len(b):
        if b[i] != 0xFF:
            raise ValueError(f"JPEG marker expected at byte {i}, found {b[i]:02x}")
        marker = b[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # no length
            i += 2
            continue
        if marker in (0xD9, 0xDA):
            break
        length = struct.unpack_from(">H", b, i + 2)[0]
        if marker in _SOF:
            h, w = struct.unpack_from(">HH", b, i + 5)
            if h == 0:
                raise ValueError("JPEG height 0 (defined later by a DNL marker) is not supported")
            return w, h
        i += 2 + length
    raise ValueError("no JPEG start-of-frame marker before the image data")


def _tiff_size(b):
    order = "<" if b[:2] == b"II" else ">"
    ifd = struct.unpack_from(order + "I", b, 4)[0]
    count = struct.unpack_from(order + "H", b, ifd)[0]
    size = {}
    for n in range(count):
        tag, kind, _ = struct.unpack_from(order + "HHI", b, ifd + 2 + 12 * n)
        if tag in (256, 257):
            fmt = {3: "H", 4: "I"}.get(kind)
            if fmt is None:
                raise ValueError(f"TIFF tag {tag} has type {kind}, expected SHORT or LONG")
            size[tag] = struct.unpack_from(order + fmt, b, ifd + 2 + 12 * n + 8)[0]
    if 256 not in size or 257 not in size:
        raise ValueError("the first TIFF directory has no ImageWidth and ImageLength")
    return size[256], size[257]


def content_id(data):
    """The first 16 hex digits of the SHA-256 of ``data``: the stable part of an image id, as
    the Java producer (``produce-images``) makes it."""
    return hashlib.sha256(data).hexdigest()[:16]


def _frame(image_id, source_id, sequence, capture_time_ms, batch_id, w, h, c, pf, enc, data, attrs):
    if not image_id or not source_id:
        raise ValueError("imageId and sourceId must be non-empty")
    return {
        "imageId": image_id,
        "sourceId": source_id,
        "captureTimeMs": int(capture_time_ms),
        "sequence": int(sequence),
        "batchId": batch_id,
        "width": int(w),
        "height": int(h),
        "channels": int(c),
        "pixelFormat": pf,
        "encoding": enc,
        "data": bytes(data),
        "attributes": dict(attrs or {}),
    }


def frame_from_bytes(
    data,
    *,
    source_id,
    image_id=None,
    sequence=0,
    capture_time_ms=None,
    batch_id=None,
    attributes=None,
):
    """An ImageFrame of an image file's bytes, sent as they are.

    Defaults: ``image_id`` ``<source_id>/<content_id(data)>`` (as the Java producer),
    ``capture_time_ms`` now.
    """
    data = bytes(data)
    encoding = sniff(data)
    if encoding is None:
        raise ValueError(
            f"not a PNG, JPEG, BMP or TIFF file (it starts with {data[:4].hex(' ')}); send pixels"
            " as a NumPy array with frame_from_array"
        )
    w, h = image_size(data, encoding)
    if w <= 0 or h <= 0:
        raise ValueError(f"the {encoding} header says {w}x{h}: not an image")
    return _frame(
        image_id or f"{source_id}/{content_id(data)}",
        source_id,
        sequence,
        _now_ms() if capture_time_ms is None else capture_time_ms,
        batch_id,
        w,
        h,
        0,  # "take it from the header": the job's decoder has the last word
        None,
        encoding,
        data,
        attributes,
    )


def frame_from_file(path, **kwargs):
    """An ImageFrame of an image file (PNG, JPEG, BMP, TIFF) sent as it is; a ``.npy`` file is
    loaded and sent as RAW (see :func:`frame_from_array`). Defaults as
    :func:`frame_from_bytes`, except ``capture_time_ms``: the file's modification time; the
    attribute ``file`` is the file name."""
    path = pathlib.Path(path)
    attrs = {"file": path.name}
    attrs.update(kwargs.pop("attributes", None) or {})
    if kwargs.get("capture_time_ms") is None:
        kwargs["capture_time_ms"] = int(path.stat().st_mtime * 1000)
    if path.suffix.lower() == ARRAY_SUFFIX:
        return frame_from_array(np.load(path, allow_pickle=False), attributes=attrs, **kwargs)
    return frame_from_bytes(path.read_bytes(), attributes=attrs, **kwargs)


def pixel_format_of(array):
    """The RAW pixel format for ``array``'s dtype and shape: uint8 (h, w) or (h, w, 1) GRAY8,
    (h, w, 3) RGB8, (h, w, 4) RGBA8; uint16 GRAY16 or RGB16; float32 FLOAT32 (any channels)."""
    a = np.asarray(array)
    c = 1 if a.ndim == 2 else (a.shape[2] if a.ndim == 3 else None)
    kind = a.dtype.kind + str(a.dtype.itemsize)
    table = {
        ("u1", 1): "GRAY8",
        ("u1", 3): "RGB8",
        ("u1", 4): "RGBA8",
        ("u2", 1): "GRAY16",
        ("u2", 3): "RGB16",
    }
    if c is not None and (kind, c) in table:
        return table[(kind, c)]
    if c is not None and kind == "f4":
        return "FLOAT32"
    raise ValueError(
        f"no RAW pixel format for a {a.dtype} array of shape {a.shape}: use (h, w) or (h, w, c)"
        " uint8 (c = 1, 3, 4), uint16 (c = 1, 3) or float32"
    )


def frame_from_array(
    array,
    *,
    source_id,
    image_id=None,
    pixel_format=None,
    sequence=0,
    capture_time_ms=None,
    batch_id=None,
    attributes=None,
):
    """An ImageFrame of a NumPy array's pixels, encoding RAW.

    ``pixel_format`` defaults to :func:`pixel_format_of`; given, it must agree with the array.
    Defaults: ``image_id`` ``<source_id>/<16 hex digits of the SHA-256 of format, shape and
    samples>``, ``capture_time_ms`` now.
    """
    a = np.asarray(array)
    pf = pixel_format or pixel_format_of(a)
    if pf not in PIXEL_FORMATS:
        raise ValueError(f"unknown pixel format {pf!r}; known: {', '.join(PIXEL_FORMATS)}")
    dtype, channels = PIXEL_FORMATS[pf]
    if a.ndim == 2:
        a = a[:, :, np.newaxis]
    if a.ndim != 3 or a.dtype.kind != dtype.kind or a.dtype.itemsize != dtype.itemsize:
        raise ValueError(f"a {a.dtype} array of shape {np.shape(array)} is not {pf} pixels")
    h, w, c = a.shape
    if channels is not None and c != channels:
        raise ValueError(f"{pf} has {channels} channels, the array has {c}")
    if h <= 0 or w <= 0 or c <= 0:
        raise ValueError(f"an array of shape {np.shape(array)} has no pixels")
    data = np.ascontiguousarray(a, dtype=dtype).tobytes()
    if image_id is None:
        image_id = f"{source_id}/{content_id(f'{pf}:{h}x{w}x{c}:'.encode() + data)}"
    return _frame(
        image_id,
        source_id,
        sequence,
        _now_ms() if capture_time_ms is None else capture_time_ms,
        batch_id,
        w,
        h,
        c,
        pf,
        "RAW",
        data,
        attributes,
    )


def encode_frame(frame, wire_format=wire.SINGLE_OBJECT, schema_id=None):
    """The Kafka value of an ImageFrame dict (single-object encoding by default)."""
    return wire.encode("ImageFrame", frame, wire_format, schema_id)


def frame_key(frame):
    """The Kafka key of an ImageFrame: its sourceId, UTF-8 (every frame of a source lands in
    one partition, in order)."""
    return frame["sourceId"].encode("utf-8")


def image_files(folder):
    """The files a folder push sends: images (by suffix, any case) and ``.npy`` arrays, sorted
    by name; subfolders are not entered."""
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a directory")
    wanted = IMAGE_SUFFIXES + (ARRAY_SUFFIX,)
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in wanted)


def _now_ms():
    return int(time.time() * 1000)
