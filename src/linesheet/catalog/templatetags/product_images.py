"""`{% load product_images %}{% product_thumb image "s" alt_text %}`: a product image's thumbnail.

Renders an <img> with its width and height (the page does not jump when it loads), or a neutral
placeholder of the same box while there is no image or its thumbnail is not made yet.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from linesheet.catalog.images import THUMBNAIL_SIZES, product_image_dimensions, product_image_url
from linesheet.catalog.models import ProductImage

register = template.Library()


@register.simple_tag
def product_thumb(image: ProductImage | None, size: str = "s", alt: object = "") -> SafeString:
    """Return the <img> of `image` at `size` ("s", "m", "l"), or the placeholder."""
    if size not in THUMBNAIL_SIZES:
        raise template.TemplateSyntaxError(
            f"product_thumb: size {size!r} is not one of {sorted(THUMBNAIL_SIZES)}"
        )
    url = product_image_url(image, size) if image is not None else None
    if image is None or url is None:
        return format_html(
            '<span class="thumb thumb-{} thumb-placeholder" role="img" aria-label="{}"></span>',
            size,
            alt or "",
        )
    width, height = product_image_dimensions(image, size)
    return format_html(
        '<img class="thumb thumb-{}" src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
        size,
        url,
        width,
        height,
        alt or "",
    )
