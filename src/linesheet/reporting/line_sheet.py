"""A catalog's line sheet as a PDF: a cover, then every product with its picture and prices.

The cover names the brand (with its logo), the season (the catalog's name and code), the
order deadline and the currency. Each product shows its main picture, model number, name,
colours, sizes and the prices its reader may see:

- a buyer's line sheet shows that buyer's own wholesale prices (catalog.pricing) and nothing
  else: never retail, never another buyer's;
- the brand's shows retail, wholesale at its default rate, or both, as it chose for the
  version it sends out.

Only orderable SKUs are listed. A line sheet is made by the task worker (reporting.tasks) and
reused until what it shows changes: its fingerprint reads every field it prints.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from linesheet.accounts.logos import brand_logo_data_uri
from linesheet.accounts.models import Buyer
from linesheet.catalog.images import product_image_data_uri
from linesheet.catalog.models import SKU, Catalog, Product, ProductImage
from linesheet.catalog.pricing import wholesale_price
from linesheet.catalog.selectors import product_main_images
from linesheet.reporting.generation import DocumentRequest, fingerprint_of
from linesheet.reporting.models import DocumentKind, GeneratedDocument
from linesheet.reporting.pdf_parts import pdf_join, stamp_pdf, template_pdf

# Products per rendered part: a part's layout is what WeasyPrint holds in memory at once.
PRODUCTS_PER_PART = 60
# The pictures' size: "m", the gallery cards' (catalog.images.THUMBNAIL_SIZES).
LINE_SHEET_IMAGE_SIZE = "m"
# Counted up when the layout changes what a line sheet shows, so older files are made again.
LAYOUT_VERSION = 1


class PriceChoice:
    """Which prices the brand's version shows (a buyer's always shows its own wholesale)."""

    WHOLESALE = "wholesale"
    RETAIL = "retail"
    BOTH = "both"
    ALL = (WHOLESALE, RETAIL, BOTH)


@dataclass(frozen=True)
class PriceRange:
    low: Decimal
    high: Decimal

    @property
    def single(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True)
class SheetProduct:
    model_number: str
    name: str
    colors: list[str]
    sizes: list[str]
    wholesale: PriceRange | None
    retail: PriceRange | None
    image_uri: str | None


def _distinct(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _range(prices: Sequence[Decimal]) -> PriceRange:
    return PriceRange(low=min(prices), high=max(prices))


def _wholesale(sku: SKU, rate: Decimal) -> Decimal:
    return wholesale_price(retail_price=sku.retail_price, wholesale_rate=rate)


def _orderable_products(catalog: Catalog) -> Any:
    orderable = SKU.objects.filter(product=OuterRef("pk"), is_active=True)
    return (
        Product.objects.filter(catalog=catalog)
        .filter(Exists(orderable))
        .order_by("model_number", "id")
    )


# --- Pictures ---------------------------------------------------------------------------------
# The main picture of each product (its lowest position) at size "m", and the brand's logo, as
# data: URIs: WeasyPrint fetches nothing. A picture whose thumbnail is not made yet is left out
# (the card says "No picture"), and the fingerprint changes once it is made.


def _main_image_uris(product_ids: Sequence[int]) -> dict[int, str]:
    """Return each product's main picture (size "m") as a data URI, for those that have one."""
    uris = {}
    for product_id, image in product_main_images(product_ids=product_ids).items():
        uri = product_image_data_uri(image, LINE_SHEET_IMAGE_SIZE)
        if uri is not None:
            uris[product_id] = uri
    return uris


def _image_fingerprint(catalog: Catalog) -> list[Any]:
    """Every picture of the catalog's products: which is main, and whether its "m" is made."""
    return [
        [product_id, image_id, position, (thumbnails or {}).get(LINE_SHEET_IMAGE_SIZE)]
        for product_id, image_id, position, thumbnails in ProductImage.objects.filter(
            product__catalog=catalog
        )
        .order_by("product_id", "position", "id")
        .values_list("product_id", "id", "position", "thumbnails")
    ]


# --- What a line sheet shows --------------------------------------------------------------------


def _parameters(
    *, prices: str, wholesale_rate: Decimal | None, buyer: Buyer | None
) -> dict[str, Any]:
    return {
        "prices": prices,
        "wholesale_rate": str(wholesale_rate) if wholesale_rate is not None else None,
        "buyer": buyer.pk if buyer is not None else None,
    }


def line_sheet_fingerprint(*, catalog: Catalog, parameters: dict[str, Any]) -> str:
    """Return the fingerprint of everything the catalog's line sheet prints.

    One pass over the orderable SKUs (numbers, colours, sizes, prices, order) with their
    products, the catalog's and brand's fields and the pictures: any change to what the
    sheet shows changes it, whoever made the change and however.
    """
    digest = hashlib.sha256()
    rows = (
        SKU.objects.filter(product__catalog=catalog, is_active=True)
        .order_by("product__model_number", "product_id", "position", "id")
        .values_list(
            "product_id",
            "product__model_number",
            "product__name",
            "id",
            "sku_number",
            "color",
            "size",
            "retail_price",
            "position",
        )
        .iterator(chunk_size=2_000)
    )
    for row in rows:
        digest.update(repr(row).encode())
    brand = catalog.brand
    return fingerprint_of(
        LAYOUT_VERSION,
        parameters,
        [brand.name, brand.logo],
        [catalog.name, catalog.code, catalog.currency, catalog.order_deadline],
        _image_fingerprint(catalog),
        digest.hexdigest(),
    )


def line_sheet_file_name(catalog: Catalog) -> str:
    """Return e.g. "line-sheet-SS27.pdf": the code made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", catalog.code).strip("-.") or str(catalog.pk)
    return f"line-sheet-{safe}.pdf"


def _request(catalog: Catalog, parameters: dict[str, Any], buyer: Buyer | None) -> DocumentRequest:
    return DocumentRequest(
        kind=DocumentKind.LINE_SHEET,
        brand=catalog.brand,
        organization=buyer.organization if buyer is not None else None,
        catalog=catalog,
        parameters=parameters,
        file_name=line_sheet_file_name(catalog),
        fingerprint=line_sheet_fingerprint(catalog=catalog, parameters=parameters),
    )


def line_sheet_for_buyer(*, catalog: Catalog, buyer: Buyer) -> DocumentRequest:
    """The line sheet a connected buyer gets: its own wholesale prices, nothing else."""
    parameters = _parameters(
        prices=PriceChoice.WHOLESALE, wholesale_rate=buyer.wholesale_rate, buyer=buyer
    )
    return _request(catalog, parameters, buyer)


def line_sheet_for_brand(*, catalog: Catalog, prices: str) -> DocumentRequest:
    """The line sheet the brand sends out: retail, wholesale at its default rate, or both."""
    if prices not in PriceChoice.ALL:
        raise ValueError(f"prices must be one of {PriceChoice.ALL}, got {prices!r}")
    rate = catalog.brand.default_wholesale_rate if prices != PriceChoice.RETAIL else None
    return _request(catalog, _parameters(prices=prices, wholesale_rate=rate, buyer=None), None)


# --- Rendering ------------------------------------------------------------------------------


def _sheet_products(
    products: Sequence[Product], *, wholesale_rate: Decimal | None, retail: bool
) -> list[SheetProduct]:
    skus: dict[int, list[SKU]] = {}
    for sku in SKU.objects.filter(product__in=products, is_active=True).order_by(
        "product_id", "position", "id"
    ):
        skus.setdefault(sku.product_id, []).append(sku)
    images = _main_image_uris([product.pk for product in products])
    result = []
    for product in products:
        own = skus.get(product.pk, [])
        if not own:
            continue
        result.append(
            SheetProduct(
                model_number=product.model_number,
                name=product.name,
                colors=_distinct([sku.color for sku in own]),
                sizes=_distinct([sku.size for sku in own]),
                wholesale=_range([_wholesale(sku, wholesale_rate) for sku in own])
                if wholesale_rate is not None
                else None,
                retail=_range([sku.retail_price for sku in own]) if retail else None,
                image_uri=images.get(product.pk),
            )
        )
    return result


def line_sheet_render(
    document: GeneratedDocument, *, target: IO[bytes], progress: Callable[[int, int], None]
) -> None:
    """Write the document's line sheet as PDF into `target`, a part of products at a time."""
    assert document.catalog_id is not None  # a line sheet's catalog takes it along when deleted
    catalog = Catalog.objects.select_related("brand").get(pk=document.catalog_id)
    brand = catalog.brand
    parameters = document.parameters
    rate = parameters.get("wholesale_rate")
    wholesale_rate = Decimal(rate) if rate is not None else None
    retail = parameters.get("prices") in (PriceChoice.RETAIL, PriceChoice.BOTH)
    buyer = (
        Buyer.objects.filter(pk=parameters["buyer"]).first() if parameters.get("buyer") else None
    )
    products = list(_orderable_products(catalog).only("id", "model_number", "name"))
    total = len(products)
    progress(0, total)
    context = {
        "brand": brand,
        "catalog": catalog,
        "buyer": buyer,
        "show_wholesale": wholesale_rate is not None,
        "show_retail": retail,
        "currency": catalog.currency,
        "printed_at": timezone.now(),
        "title": _("Line sheet"),
    }

    def parts() -> Iterator[bytes]:
        yield template_pdf(
            "reporting/pdf/line_sheet.html",
            {
                **context,
                "cover": True,
                "logo_uri": brand_logo_data_uri(brand),
                "product_count": total,
            },
            time_zone=brand.time_zone,
        )
        for start in range(0, total, PRODUCTS_PER_PART):
            chunk = products[start : start + PRODUCTS_PER_PART]
            yield template_pdf(
                "reporting/pdf/line_sheet.html",
                {
                    **context,
                    "cover": False,
                    "products": _sheet_products(
                        chunk, wholesale_rate=wholesale_rate, retail=retail
                    ),
                },
                time_zone=brand.time_zone,
            )
            progress(start + len(chunk), total)

    def stamp(pages: int) -> bytes:
        return stamp_pdf(
            pages=pages,
            context={
                **context,
                "running_title": f"{catalog.name} ({catalog.code})",
            },
            time_zone=brand.time_zone,
        )

    pdf_join(parts(), stamp=stamp, target=target)
