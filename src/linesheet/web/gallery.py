"""A catalog's products as a gallery, as both apps show it: a card per product (its main
image, model number, name, colours and prices), filtered and cut into bounded pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from linesheet.catalog.images import product_image_dimensions, product_image_url
from linesheet.catalog.models import SKU, Product, ProductImage
from linesheet.catalog.pricing import wholesale_price

# Cards per page: a page costs the same statements whatever the catalog holds.
GALLERY_PAGE_SIZE = 24


@dataclass(frozen=True)
class ProductCard:
    product: Product
    # The product's main image (catalog.ProductImage), None when it has none.
    image: Any
    colors: list[str]
    sizes: list[str]
    sku_count: int
    orderable_count: int
    # The lowest and highest unit price shown: wholesale for a buyer, retail for the brand.
    price_low: Decimal | None
    price_high: Decimal | None

    @property
    def discontinued(self) -> bool:
        """Whether no SKU of the product can be ordered any more (it has SKUs)."""
        return self.sku_count > 0 and self.orderable_count == 0


def gallery_page(products: QuerySet[Product], *, number: str | None) -> Page:
    """Return the page of products asked for: the first for no number or a bad one, the last
    for one past the end. Two statements: the count and the page's rows (with their SKUs)."""
    return Paginator(products, GALLERY_PAGE_SIZE).get_page(number)


def product_cards(
    *,
    products: Iterable[Product],
    images: Mapping[int, Any],
    wholesale_rate: Decimal | None = None,
) -> list[ProductCard]:
    """Return a card per product from its prefetched SKUs; no statement.

    With `wholesale_rate` the prices are the buyer's wholesale prices of the orderable SKUs;
    without, the retail prices of every SKU.
    """
    cards = []
    for product in products:
        skus: list[SKU] = list(product.skus.all())
        orderable = [sku for sku in skus if sku.is_active]
        if wholesale_rate is None:
            prices = [sku.retail_price for sku in skus]
        else:
            prices = [
                wholesale_price(retail_price=sku.retail_price, wholesale_rate=wholesale_rate)
                for sku in orderable
            ]
        cards.append(
            ProductCard(
                product=product,
                image=images.get(product.pk),
                colors=list(dict.fromkeys(sku.color for sku in skus)),
                sizes=list(dict.fromkeys(sku.size for sku in skus)),
                sku_count=len(skus),
                orderable_count=len(orderable),
                price_low=min(prices, default=None),
                price_high=max(prices, default=None),
            )
        )
    return cards


@dataclass(frozen=True)
class ColorPicture:
    """The picture a product's page shows while a colour's row of its grid is in use."""

    image: ProductImage
    url: str
    width: int
    height: int


def color_pictures(images: Iterable[ProductImage], *, size: str) -> dict[str, ColorPicture]:
    """Return, by colour, the first of the images tied to that colour whose `size` is made."""
    pictures: dict[str, ColorPicture] = {}
    for image in images:
        if not image.color or image.color in pictures:
            continue
        url = product_image_url(image, size)
        if url is not None:
            width, height = product_image_dimensions(image, size)
            pictures[image.color] = ColorPicture(image=image, url=url, width=width, height=height)
    return pictures
