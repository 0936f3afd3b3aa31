"""ImageFrames from files, bytes and arrays: encoding, size, pixel format, bytes, ids."""

import os
import struct
import zlib

import numpy as np
import pytest

import edgestream
from conftest import REPO
from edgestream import frames


def png(width, height):
    """A valid 8-bit grey PNG, built by hand."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(width) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def bmp(width, height, top_down=False):
    row = (width * 3 + 3) & ~3
    info = struct.pack("<IiiHHIIiiII", 40, width, -height if top_down else height, 1, 24, 0,
                       row * height, 2835, 2835, 0, 0)
    pixels = bytes(row * height)
    return b"BM" + struct.pack("<IHHI", 14 + 40 + len(pixels), 0, 0, 54) + info + pixels


def tiff(width, height, order="<", kind=3):
    magic = b"II*\x00" if order == "<" else b"MM\x00*"
    fmt = "H" if kind == 3 else "I"
    def entry(tag, value):
        packed = struct.pack(order + fmt, value).ljust(4, b"\x00")
        return struct.pack(order + "HHI", tag, kind, 1) + packed
    ifd = struct.pack(order + "H", 2) + entry(256, width) + entry(257, height) + bytes(4)
    return magic + struct.pack(order + "I", 8) + ifd


@pytest.mark.parametrize(
    "data,encoding,size",
    [
        (png(17, 5), "PNG", (17, 5)),
        (bmp(6, 4), "BMP", (6, 4)),
        (bmp(6, 4, top_down=True), "BMP", (6, 4)),
        (tiff(300, 70000, "<", 4), "TIFF", (300, 70000)),
        (tiff(9, 11, ">", 3), "TIFF", (9, 11)),
    ],
)
def test_encoded_images_are_sent_as_they_are_with_the_size_from_their_header(data, encoding, size):
    f = edgestream.frame_from_bytes(data, source_id="cam", capture_time_ms=5)
    assert (f["encoding"], f["width"], f["height"]) == (encoding, *size)
    assert f["channels"] == 0 and f["pixelFormat"] is None
    assert f["data"] == data
    assert f["imageId"] == "cam/" + frames.content_id(data)


def test_the_sample_jpegs_and_png_have_the_size_of_their_header():
    # Sizes as the Java producer's header probe reports them (also checked end to end: the
    # job dead-letters a frame whose size disagrees with its file).
    expected = {
        "aero3.jpg": (640, 480),
        "board.jpg": (640, 480),
        "home.jpg": (512, 384),
        "left01.jpg": (640, 480),
        "pic1.png": (400, 300),
        "stuff.jpg": (640, 480),
    }
    for name, size in expected.items():
        f = edgestream.frame_from_file(REPO / "samples" / name, source_id="cam")
        assert (f["width"], f["height"]) == size, name
        assert f["attributes"] == {"file": name}


def test_a_file_frame_takes_its_modification_time_and_extra_attributes(tmp_path):
    path = tmp_path / "x.png"
    path.write_bytes(png(2, 2))
    os.utime(path, (1_600_000_000.5, 1_600_000_000.5))
    f = edgestream.frame_from_file(path, source_id="cam", sequence=3, attributes={"lens": "a"})
    assert f["captureTimeMs"] == 1_600_000_000_500
    assert f["sequence"] == 3
    assert f["attributes"] == {"file": "x.png", "lens": "a"}


def test_files_that_are_no_image_are_refused():
    with pytest.raises(ValueError, match="not a PNG, JPEG, BMP or TIFF"):
        edgestream.frame_from_bytes(b"GIF89a....", source_id="cam")
    with pytest.raises(ValueError, match="truncated"):
        edgestream.frame_from_bytes(png(3, 3)[:20], source_id="cam")
    with pytest.raises(ValueError, match="no JPEG start-of-frame"):
        edgestream.frame_from_bytes(b"\xff\xd8\xff\xd9", source_id="cam")


@pytest.mark.parametrize(
    "dtype,shape,pixel_format,channels",
    [
        ("u1", (4, 5), "GRAY8", 1),
        ("u1", (4, 5, 1), "GRAY8", 1),
        ("u1", (4, 5, 3), "RGB8", 3),
        ("u1", (4, 5, 4), "RGBA8", 4),
        ("u2", (4, 5), "GRAY16", 1),
        (">u2", (4, 5, 3), "RGB16", 3),
        ("f4", (4, 5, 2), "FLOAT32", 2),
        (">f4", (4, 5), "FLOAT32", 1),
    ],
)
def test_arrays_are_sent_raw_hwc_little_endian(dtype, shape, pixel_format, channels):
    a = (np.arange(np.prod(shape)) * 7 % 251).astype(dtype).reshape(shape)
    f = edgestream.frame_from_array(a, source_id="cam", capture_time_ms=1)
    assert (f["encoding"], f["pixelFormat"]) == ("RAW", pixel_format)
    assert (f["width"], f["height"], f["channels"]) == (5, 4, channels)
    little = np.dtype(dtype).newbyteorder("<")
    assert f["data"] == a.astype(little).tobytes()
    back = np.frombuffer(f["data"], dtype=little).reshape(4, 5, channels)
    assert np.array_equal(back.reshape(a.shape), a)


def test_array_frames_of_different_shape_get_different_ids():
    a = np.zeros((2, 6), np.uint8)
    ids = {
        edgestream.frame_from_array(x, source_id="cam")["imageId"]
        for x in (a, a.reshape(6, 2), a.reshape(3, 4))
    }
    assert len(ids) == 3


def test_arrays_without_a_pixel_format_are_refused():
    for bad in (np.zeros((2, 2), np.int32), np.zeros((2, 2, 2), np.uint8), np.zeros(4, np.uint8)):
        with pytest.raises(ValueError, match="no RAW pixel format"):
            edgestream.frame_from_array(bad, source_id="cam")
    with pytest.raises(ValueError, match="RGB8 has 3 channels"):
        edgestream.frame_from_array(np.zeros((2, 2, 4), np.uint8), source_id="c",
                                    pixel_format="RGB8")
    with pytest.raises(ValueError, match="is not GRAY16 pixels"):
        edgestream.frame_from_array(np.zeros((2, 2), np.uint8), source_id="c",
                                    pixel_format="GRAY16")


def test_npy_files_are_sent_as_raw_frames(tmp_path):
    a = np.arange(12, dtype=np.uint16).reshape(3, 4)
    np.save(tmp_path / "depth.npy", a)
    f = edgestream.frame_from_file(tmp_path / "depth.npy", source_id="cam")
    assert (f["encoding"], f["pixelFormat"], f["width"], f["height"]) == ("RAW", "GRAY16", 4, 3)
    assert f["attributes"] == {"file": "depth.npy"}


def test_a_folder_push_takes_images_and_arrays_sorted_by_name(tmp_path):
    for name in ("b.PNG", "a.jpg", "c.npy", "notes.txt", "d.gif"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub").mkdir()
    assert [p.name for p in frames.image_files(tmp_path)] == ["a.jpg", "b.PNG", "c.npy"]


def test_frames_encode_to_single_object_values_keyed_by_source():
    f = edgestream.frame_from_array(np.ones((2, 2), np.uint8), source_id="cam-7", batch_id="b1")
    value = edgestream.encode_frame(f)
    assert edgestream.decode(value, expected="ImageFrame").record == f
    assert edgestream.frame_key(f) == b"cam-7"
