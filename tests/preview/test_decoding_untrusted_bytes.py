"""Decoding untrusted bytes: allowed formats, pixel cap before decoding, truncation, RGB."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image

from artistree_tui.preview.decode import DecodeError, decode_image, scale_image


def encode(image: Image.Image, fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kw)
    return out.getvalue()


def noise(width: int, height: int, seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    return Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width × height`` (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_allowed_formats_decode_to_rgb(fmt: str) -> None:
    source = Image.new("RGB", (40, 30), (200, 40, 40))
    decoded = decode_image(encode(source, fmt))
    assert decoded.image.mode == "RGB"
    assert decoded.image.size == (40, 30)
    assert decoded.source_size == (40, 30)
    assert decoded.format == fmt
    r, g, b = decoded.image.getpixel((20, 15))  # type: ignore[misc]
    assert abs(r - 200) < 12 and abs(g - 40) < 12 and abs(b - 40) < 12


def test_gif_keeps_the_first_frame_only() -> None:
    frames = [Image.new("RGB", (8, 8), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert decode_image(data).image.getpixel((4, 4)) == (255, 0, 0)


def test_transparency_is_composed_onto_the_dark_background() -> None:
    rgba = Image.new("RGBA", (4, 4), (255, 255, 255, 0))
    rgba.putpixel((0, 0), (255, 255, 255, 255))
    image = decode_image(encode(rgba, "PNG")).image
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((3, 3)) == (24, 24, 24)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"<!DOCTYPE html><html></html>",
        b"%PDF-1.7\n",
        b"PK\x03\x04zipzipzip",
        b"BM" + bytes(60),  # BMP: Pillow could read it, we do not allow it
    ],
)
def test_anything_else_is_not_an_image(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode_image(data)
    assert info.value.reason == "not an image"


def test_pixel_cap_is_checked_from_the_header_before_decoding() -> None:
    bomb = png_header_only(30_000, 30_000)
    assert len(bomb) < 200
    with pytest.raises(DecodeError) as info:
        decode_image(bomb)
    assert info.value.reason == "image too big to decode"
    # The cap is a parameter: a modest image over a low cap is refused the same way.
    with pytest.raises(DecodeError) as info:
        decode_image(encode(Image.new("RGB", (200, 200)), "PNG"), max_pixels=10_000)
    assert info.value.reason == "image too big to decode"


@pytest.mark.parametrize(
    "warnings_filter",
    [
        # As the app runs (decode.py turns Pillow's warning into an error) ...
        pytest.param(
            0, marks=pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
        ),
        # ... and with the warning ignored: our own header check refuses it either way.
        pytest.param(
            1, marks=pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
        ),
    ],
)
def test_a_real_compressed_bomb_is_refused(warnings_filter: int) -> None:
    data = encode(Image.new("L", (6_000, 6_000)), "PNG")  # 36 MP of zeros, ~35 KB
    with pytest.raises(DecodeError) as info:
        decode_image(data)
    assert info.value.reason == "image too big to decode"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_files_are_refused(fmt: str, keep: float) -> None:
    data = encode(noise(120, 90), fmt)
    with pytest.raises(DecodeError) as info:
        decode_image(data[: int(len(data) * keep)])
    assert info.value.reason == "truncated image"


def test_png_without_its_end_chunk_is_truncated() -> None:
    data = encode(noise(50, 50), "PNG")
    with pytest.raises(DecodeError) as info:
        decode_image(data[:-12])  # IEND cut off, pixels all there
    assert info.value.reason == "truncated image"


def test_garbage_after_a_valid_header_is_corrupt_not_a_crash() -> None:
    data = bytearray(encode(noise(64, 64), "PNG"))
    data[60:400] = bytes(340)
    with pytest.raises(DecodeError) as info:
        decode_image(bytes(data))
    assert info.value.reason in ("corrupt image", "truncated image")


def test_big_images_are_reduced_but_keep_their_source_size() -> None:
    decoded = decode_image(encode(Image.new("RGB", (3000, 1500), (9, 9, 9)), "PNG"), max_side=600)
    assert decoded.source_size == (3000, 1500)
    assert decoded.image.size == (600, 300)


def test_jpeg_is_decoded_at_a_reduced_scale_with_draft() -> None:
    decoded = decode_image(encode(Image.new("RGB", (4000, 2000), (9, 9, 9)), "JPEG"), max_side=500)
    assert decoded.source_size == (4000, 2000)
    assert decoded.image.size == (500, 250)


def test_scale_image_shrinks_enlarges_and_crops() -> None:
    image = Image.new("RGB", (1024, 768))
    assert scale_image(image, (64, 48)).size == (64, 48)
    assert scale_image(image, (1024, 768)) is image
    assert scale_image(image, (200, 100), box=(100.0, 100.0, 150.0, 125.0)).size == (200, 100)
