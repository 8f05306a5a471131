"""The images an email shows, sent inside it as multipart/related parts named by Content-ID.

Emails need no public address for an image and work with private storage: the HTML part
points at `cid:` names, and the task that sends the email reads the files from storage and
attaches them. The outbox row keeps which image each name stands for (`inline_images`).
An image that cannot be read when the email is sent is left out together with its `<img>`,
so no email shows a broken image.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from typing import Any, cast

from django.core.mail import EmailMultiAlternatives
from PIL import Image

from linesheet.accounts.logos import brand_logo_bytes
from linesheet.accounts.models import Brand
from linesheet.catalog.images import product_image_bytes
from linesheet.catalog.models import ProductImage
from linesheet.catalog.selectors import sku_line_images

logger = logging.getLogger(__name__)

# The thumbnail a line's picture is made from, and the box it is shown in (CSS pixels): the
# "s" thumbnail is twice that, sharp on dense screens.
LINE_THUMBNAIL = "s"
LINE_IMAGE_BOX = (48, 48)
LOGO_BOX = (160, 48)

PRODUCT_IMAGE = "product_image"
BRAND_LOGO = "brand_logo"

# The image types every common mail client shows; anything else is sent as PNG.
MAIL_IMAGE_TYPES = {"JPEG": "jpeg", "PNG": "png", "GIF": "gif"}


@dataclass(frozen=True)
class InlineImage:
    """An image sent inside the email, referenced from the HTML by its Content-ID."""

    cid: str
    width: int
    height: int
    source: str  # PRODUCT_IMAGE or BRAND_LOGO
    source_id: int

    @property
    def src(self) -> str:
        return f"cid:{self.cid}"

    def as_json(self) -> dict[str, Any]:
        return {"cid": self.cid, "source": self.source, "id": self.source_id}


def fit(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """Return the size that shows a `width` x `height` image whole inside `box`."""
    if width <= 0 or height <= 0:
        return box
    scale = min(box[0] / width, box[1] / height, 1.0)
    return max(round(width * scale), 1), max(round(height * scale), 1)


def line_images(*, sku_ids: Iterable[int]) -> dict[int, InlineImage]:
    """Return each SKU's picture for an email's lines (one query); none without a thumbnail."""
    chosen = {}
    for sku_id, image in sku_line_images(sku_ids=sku_ids).items():
        if not image.thumbnails.get(LINE_THUMBNAIL):
            continue  # not made yet: the line shows no picture rather than a broken one
        width, height = fit(image.width, image.height, LINE_IMAGE_BOX)
        chosen[sku_id] = InlineImage(
            cid=f"product-image-{image.pk}-{LINE_THUMBNAIL}@linesheet",
            width=width,
            height=height,
            source=PRODUCT_IMAGE,
            source_id=image.pk,
        )
    return chosen


def brand_logo_image(brand: Brand) -> InlineImage | None:
    """Return the brand's logo for the top of its emails, or None when it has none."""
    if not brand.logo:
        return None
    try:
        data = brand_logo_bytes(brand)
        if data is None:
            return None
        with Image.open(io.BytesIO(data)) as logo:
            width, height = fit(logo.width, logo.height, LOGO_BOX)
    except Exception:
        # Written in the transaction of the change that causes the email: a logo that cannot
        # be read must not refuse that change. The email goes without it.
        logger.warning("the logo of brand %s could not be read", brand.pk, exc_info=True)
        return None
    return InlineImage(
        cid=f"brand-logo-{brand.pk}@linesheet",
        width=width,
        height=height,
        source=BRAND_LOGO,
        source_id=brand.pk,
    )


def inline_images_of(html: str, images: Iterable[InlineImage | None]) -> list[dict[str, Any]]:
    """Return the outbox's record of the images `html` shows, each once."""
    kept: dict[str, dict[str, Any]] = {}
    for image in images:
        if image is not None and image.src in html:
            kept.setdefault(image.cid, image.as_json())
    return list(kept.values())


def _image_part(data: bytes, cid: str) -> MIMEImage | None:
    """Return the image as a part named `cid`, in a type mail clients show; None if unreadable."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            subtype = MAIL_IMAGE_TYPES.get(image.format or "")
            if subtype is None:
                converted = io.BytesIO()
                image.save(converted, format="PNG")
                data, subtype = converted.getvalue(), "png"
    except (OSError, ValueError):
        return None
    part = MIMEImage(data, _subtype=subtype)
    part["Content-ID"] = f"<{cid}>"
    part.add_header("Content-Disposition", "inline", filename=cid.split("@", 1)[0] + f".{subtype}")
    return part


def _without_image(html: str, cid: str) -> str:
    return re.sub(rf'<img src="cid:{re.escape(cid)}"[^>]*>', "", html)


def _record_bytes(
    record: dict[str, Any], *, product_images: dict[int, ProductImage], brands: dict[int, Brand]
) -> bytes | None:
    if record["source"] == PRODUCT_IMAGE and record["id"] in product_images:
        return product_image_bytes(product_images[record["id"]], LINE_THUMBNAIL)
    if record["source"] == BRAND_LOGO and record["id"] in brands:
        return brand_logo_bytes(brands[record["id"]])
    return None


def inline_image_parts(
    *, html: str, records: Sequence[dict[str, Any]]
) -> tuple[str, list[MIMEImage]]:
    """Read the images the outbox row names; return the HTML and the parts to send with it.

    An image gone or unreadable since the email was written is dropped from the HTML too.
    """
    if not records:
        return html, []
    product_images = {
        image.pk: image
        for image in ProductImage.objects.filter(
            pk__in=[r["id"] for r in records if r["source"] == PRODUCT_IMAGE]
        )
    }
    brands = {
        brand.pk: brand
        for brand in Brand.objects.filter(
            pk__in=[r["id"] for r in records if r["source"] == BRAND_LOGO]
        )
    }
    parts = []
    for record in records:
        try:
            data = _record_bytes(record, product_images=product_images, brands=brands)
        except Exception:
            # Storage failing (an object store's error) costs the picture, not the email.
            logger.warning("email image %s could not be read", record["cid"], exc_info=True)
            data = None
        part = _image_part(data, record["cid"]) if data else None
        if part is None:
            html = _without_image(html, record["cid"])
        else:
            parts.append(part)
    return html, parts


class RelatedEmail(EmailMultiAlternatives):
    """An email whose HTML part travels with its images: multipart/alternative of the text
    and a multipart/related of the HTML and the images, the form mail clients expect."""

    def __init__(self, *args: Any, related: Sequence[MIMEImage] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.related = list(related)

    def message(self, **options: Any) -> Any:
        message = super().message(**options)
        if not self.related or not self.alternatives:
            return message
        parts = cast(list[Any], message.get_payload())
        related = MIMEMultipart("related")
        del related["MIME-Version"]
        related.attach(parts[-1])  # the HTML: the root of the related parts
        for image in self.related:
            related.attach(image)
        parts[-1] = related
        return message
