"""Product images in the API: what an image says of itself, and what a client sends."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.api.serializers import StrictSerializer
from linesheet.catalog.images import ORIGINAL, THUMBNAIL_SIZES, product_image_url
from linesheet.catalog.models import ProductImage
from linesheet.catalog.services import PRODUCT_IMAGES_MAX, PRODUCT_IMAGES_PER_UPLOAD


class ImageUrlsSerializer(serializers.Serializer):
    s = serializers.URLField(
        allow_null=True, help_text="96 px on the longest side; null until made."
    )
    m = serializers.URLField(allow_null=True, help_text="320 px; null until made.")
    l = serializers.URLField(allow_null=True, help_text="800 px; null until made.")  # noqa: E741
    original = serializers.URLField(help_text="The image as kept (checked, re-encoded).")


class ProductImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    color = serializers.CharField(help_text="One of the product's SKU colours; empty: all colours.")
    position = serializers.IntegerField(help_text="0 is the main image.")
    is_main = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    thumbnails_ready = serializers.SerializerMethodField()
    urls = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_is_main(self, image: ProductImage) -> bool:
        return image.position == 0

    def get_thumbnails_ready(self, image: ProductImage) -> bool:
        return all(size in (image.thumbnails or {}) for size in THUMBNAIL_SIZES)

    @extend_schema_field(ImageUrlsSerializer)
    def get_urls(self, image: ProductImage) -> dict[str, Any]:
        request = self.context.get("request")

        def absolute(url: str | None) -> str | None:
            if url is None or request is None or "://" in url:
                return url
            return str(request.build_absolute_uri(url))

        return {
            **{size: absolute(product_image_url(image, size)) for size in THUMBNAIL_SIZES},
            ORIGINAL: absolute(product_image_url(image, ORIGINAL)),
        }


class ProductImagesInputSerializer(StrictSerializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        min_length=1,
        max_length=PRODUCT_IMAGES_PER_UPLOAD,
        help_text=(
            f"One or several images (repeat the part): JPEG, PNG or WebP, each at most "
            f"{settings.IMAGE_MAX_BYTES // (1024 * 1024)} MB and "
            f"{settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels; at most "
            f"{PRODUCT_IMAGES_PER_UPLOAD} at once and {PRODUCT_IMAGES_MAX} per product."
        ),
    )
    color = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=60,
        help_text="The SKU colour the images show; empty or absent: all colours.",
    )


class ProductImageOrderSerializer(StrictSerializer):
    image_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=PRODUCT_IMAGES_MAX,
        help_text="Every image of the product, once, in the new order; the first is the main one.",
    )


class ProductImageChangeSerializer(StrictSerializer):
    color = serializers.CharField(
        allow_blank=True,
        max_length=60,
        help_text="One of the product's SKU colours; empty: all colours.",
    )
