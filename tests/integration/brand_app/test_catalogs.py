from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.catalog.services import product_images_add
from tests import factories
from tests.image_files import image_bytes, upload

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


def test_the_catalog_detail_shows_products_with_their_skus(
    owner_client: Client, brand: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=2)
    sku = SKU.objects.filter(product__catalog=catalog).first()
    assert sku is not None

    response = owner_client.get(reverse("brand-catalog-detail", args=[brand.slug, catalog.pk]))

    product = Product.objects.get(catalog=catalog)
    assert product.model_number in response.text
    assert sku.sku_number in response.text
    assert "100.00" in response.text


def test_the_catalog_detail_costs_the_same_queries_for_one_and_for_many_products(
    owner_client: Client, brand: Any, django_assert_num_queries: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=1)
    url = reverse("brand-catalog-detail", args=[brand.slug, catalog.pk])
    # session, user, memberships, organisations, catalog, products, SKUs, who sees it, images
    with django_assert_num_queries(9):
        owner_client.get(url)

    for n in range(5):
        product = Product.objects.create(
            brand=brand, catalog=catalog, model_number=f"EXTRA-{n}", name="Extra"
        )
        SKU.objects.create(
            brand=brand,
            product=product,
            sku_number=f"EXTRA-{n}-S",
            color="Red",
            size="S",
            retail_price=Decimal("10"),
        )
        product_images_add(product=product, files=[upload(image_bytes())], color="", actor=None)
    with django_assert_num_queries(9):
        response = owner_client.get(url)
    assert len(response.context["products"]) == 6


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
