from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.catalog.models import SKU, Catalog, Product
from tests import factories

pytestmark = pytest.mark.django_db


def catalog_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "Spring Summer 2026",
        "code": "SS26",
        "status": "open",
        "order_deadline": "2026-01-31",
        "currency": "EUR",
        "consignment": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def product_data(*rows: tuple[str, str, str, str], total: int = 4, **fields: str) -> dict[str, str]:
    data = {
        "model_number": "M-100",
        "name": "Wool coat",
        "skus-TOTAL_FORMS": str(total),
        "skus-INITIAL_FORMS": "0",
        **fields,
    }
    for index, (number, color, size, price) in enumerate(rows):
        data.update(
            {
                f"skus-{index}-sku_number": number,
                f"skus-{index}-color": color,
                f"skus-{index}-size": size,
                f"skus-{index}-retail_price": price,
            }
        )
    return data


def test_the_catalog_list_shows_each_catalog_with_its_product_count(
    owner_client: Client, brand: Any
) -> None:
    factories.make_catalog(brand=brand, code="AW25", name="Autumn Winter 2025", consignment=True)
    factories.make_catalog(brand=factories.make_brand(), code="OTHER")

    response = owner_client.get(reverse("brand-catalogs", args=[brand.slug]))

    [catalog] = response.context["catalogs"]
    assert catalog.code == "AW25"
    assert catalog.product_count == 1
    assert "Autumn Winter 2025" in response.text
    assert "OTHER" not in response.text


def test_the_catalog_list_costs_the_same_queries_for_one_and_for_many_catalogs(
    owner_client: Client, brand: Any, django_assert_num_queries: Any
) -> None:
    url = reverse("brand-catalogs", args=[brand.slug])
    factories.make_catalog(brand=brand)
    with django_assert_num_queries(5):
        owner_client.get(url)

    for _ in range(4):
        factories.make_catalog(brand=brand, skus=3)
    with django_assert_num_queries(5):
        response = owner_client.get(url)
    assert len(response.context["catalogs"]) == 5


def test_staff_create_a_catalog(owner_client: Client, brand: Any) -> None:
    response = owner_client.post(
        reverse("brand-catalog-create", args=[brand.slug]),
        catalog_data(consignment="on", currency="usd"),
        follow=True,
    )

    catalog = Catalog.objects.get(brand=brand)
    assert response.redirect_chain[-1][0] == reverse(
        "brand-catalog-detail", args=[brand.slug, catalog.pk]
    )
    assert (catalog.code, catalog.currency, catalog.consignment) == ("SS26", "USD", True)
    assert catalog.order_deadline == datetime.date(2026, 1, 31)
    assert "Catalog SS26 was created." in response.text


def test_a_duplicate_catalog_code_is_refused_and_the_input_is_kept(
    owner_client: Client, brand: Any
) -> None:
    factories.make_catalog(brand=brand, code="SS26")

    response = owner_client.post(
        reverse("brand-catalog-create", args=[brand.slug]),
        catalog_data(name="A second try", status="limited"),
    )

    assert response.status_code == 200
    assert Catalog.objects.filter(brand=brand).count() == 1
    assert "The code SS26 is already used by another catalog." in response.text
    assert response.context["form"].errors["code"]
    assert 'value="A second try"' in response.text
    assert 'value="2026-01-31"' in response.text
    assert '<option value="limited" selected>' in response.text


def test_the_same_code_is_free_in_another_brand(owner_client: Client, brand: Any) -> None:
    factories.make_catalog(brand=factories.make_brand(), code="SS26")

    response = owner_client.post(reverse("brand-catalog-create", args=[brand.slug]), catalog_data())

    assert response.status_code == 302
    assert Catalog.objects.filter(brand=brand, code="SS26").exists()


def test_staff_edit_a_catalog(owner_client: Client, brand: Any) -> None:
    catalog = factories.make_catalog(brand=brand, code="SS26", name="Draft")
    url = reverse("brand-catalog-edit", args=[brand.slug, catalog.pk])
    assert owner_client.get(url).context["form"]["name"].value() == "Draft"

    response = owner_client.post(
        url, catalog_data(name="Spring Summer 2026", status="closed", order_deadline="")
    )

    assert response.status_code == 302
    catalog.refresh_from_db()
    assert (catalog.name, catalog.status, catalog.order_deadline) == (
        "Spring Summer 2026",
        "closed",
        None,
    )


def test_an_edit_to_a_taken_code_is_refused_and_the_input_is_kept(
    owner_client: Client, brand: Any
) -> None:
    factories.make_catalog(brand=brand, code="AW25")
    catalog = factories.make_catalog(brand=brand, code="SS26", name="Draft")

    response = owner_client.post(
        reverse("brand-catalog-edit", args=[brand.slug, catalog.pk]),
        catalog_data(code="AW25", name="Renamed"),
    )

    assert response.status_code == 200
    assert "The code AW25 is already used by another catalog." in response.text
    assert 'value="Renamed"' in response.text
    catalog.refresh_from_db()
    assert (catalog.code, catalog.name) == ("SS26", "Draft")


def test_the_catalog_detail_is_a_gallery_of_its_products_each_linking_to_its_skus(
    owner_client: Client, brand: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    coat = factories.make_product(
        catalog=catalog,
        model_number="OW-1",
        name="Wool coat",
        category="Outerwear",
        colors=("Black", "Camel"),
        sizes=("S", "M", "L"),
    )
    gone = factories.make_product(catalog=catalog, model_number="OW-2", name="Old cape")
    SKU.objects.filter(product=gone).update(is_active=False)
    factories.add_product_image(coat)
    factories.add_product_image(coat, color="Camel")
    SKU.objects.filter(sku_number="OW-1-Camel-L").update(is_active=False)

    response = owner_client.get(reverse("brand-catalog-detail", args=[brand.slug, catalog.pk]))

    cards = response.context["cards"]
    assert [(c.product, c.colors, len(c.sizes), c.sku_count) for c in cards] == [
        (coat, ["Black", "Camel"], 3, 6),
        (gone, ["Black"], 1, 1),
    ]
    assert "OW-1-Black-S" not in response.text  # the SKUs are on the product's page
    assert "5 of 6 orderable" in response.text
    assert "Discontinued" in response.text
    product_url = reverse("brand-product-detail", args=[brand.slug, catalog.pk, coat.pk])
    assert f'href="{product_url}"' in response.text

    page = owner_client.get(product_url)

    assert page.status_code == 200
    assert "OW-1-Camel-L" in page.text and "OW-1-Black-S" in page.text
    assert "Outerwear" in page.text
    assert page.text.count('<img class="thumb thumb-l"') == 1  # the main image
    assert page.text.count('<img class="thumb thumb-s"') == 2  # every image, small
    assert response.text.count('<img class="thumb thumb-m"') == 1
    assert response.text.count("thumb-m thumb-placeholder") == 1  # the cape has none


def test_the_brands_gallery_is_searched_and_filtered_like_the_buyers(
    owner_client: Client, brand: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    factories.make_product(catalog=catalog, model_number="KN-1", category="Knitwear")
    factories.make_product(catalog=catalog, model_number="OW-1", colors=("Red",))
    url = reverse("brand-catalog-detail", args=[brand.slug, catalog.pk])

    def shown(**query: str) -> list[str]:
        response = owner_client.get(url, query)
        assert response.status_code == 200
        return [card.product.model_number for card in response.context["cards"]]

    assert shown(q="kn") == ["KN-1"]
    assert shown(color="Red") == ["OW-1"]
    assert shown(category="Knitwear") == ["KN-1"]
    assert shown(color="\x00", q="x" * 500) == ["KN-1", "OW-1"]


def test_the_catalog_detail_costs_the_same_queries_for_one_and_for_many_products(
    owner_client: Client, brand: Any, django_assert_num_queries: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=1)
    url = reverse("brand-catalog-detail", args=[brand.slug, catalog.pk])
    # session, user, memberships, organisations, catalog; the colours and categories to
    # choose from; the count, the page's products, their SKUs, their main images; who sees it
    # (the catalog's viewers)
    with django_assert_num_queries(12):
        owner_client.get(url)

    for _ in range(30):
        product = factories.make_product(catalog=catalog, colors=("Red", "Blue"), sizes=("S", "M"))
        factories.add_product_image(product)
    with django_assert_num_queries(12):
        response = owner_client.get(url)
    assert len(response.context["cards"]) == 24


def test_a_product_of_another_catalog_or_brand_is_not_found(
    owner_client: Client, brand: Any
) -> None:
    ours = factories.make_catalog(brand=brand)
    other = factories.make_catalog(brand=brand)
    theirs = factories.make_catalog(brand=factories.make_brand())

    def status(catalog: Any, product_of: Any) -> int:
        product = product_of.products.get()
        url = reverse("brand-product-detail", args=[brand.slug, catalog.pk, product.pk])
        return owner_client.get(url).status_code

    assert status(ours, ours) == 200
    assert status(ours, other) == 404
    assert status(theirs, theirs) == 404


def test_another_brands_catalog_is_not_found(owner_client: Client, brand: Any) -> None:
    catalog = factories.make_catalog(brand=factories.make_brand())

    for name in ["brand-catalog-detail", "brand-catalog-edit", "brand-product-create"]:
        assert owner_client.get(reverse(name, args=[brand.slug, catalog.pk])).status_code == 404


def test_staff_add_a_product_with_its_skus(owner_client: Client, brand: Any) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)

    response = owner_client.post(
        reverse("brand-product-create", args=[brand.slug, catalog.pk]),
        product_data(
            ("M-100-BLK-S", "Black", "S", "240"),
            ("M-100-BLK-M", "Black", "M", "240.50"),
            ("", "", "", ""),
        ),
        follow=True,
    )

    product = Product.objects.get(catalog=catalog)
    assert (product.model_number, product.name) == ("M-100", "Wool coat")
    assert list(product.skus.values_list("sku_number", "size", "retail_price")) == [
        ("M-100-BLK-S", "S", Decimal("240.00")),
        ("M-100-BLK-M", "M", Decimal("240.50")),
    ]
    assert "M-100 was added with 2 SKUs." in response.text
    assert "M-100-BLK-M" in response.text


def test_a_product_is_added_with_its_category_and_an_overlong_one_is_refused(
    owner_client: Client, brand: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    url = reverse("brand-product-create", args=[brand.slug, catalog.pk])
    row = ("M-100-BLK-S", "Black", "S", "240")

    refused = owner_client.post(url, product_data(row, category="K" * 61))
    owner_client.post(url, product_data(row, category=" Knitwear "))

    assert refused.status_code == 200
    assert "Ensure this value has at most 60 characters" in refused.text
    assert Product.objects.get(catalog=catalog).category == "Knitwear"


def test_a_product_form_starts_with_blank_sku_rows(owner_client: Client, brand: Any) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)

    response = owner_client.get(reverse("brand-product-create", args=[brand.slug, catalog.pk]))

    assert len(response.context["formset"].forms) == 4
    assert 'for="id_skus-0-sku_number"' in response.text  # every input has a label


def test_a_bad_sku_row_shows_its_errors_and_nothing_is_lost(
    owner_client: Client, brand: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)

    response = owner_client.post(
        reverse("brand-product-create", args=[brand.slug, catalog.pk]),
        product_data(
            ("M-100-BLK-S", "Black", "S", "240"),
            ("M-100-BLK-M", "Black", "", "-5"),
        ),
    )

    assert response.status_code == 200
    assert not Product.objects.exists()
    row = response.context["formset"].forms[1]
    assert set(row.errors) == {"size", "retail_price"}
    for kept in ['value="M-100-BLK-S"', 'value="M-100-BLK-M"', 'value="-5"', 'value="Wool coat"']:
        assert kept in response.text


def test_a_taken_sku_number_is_refused_and_the_rows_are_kept(
    owner_client: Client, brand: Any
) -> None:
    existing = factories.make_catalog(brand=brand, skus=1)
    taken = SKU.objects.get(product__catalog=existing).sku_number
    catalog = factories.make_catalog(brand=brand, skus=0)

    response = owner_client.post(
        reverse("brand-product-create", args=[brand.slug, catalog.pk]),
        product_data(("NEW-1", "Navy", "S", "90"), (taken, "Navy", "M", "90")),
    )

    assert response.status_code == 200
    assert f"These SKU numbers are already used: {taken}" in response.text
    assert 'value="NEW-1"' in response.text
    assert not Product.objects.filter(catalog=catalog).exists()


def test_a_taken_model_number_is_shown_on_its_field(owner_client: Client, brand: Any) -> None:
    factories.make_catalog(brand=brand, skus=1)
    taken = Product.objects.get().model_number
    catalog = factories.make_catalog(brand=brand, skus=0)

    response = owner_client.post(
        reverse("brand-product-create", args=[brand.slug, catalog.pk]),
        product_data(("NEW-1", "Navy", "S", "90"), model_number=taken),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["model_number"] == [
        f"The model number {taken} is already used."
    ]


def test_a_product_without_skus_is_refused(owner_client: Client, brand: Any) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)

    response = owner_client.post(
        reverse("brand-product-create", args=[brand.slug, catalog.pk]), product_data()
    )

    assert response.status_code == 200
    assert "A product needs at least one SKU." in response.text
    assert not Product.objects.exists()
