"""The one door for uploaded images: check them, then re-encode them clean; make thumbnails.

An upload is taken for what its bytes are, never for its name or declared type: JPEG, PNG and
WebP only, recognised by their signature before Pillow parses anything. Its size in bytes and
its pixels are bounded, the pixels read from the header before anything is decoded, so a small
file that would decode to gigabytes (a decompression bomb) is refused without being decoded.
What is kept is a re-encoding of the decoded pixels, turned upright by its EXIF orientation:
EXIF (camera, GPS position, dates), XMP and comments are left behind. The colour profile stays:
it says how the pixels look, nothing about who took them.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Final

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from linesheet.core.errors import DomainError

# Pillow refuses to open an image of more than twice this many pixels (and warns past it): the
# bound here is checked first, with its own refusal; this is the net under it for every other
# use of Pillow in the process (WeasyPrint's included).
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS


class ImageErrorCode:
    UNREADABLE: Final = "image_unreadable"
    TYPE_NOT_ALLOWED: Final = "image_type_not_allowed"
    TOO_MANY_PIXELS: Final = "image_too_many_pixels"
    TOO_LARGE: Final = "image_too_large"


class ImageError(DomainError):
    """An uploaded image refused; `name` is the file's name as uploaded (may be empty)."""

    status = 400
    messages = {
        ImageErrorCode.UNREADABLE: _(
            "%(name)s could not be read as an image: it is damaged or incomplete."
        ),
        ImageErrorCode.TYPE_NOT_ALLOWED: _(
            "%(name)s is not a JPEG, PNG or WebP image (only these are accepted)."
        ),
        ImageErrorCode.TOO_MANY_PIXELS: _(
            "%(name)s has %(megapixels)s megapixels; at most %(max_megapixels)s are accepted."
        ),
        ImageErrorCode.TOO_LARGE: _("%(name)s is larger than %(max_megabytes)d MB."),
    }


# Pillow's format name -> (content type, file extension), in the order the pages name them.
IMAGE_TYPES: Final = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
CONTENT_TYPES_BY_EXTENSION: Final = {extension: kind for kind, extension in IMAGE_TYPES.values()}


def image_sniff(head: bytes) -> str | None:
    """Return the Pillow format the first bytes of a file announce (JPEG, PNG, WEBP), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


@dataclass(frozen=True)
class CleanImage:
    """An image as it is kept: re-encoded bytes, with what describes them."""

    content: bytes
    format: str  # JPEG, PNG or WEBP
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return IMAGE_TYPES[self.format][0]

    @property
    def extension(self) -> str:
        return IMAGE_TYPES[self.format][1]


def _read_bounded(source: IO[bytes] | bytes, *, name: str, max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        declared = getattr(source, "size", None)
        if isinstance(declared, int) and declared > max_bytes:
            raise _too_large(name, max_bytes)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(name, max_bytes)
    return data


def _too_large(name: str, max_bytes: int) -> ImageError:
    return ImageError(
        ImageErrorCode.TOO_LARGE,
        name=name,
        max_bytes=max_bytes,
        max_megabytes=max_bytes // (1024 * 1024),
    )


def _too_many_pixels(name: str, pixels: int, max_pixels: int, **size: int) -> ImageError:
    return ImageError(
        ImageErrorCode.TOO_MANY_PIXELS,
        name=name,
        pixels=pixels,
        megapixels=f"{pixels / 1_000_000:.3g}",
        max_pixels=max_pixels,
        max_megapixels=f"{max_pixels / 1_000_000:.3g}",
        **size,
    )


def _open(data: bytes, *, name: str, max_pixels: int) -> Image.Image:
    """Open (header only) an image of an accepted type, its pixel count checked."""
    kind = image_sniff(data[:16])
    if kind is None:
        raise ImageError(ImageErrorCode.TYPE_NOT_ALLOWED, name=name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
    except Image.DecompressionBombError as exc:
        # Pillow's own net (twice Image.MAX_IMAGE_PIXELS) caught it while reading the header;
        # its message holds the pixel count.
        counted = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(counted.group(1)) if counted else 2 * max_pixels + 1
        raise _too_many_pixels(name, pixels, max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(ImageErrorCode.UNREADABLE, name=name) from exc
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageError(ImageErrorCode.UNREADABLE, name=name)
    if width * height > max_pixels:
        raise _too_many_pixels(name, width * height, max_pixels, width=width, height=height)
    return image


def _decode(image: Image.Image, *, name: str) -> Image.Image:
    """Decode the (first frame's) pixels and turn them upright; refuse damaged data."""
    # WeasyPrint, once imported (by the first PDF a process renders), tells Pillow to load
    # truncated images for the whole process, padding what is missing; an upload is checked
    # strictly whatever the process rendered before. Images stored are whole, so documents
    # never need the leniency.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError as exc:
        raise ImageError(ImageErrorCode.UNREADABLE, name=name) from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError) as exc:
        raise ImageError(ImageErrorCode.UNREADABLE, name=name) from exc
    return upright if upright is not None else image


# Modes each format is written in as they are; any other is converted to the first here.
_WRITABLE_MODES: Final = {
    "JPEG": ("RGB", "L"),
    "PNG": ("RGBA", "RGB", "LA", "L", "P", "1"),
    "WEBP": ("RGBA", "RGB"),
}


def _encode(image: Image.Image, kind: str, *, icc_profile: bytes | None, quality: int) -> bytes:
    modes = _WRITABLE_MODES[kind]
    if image.mode not in modes:
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        target = "RGBA" if has_alpha and "RGBA" in modes else "RGB"
        image = image.convert(target) if target in modes else image.convert(modes[0])
    # Pillow writes some of what it read back out (a JPEG's comment and XMP, for one): only
    # the palette's transparent index, part of the pixels, is kept. (The image is ours: no copy.)
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    options: dict[str, object] = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if kind == "JPEG":
        options.update(quality=quality)
    elif kind == "WEBP":
        options.update(quality=quality, method=4)
    else:
        options.update(compress_level=6)
    out = io.BytesIO()
    # No `exif`, `xmp` or `comment` is passed, and the image's own are cleared above.
    image.save(out, format=kind, **options)
    return out.getvalue()


def image_clean(
    source: IO[bytes] | bytes,
    *,
    name: str = "",
    max_bytes: int | None = None,
    max_pixels: int | None = None,
) -> CleanImage:
    """Check an uploaded image and return it re-encoded: upright, without metadata.

    Refuses (ImageError) a file that is not a JPEG, PNG or WebP by its content, larger than
    IMAGE_MAX_BYTES, of more than IMAGE_MAX_PIXELS pixels (read from its header, before any
    decoding), or damaged or incomplete. Of an animated image the first frame is kept.
    """
    max_bytes = settings.IMAGE_MAX_BYTES if max_bytes is None else max_bytes
    max_pixels = settings.IMAGE_MAX_PIXELS if max_pixels is None else max_pixels
    data = _read_bounded(source, name=name, max_bytes=max_bytes)
    with _open(data, name=name, max_pixels=max_pixels) as opened:
        kind = opened.format or "JPEG"
        icc_profile = opened.info.get("icc_profile")
        upright = _decode(opened, name=name)
        try:
            content = _encode(upright, kind, icc_profile=icc_profile, quality=90)
        except (OSError, ValueError) as exc:
            raise ImageError(ImageErrorCode.UNREADABLE, name=name) from exc
        return CleanImage(content=content, format=kind, width=upright.width, height=upright.height)


def thumbnail_size(width: int, height: int, longest_side: int) -> tuple[int, int]:
    """Return the size of a thumbnail: the aspect kept, the longest side at most `longest_side`.

    Never larger than the image itself.
    """
    longest = max(width, height)
    if longest <= longest_side:
        return width, height
    scale = longest_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def image_thumbnail(content: bytes, *, longest_side: int, format: str = "JPEG") -> CleanImage:
    """Return a smaller copy of a clean image (from `image_clean`), the aspect kept.

    JPEG by default: every mail client and PDF renderer shows it; transparent parts are laid
    on white. PNG keeps transparency (logos).
    """
    return image_thumbnails(content, sizes={"": longest_side}, format=format)[""]


def image_thumbnails(
    content: bytes, *, sizes: Mapping[str, int], format: str = "JPEG"
) -> dict[str, CleanImage]:
    """Return `image_thumbnail` for each longest side of `sizes` (key -> pixels), by key,
    decoding the image once."""
    with Image.open(io.BytesIO(content)) as opened:
        # What each thumbnail measures, from the image's own size (before any draft).
        targets = {
            key: thumbnail_size(opened.width, opened.height, side) for key, side in sizes.items()
        }
        if opened.format == "JPEG":
            # Decode at a fraction of the size (at least the largest asked): much faster.
            opened.draft("RGB", max(targets.values()))
        opened.load()
        icc_profile = opened.info.get("icc_profile")
        image: Image.Image = opened
        if format == "JPEG" and ("A" in image.getbands() or "transparency" in image.info):
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, (255, 255, 255))
            image.paste(rgba, mask=rgba.getchannel("A"))
        elif image.mode not in _WRITABLE_MODES[format]:
            image = image.convert("RGBA" if "RGBA" in _WRITABLE_MODES[format] else "RGB")
        made: dict[str, CleanImage] = {}
        # From the largest down, each made from the one before: less to resample each time.
        for key, size in sorted(targets.items(), key=lambda item: -max(item[1])):
            if size != image.size:
                image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
            encoded = _encode(image, format, icc_profile=icc_profile, quality=82)
            made[key] = CleanImage(content=encoded, format=format, width=size[0], height=size[1])
    return made
