"""The line sheet PDF: a cover, then the products with the prices their reader may see."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from linesheet.accounts.logos import brand_logo_set
from linesheet.accounts.models import Brand, Buyer
from linesheet.catalog.images import product_image_thumbnails_make
from linesheet.catalog.models import SKU, Catalog, Product, ProductImage
from linesheet.catalog.services import product_images_add
from linesheet.reporting.generation import document_request
from linesheet.reporting.line_sheet import PriceChoice, line_sheet_for_brand, line_sheet_for_buyer
from linesheet.reporting.models import DocumentStatus, GeneratedDocument
from linesheet.reporting.tasks import document_render
from tests import factories
from tests.image_files import image_bytes
from tests.integration.reporting.pdf_text import pages_of

pytestmark = pytest.mark.django_db

COLOURS = ("Black", "Navy")
SIZES = ("S", "M", "L")


def make_season(brand: Brand, *, products: int = 8) -> Catalog:
    """A demo-like catalog: products in two colours and three sizes, prices by product."""
    catalog = Catalog.objects.create(brand=brand, name="Spring Summer 2027", code="SS27")
    for p in range(products):
        product = Product.objects.create(
            brand=brand, catalog=catalog, model_number=f"SS27-{p:03d}", name=f"Linen shirt {p}"
        )
        SKU.objects.bulk_create(
            SKU(
                brand=brand,
                product=product,
                sku_number=f"SS27-{p:03d}-{colour[:3]}-{size}",
                color=colour,
                size=size,
                retail_price=Decimal(100 + 10 * p),
                position=position,
            )
            for position, (colour, size) in enumerate(
                (colour, size) for colour in COLOURS for size in SIZES
            )
        )
    return catalog


def render(document: GeneratedDocument) -> list[str]:
    document_render(document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    with document.file.open("rb") as file:
        return pages_of(file.read())


@pytest.fixture
def season(brand: Brand) -> Catalog:
    return make_season(brand)


def test_a_buyers_line_sheet_shows_its_own_wholesale_prices_and_nothing_else(
    brand: Brand, season: Catalog, buyer: Buyer, stored_files: Any
) -> None:
    buyer.wholesale_rate = Decimal("0.4000")
    buyer.save(update_fields=["wholesale_rate"])
    other = factories.make_connected_buyer(brand=brand)
    other.wholesale_rate = Decimal("0.5500")
    other.save(update_fields=["wholesale_rate"])

    document = document_request(
        request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None
    )
    pages = render(document)

    assert "Atelier" in pages[0] and "Spring Summer 2027" in pages[0] and "SS27" in pages[0]
    text = " ".join(pages[1:])
    for p in range(8):
        assert f"SS27-{p:03d}" in text and f"Linen shirt {p}" in text
        assert f"{(100 + 10 * p) * Decimal('0.4'):.2f} EUR" in text
        # Neither retail nor the other buyer's price.
        assert f"{100 + 10 * p:.2f} EUR" not in text
        assert f"{(100 + 10 * p) * Decimal('0.55'):.2f} EUR" not in text
    assert "Black, Navy" in text and "S, M, L" in text
    assert "retail" not in text.lower()
    assert pages[-1].endswith(f"Page {len(pages)} of {len(pages)}")


@pytest.mark.parametrize(
    ("prices", "wholesale", "retail"),
    [
        (PriceChoice.WHOLESALE, True, False),
        (PriceChoice.RETAIL, False, True),
        (PriceChoice.BOTH, True, True),
    ],
)
def test_the_brands_version_shows_the_prices_it_chose(
    brand: Brand, season: Catalog, stored_files: Any, prices: str, wholesale: bool, retail: bool
) -> None:
    brand.default_wholesale_rate = Decimal("0.4500")
    brand.save(update_fields=["default_wholesale_rate"])

    text = " ".join(
        render(
            document_request(request=line_sheet_for_brand(catalog=season, prices=prices), user=None)
        )[1:]
    )

    for p in range(8):
        retail_price = Decimal(100 + 10 * p)
        assert (f"{retail_price * Decimal('0.45'):.2f} EUR" in text) is wholesale
        assert (f"{retail_price:.2f} EUR" in text) is retail
    assert ("wholesale" in text.lower()) is wholesale
    assert ("retail" in text.lower()) is retail


def test_a_product_whose_skus_differ_in_price_shows_the_range(
    brand: Brand, season: Catalog, buyer: Buyer, stored_files: Any
) -> None:
    SKU.objects.filter(sku_number="SS27-000-Nav-L").update(retail_price=Decimal("130.00"))

    pages = render(
        document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)
    )

    assert "50.00 \u2013 65.00 EUR" in " ".join(pages)


def test_user_text_is_printed_as_text_and_discontinued_skus_are_left_out(
    brand: Brand, season: Catalog, buyer: Buyer, stored_files: Any
) -> None:
    Product.objects.filter(model_number="SS27-001").update(name="Shirt <b>bold</b> & co")
    SKU.objects.filter(product__model_number="SS27-002", color="Navy").update(is_active=False)
    SKU.objects.filter(product__model_number="SS27-003").update(is_active=False)

    text = " ".join(
        render(
            document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)
        )
    )

    assert "Shirt <b>bold</b> & co" in text
    assert "SS27-003" not in text
    product_2 = text.split("SS27-002", 1)[1].split("SS27-004", 1)[0]
    assert "Black" in product_2 and "Navy" not in product_2


def test_a_catalog_of_many_products_is_rendered_in_parts_and_numbered_throughout(
    brand: Brand, buyer: Buyer, stored_files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("linesheet.reporting.line_sheet.PRODUCTS_PER_PART", 4)
    catalog = make_season(brand, products=14)

    pages = render(
        document_request(request=line_sheet_for_buyer(catalog=catalog, buyer=buyer), user=None)
    )

    # A cover, then four parts of at most four products (two pages of six would hold them).
    assert len(pages) == 5
    for number, page in enumerate(pages, 1):
        assert page.endswith(f"Page {number} of 5")
    assert [page.count("Linen shirt") for page in pages] == [0, 4, 4, 4, 2]
    assert "Spring Summer 2027 (SS27)" in pages[1] and "Atelier" in pages[1]


# --- Reuse and invalidation ----------------------------------------------------------------------


def _fingerprint(catalog: Catalog, buyer: Buyer) -> str:
    catalog.refresh_from_db()
    buyer.refresh_from_db()
    return line_sheet_for_buyer(catalog=catalog, buyer=buyer).fingerprint


def test_a_ready_line_sheet_is_given_again_while_nothing_it_shows_changed(
    season: Catalog, buyer: Buyer, stored_files: Any
) -> None:
    first = document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)
    document_render(document=first)

    again = document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)

    assert again.pk == first.pk
    assert GeneratedDocument.objects.count() == 1


def test_one_being_made_is_given_again_too(season: Catalog, buyer: Buyer) -> None:
    first = document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)

    again = document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)

    assert again.pk == first.pk and again.status == DocumentStatus.QUEUED


CHANGES = {
    "a price": lambda c, b: SKU.objects.filter(sku_number="SS27-004-Bla-M").update(
        retail_price=Decimal("999.00")
    ),
    "a product's name": lambda c, b: Product.objects.filter(model_number="SS27-001").update(
        name="Renamed"
    ),
    "a colour": lambda c, b: SKU.objects.filter(sku_number="SS27-004-Bla-M").update(color="Red"),
    "a SKU discontinued": lambda c, b: SKU.objects.filter(sku_number="SS27-004-Bla-M").update(
        is_active=False
    ),
    "a SKU added": lambda c, b: SKU.objects.create(
        brand=c.brand,
        product=c.products.get(model_number="SS27-004"),
        sku_number="SS27-004-Red-XL",
        color="Red",
        size="XL",
        retail_price=Decimal("140.00"),
        position=9,
    ),
    "a product added": lambda c, b: SKU.objects.create(
        brand=c.brand,
        product=Product.objects.create(brand=c.brand, catalog=c, model_number="NEW", name="New"),
        sku_number="NEW-1",
        color="Black",
        size="M",
        retail_price=Decimal("10.00"),
    ),
    "the sizes' order": lambda c, b: SKU.objects.filter(sku_number="SS27-004-Bla-S").update(
        position=99
    ),
    "the catalog's name": lambda c, b: Catalog.objects.filter(pk=c.pk).update(name="Resort 27"),
    "the brand's name": lambda c, b: Brand.objects.filter(pk=c.brand_id).update(name="Renamed"),
    "the buyer's rate": lambda c, b: Buyer.objects.filter(pk=b.pk).update(
        wholesale_rate=Decimal("0.3000")
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=str)
def test_a_change_to_what_the_line_sheet_shows_makes_a_new_one(
    season: Catalog, buyer: Buyer, change: str
) -> None:
    first = document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)
    GeneratedDocument.objects.filter(pk=first.pk).update(status=DocumentStatus.READY)
    before = _fingerprint(season, buyer)

    CHANGES[change](season, buyer)

    assert _fingerprint(season, buyer) != before
    again = document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)
    assert again.pk != first.pk


def test_a_change_elsewhere_keeps_the_line_sheet(
    brand: Brand, season: Catalog, buyer: Buyer
) -> None:
    before = _fingerprint(season, buyer)

    other = make_season(factories.make_brand(), products=1)
    SKU.objects.filter(product__catalog=other).update(retail_price=Decimal("1.00"))
    Catalog.objects.filter(pk=season.pk).update(status="limited")

    assert _fingerprint(season, buyer) == before


def test_buyers_at_different_rates_get_line_sheets_of_their_own(
    brand: Brand, season: Catalog, buyer: Buyer
) -> None:
    other = factories.make_connected_buyer(brand=brand)
    other.wholesale_rate = Decimal("0.3000")
    other.save(update_fields=["wholesale_rate"])

    mine = document_request(request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None)
    theirs = document_request(request=line_sheet_for_buyer(catalog=season, buyer=other), user=None)

    assert mine.pk != theirs.pk
    assert (mine.organization_id, theirs.organization_id) == (
        buyer.organization_id,
        other.organization_id,
    )


# --- Pictures -------------------------------------------------------------------------------------


def _add_picture(catalog: Catalog, model_number: str, *, thumbnails: bool = True) -> None:
    # Each its own colour: the PDF holds one copy of pictures that are the same.
    product = catalog.products.get(model_number=model_number)
    [image] = product_images_add(
        product=product,
        files=[
            io.BytesIO(image_bytes(size=(400, 300), color=(int(model_number[-3:]) * 30, 90, 30)))
        ],
        actor=None,
    )
    if thumbnails:
        product_image_thumbnails_make(image_id=image.pk)


def _images_by_page(pdf: bytes) -> list[int]:
    """Count the image XObjects each page draws (a part's pages share one resource list)."""
    reader = PdfReader(io.BytesIO(pdf))
    counts = []
    for page in reader.pages:
        objects = page["/Resources"].get_object().get("/XObject")
        images = {
            name
            for name, value in (objects.get_object() if objects else {}).items()
            if value.get_object()["/Subtype"] == "/Image"
        }
        drawn = [
            operands[0]
            for operands, operator in ContentStream(page.get_contents(), reader).operations
            if operator == b"Do"
        ]
        counts.append(sum(1 for name in drawn if name in images))
    return counts


def test_the_cover_carries_the_logo_and_each_product_its_main_picture(
    brand: Brand, season: Catalog, buyer: Buyer, stored_files: Any
) -> None:
    brand_logo_set(brand=brand, file=io.BytesIO(image_bytes(format="PNG")), actor=None)
    for model_number in ("SS27-000", "SS27-003", "SS27-007"):
        _add_picture(season, model_number)
    # A picture whose thumbnails are not made yet is not shown (the card says so).
    _add_picture(season, "SS27-005", thumbnails=False)

    document = document_request(
        request=line_sheet_for_buyer(catalog=season, buyer=buyer), user=None
    )
    document_render(document=document)
    document.refresh_from_db()
    with document.file.open("rb") as file:
        pdf = file.read()

    # The cover: the logo; six products a page: 000 and 003 on the first, 007 on the second.
    assert _images_by_page(pdf) == [1, 2, 1]
    assert pages_of(pdf)[1].count("No picture") == 4


def test_a_picture_added_or_made_changes_the_line_sheet(
    brand: Brand, season: Catalog, buyer: Buyer, stored_files: Any
) -> None:
    before = _fingerprint(season, buyer)
    _add_picture(season, "SS27-002", thumbnails=False)
    added = _fingerprint(season, buyer)
    product_image_thumbnails_make(image_id=ProductImage.objects.get().pk)
    made = _fingerprint(season, buyer)
    brand_logo_set(brand=brand, file=io.BytesIO(image_bytes(format="PNG")), actor=None)
    season.brand.refresh_from_db()

    assert len({before, added, made, _fingerprint(season, buyer)}) == 4
