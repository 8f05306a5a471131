"""Image files for the tests, drawn with Pillow: good ones, and the kinds the app refuses."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def image_bytes(
    *,
    format: str = "JPEG",
    size: tuple[int, int] = (60, 40),
    color: tuple[int, int, int] = (200, 40, 40),
    mode: str = "RGB",
    **save_options: object,
) -> bytes:
    """Return an image of `size` in `format`, one colour with a white square in its top left."""
    image = Image.new(mode, size, color if mode == "RGB" else (*color, 128))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 4, size[1] // 4), fill="white")
    out = io.BytesIO()
    image.save(out, format=format, **save_options)
    return out.getvalue()


def jpeg_with_metadata(*, size: tuple[int, int] = (60, 40), orientation: int = 1) -> bytes:
    """Return a JPEG carrying EXIF (camera, GPS, orientation) and a comment."""
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SpyCam Corp"  # Make
    exif[0x8825] = {1: "N", 2: (55.0, 40.0, 0.0)}  # GPS: latitude
    return image_bytes(size=size, exif=exif.tobytes(), comment=b"taken at home")


def png_bomb(*, width: int = 30_000, height: int = 30_000) -> bytes:
    """Return a tiny PNG whose header announces `width` x `height` pixels (a bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\0" + b"\0" * width
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(50)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def upload(
    content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
