"""The one check of uploaded images: real type, bounded size and pixels, upright, no metadata."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from PIL import Image, ImageFile

from linesheet.core.images import (
    ImageError,
    image_clean,
    image_sniff,
    image_thumbnail,
    thumbnail_size,
)
from tests.image_files import image_bytes, jpeg_with_metadata, png_bomb, upload


def refusal(content: bytes, **options: object) -> ImageError:
    with pytest.raises(ImageError) as caught:
        image_clean(content, name="photo.jpg", **options)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_a_jpeg_png_or_webp_is_kept_in_its_own_format(format: str) -> None:
    clean = image_clean(image_bytes(format=format, size=(60, 40)))

    assert (clean.format, clean.width, clean.height) == (format, 60, 40)
    with Image.open(io.BytesIO(clean.content)) as kept:
        assert (kept.format, kept.size) == (format, (60, 40))


def test_an_uploaded_file_is_read_from_the_start() -> None:
    file = upload(image_bytes(format="PNG"), name="swatch.png")
    file.read(10)

    assert image_clean(file, name="swatch.png").format == "PNG"


@pytest.mark.parametrize(
    "content",
    [
        image_bytes(format="GIF"),
        image_bytes(format="BMP"),
        image_bytes(format="TIFF"),
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
        b"just some text, named photo.jpg",
        b"",
    ],
    ids=["gif", "bmp", "tiff", "svg", "text", "empty"],
)
def test_a_file_that_is_not_jpeg_png_or_webp_by_its_content_is_refused(content: bytes) -> None:
    error = refusal(content)

    assert error.code == "image_type_not_allowed"
    assert "photo.jpg" in error.message


def test_the_type_is_read_from_the_bytes_not_the_name() -> None:
    assert image_sniff(image_bytes(format="PNG")) == "PNG"
    assert image_sniff(image_bytes(format="WEBP")) == "WEBP"
    assert image_sniff(image_bytes(format="GIF")) is None


def test_a_file_over_the_byte_limit_is_refused_before_it_is_parsed() -> None:
    content = image_bytes(format="PNG", size=(200, 200))

    error = refusal(content, max_bytes=len(content) - 1)

    assert error.code == "image_too_large"
    assert error.params["max_bytes"] == len(content) - 1


def test_an_upload_declaring_a_size_over_the_limit_is_refused_without_reading_it() -> None:
    file = upload(image_bytes(), name="big.jpg")
    file.size = 10**12

    with pytest.raises(ImageError) as caught:
        image_clean(file, name="big.jpg")

    assert caught.value.code == "image_too_large"


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding() -> None:
    bomb = png_bomb(width=30_000, height=30_000)  # 900 megapixels in a few hundred bytes
    assert len(bomb) < 20_000

    error = refusal(bomb)

    assert error.code == "image_too_many_pixels"
    assert error.params["pixels"] == 900_000_000
    assert "has 900 megapixels; at most 40 are accepted" in error.message


def test_an_image_just_over_the_pixel_bound_is_refused() -> None:
    error = refusal(image_bytes(size=(101, 100)), max_pixels=100 * 100)

    assert error.code == "image_too_many_pixels"
    assert (error.params["width"], error.params["height"]) == (101, 100)
    assert error.message == "photo.jpg has 0.0101 megapixels; at most 0.01 are accepted."


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_image_is_refused_as_unreadable(format: str) -> None:
    content = image_bytes(format=format, size=(300, 200))

    error = refusal(content[: len(content) // 2])

    assert error.code == "image_unreadable"


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_image_is_refused_after_weasyprint_allowed_truncated_images(
    format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # WeasyPrint, imported by the first PDF a process renders, lets Pillow load truncated
    # images for the whole process (weasyprint/images.py); as it leaves it, for this test.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    content = image_bytes(format=format, size=(300, 200))

    error = refusal(content[: len(content) // 2])

    assert error.code == "image_unreadable"


def test_an_image_with_a_corrupt_header_is_refused_as_unreadable() -> None:
    content = bytearray(image_bytes(format="PNG"))
    content[16:24] = b"\xff" * 8  # width and height in IHDR, now with a bad checksum

    assert refusal(bytes(content)).code == "image_unreadable"


def test_the_exif_orientation_is_applied_to_the_pixels() -> None:
    # Orientation 6: the camera was turned; the image is shown turned 90° clockwise.
    clean = image_clean(jpeg_with_metadata(size=(60, 40), orientation=6))

    assert (clean.width, clean.height) == (40, 60)
    with Image.open(io.BytesIO(clean.content)) as kept:
        assert kept.size == (40, 60)
        # The white corner (top left as stored) is now top right.
        top_right = kept.convert("RGB").getpixel((38, 1))
        assert isinstance(top_right, tuple) and min(top_right) > 200


def test_exif_gps_and_comments_are_gone_from_what_is_kept() -> None:
    original = jpeg_with_metadata()
    assert b"SpyCam" in original and b"taken at home" in original

    clean = image_clean(original)

    assert b"SpyCam" not in clean.content
    assert b"taken at home" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as kept:
        assert not kept.getexif()
        assert "comment" not in kept.info


def test_png_text_chunks_are_gone_from_what_is_kept() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Doe, 12 Secret Lane")
    original = image_bytes(format="PNG", pnginfo=info)
    assert b"Secret Lane" in original

    assert b"Secret Lane" not in image_clean(original).content


def test_a_png_with_transparency_keeps_it() -> None:
    clean = image_clean(image_bytes(format="PNG", mode="RGBA"))

    with Image.open(io.BytesIO(clean.content)) as kept:
        assert kept.mode == "RGBA"


def test_a_thumbnail_keeps_the_aspect_with_the_longest_side_as_asked() -> None:
    clean = image_clean(image_bytes(size=(1000, 500)))

    small = image_thumbnail(clean.content, longest_side=320)

    assert (small.format, small.width, small.height) == ("JPEG", 320, 160)
    with Image.open(io.BytesIO(small.content)) as kept:
        assert kept.size == (320, 160)


def test_a_thumbnail_of_a_transparent_image_is_laid_on_white() -> None:
    clean = image_clean(image_bytes(format="PNG", mode="RGBA", color=(0, 0, 0)))

    small = image_thumbnail(clean.content, longest_side=20)

    with Image.open(io.BytesIO(small.content)) as kept:
        assert kept.mode == "RGB"
        red, _green, _blue = kept.getpixel((kept.width - 1, kept.height - 1))  # type: ignore[misc]
        assert 110 < red < 145  # half-transparent black on white: grey


def test_a_thumbnail_is_never_larger_than_its_image() -> None:
    assert thumbnail_size(60, 40, 800) == (60, 40)
    assert thumbnail_size(4000, 3000, 96) == (96, 72)
    assert thumbnail_size(10, 5000, 96) == (1, 96)


def test_pillow_refuses_bombs_everywhere_in_the_process_once_the_app_is_ready() -> None:
    # A fresh process that never imports core.images itself (a worker rendering PDFs).
    script = "import django; django.setup(); from PIL import Image; print(Image.MAX_IMAGE_PIXELS)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "linesheet.settings", "IMAGE_MAX_PIXELS": "1234"}

    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )

    assert out.stdout.strip() == "1234"
