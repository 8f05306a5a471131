"""A product's images: list, upload (several at once), order, colour, remove."""

from __future__ import annotations

from typing import IO, cast

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.permissions import Permission
from linesheet.api.base import actor, parsed
from linesheet.api.idempotency import idempotent
from linesheet.api.images.serializers import (
    ProductImageChangeSerializer,
    ProductImageOrderSerializer,
    ProductImageSerializer,
    ProductImagesInputSerializer,
)
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.tenancy import BrandScopedMixin
from linesheet.catalog.models import Product, ProductImage
from linesheet.catalog.selectors import product_images_of
from linesheet.catalog.services import (
    product_image_remove,
    product_image_set_color,
    product_images_add,
    product_images_reorder,
)
from linesheet.core.uploads import upload_limit

TAGS = ["brand: product images"]
READ_PROBLEMS = (401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 415, 422)
IMAGE_CODES = (
    "Each file is checked by its content; one refused file refuses the whole upload (400, "
    "nothing stored) with its code: `image_type_not_allowed` (not a JPEG, PNG or WebP), "
    "`image_too_large`, `image_too_many_pixels`, `image_unreadable` (damaged or incomplete); "
    "`name` says which file. `invalid` with `errors`: `color` `color_unknown` (not one of the "
    "product's colours), `files` `too_many_images`. A request over 64 MB is refused with 413 "
    "`request_too_large` before it is read."
)


def _image_limit() -> int:
    return settings.IMAGE_UPLOAD_MAX_BYTES


class ProductImagesMixin(BrandScopedMixin):
    write_permission = Permission.CATALOG_WRITE

    def product(self, product_id: int) -> Product:
        product = Product.objects.filter(brand=self.brand, pk=product_id).first()
        if product is None:
            raise NotFound()
        return product

    def image(self, product: Product, image_id: int) -> ProductImage:
        image = ProductImage.objects.filter(product=product, pk=image_id).first()
        if image is None:
            raise NotFound()
        image.product = product
        return image

    def images_response(self, request: Request, product: Product, code: int = 200) -> Response:
        images = product_images_of(product_ids=[product.pk]).get(product.pk, [])
        return Response(
            ProductImageSerializer(images, many=True, context={"request": request}).data,
            status=code,
        )


@upload_limit(_image_limit)
class ProductImageListView(ProductImagesMixin, APIView):
    """The product's images in their order; POST adds one or several."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=TAGS,
        summary="List a product's images",
        description=(
            "In their order; the first (`position` 0) is the main one. `urls` are links a "
            "browser can load for a few hours; a thumbnail's is null until the background "
            "task has made it (seconds after the upload)."
        ),
        responses=responses({200: ProductImageSerializer(many=True)}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str, product_id: int) -> Response:
        return self.images_response(request, self.product(product_id))

    @extend_schema(
        tags=TAGS,
        summary="Add images to a product",
        description="Multipart: `files` (repeat for several) and `color`. "
        + IMAGE_CODES
        + " Answers the product's images, the new ones last.",
        request={"multipart/form-data": ProductImagesInputSerializer},
        responses=responses({201: ProductImageSerializer(many=True)}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, product_id: int) -> Response:
        product = self.product(product_id)
        data = parsed(ProductImagesInputSerializer, request)
        product_images_add(
            product=product,
            files=[cast(IO[bytes], file) for file in data["files"]],
            color=data["color"],
            actor=actor(request),
        )
        return self.images_response(request, product, status.HTTP_201_CREATED)


class ProductImageOrderView(ProductImagesMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Put a product's images in a new order",
        description=(
            "`image_ids`: every image of the product once; the first becomes the main one. "
            "Anything else is refused: 400 `invalid`, `image_ids` `image_order_mismatch`."
        ),
        request=ProductImageOrderSerializer,
        responses=responses({200: ProductImageSerializer(many=True)}, *WRITE_PROBLEMS),
    )
    @idempotent
    def put(self, request: Request, brand: str, product_id: int) -> Response:
        product = self.product(product_id)
        data = parsed(ProductImageOrderSerializer, request)
        product_images_reorder(product=product, image_ids=data["image_ids"], actor=actor(request))
        return self.images_response(request, product)


class ProductImageDetailView(ProductImagesMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Change the colour an image shows",
        description="400 `invalid` with `color` `color_unknown` for a colour the product lacks.",
        request=ProductImageChangeSerializer,
        responses=responses({200: ProductImageSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def patch(self, request: Request, brand: str, product_id: int, image_id: int) -> Response:
        image = self.image(self.product(product_id), image_id)
        data = parsed(ProductImageChangeSerializer, request)
        changed = product_image_set_color(image=image, color=data["color"], actor=actor(request))
        return Response(ProductImageSerializer(changed, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove an image",
        description="Its files are deleted; the images after it move up one place.",
        responses=responses({204: None}, 400, 401, 403, 404, 422),
    )
    @idempotent
    def delete(self, request: Request, brand: str, product_id: int, image_id: int) -> Response:
        image = self.image(self.product(product_id), image_id)
        product_image_remove(image=image, actor=actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
