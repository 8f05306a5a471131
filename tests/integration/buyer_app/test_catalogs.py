from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.catalog.models import SKU
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_buyer_sees_connected_brands_their_open_catalogs_and_the_limited_ones_it_is_on(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    factories.make_catalog(brand=brand, name="Spring Summer 2026", status="open")
    listed = factories.make_catalog(brand=brand, name="Last Chance", status="limited")
    listed.access_buyers.add(connected_buyer)
    factories.make_catalog(brand=brand, name="Key Accounts Only", status="limited")
    factories.make_catalog(brand=brand, name="Old Season", status="closed")
    stranger = factories.make_brand(name="Unknown Label")
    factories.make_catalog(brand=stranger, name="Not For You")

    response = buyer_client.get(reverse("buyer-home"))

    [(shown_brand, catalogs)] = response.context["brands"]
    assert shown_brand == brand
    assert sorted(c.name for c in catalogs) == ["Last Chance", "Spring Summer 2026"]
    assert "Key Accounts Only" not in response.text
    assert "Old Season" not in response.text
    assert "Not For You" not in response.text


def test_a_connected_brand_without_open_catalogs_is_still_listed(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    response = buyer_client.get(reverse("buyer-home"))

    assert "Atelier" in response.text
    assert "No open catalogs at the moment." in response.text


def test_the_buyer_home_costs_the_same_queries_for_one_and_for_many_brands(
    buyer_client: Client,
    brand: Any,
    organization: Any,
    connected_buyer: Any,
    django_assert_num_queries: Any,
) -> None:
    factories.make_catalog(brand=brand)
    url = reverse("buyer-home")
    buyer_client.get(url)  # settles the active organisation in the session
    # session, user, organisations, memberships, brands, catalogs, the header's cart count
    with django_assert_num_queries(7):
        buyer_client.get(url)

    for _ in range(3):
        other = factories.make_brand()
        factories.make_buyer(brand=other, organization=organization)
        factories.make_catalog(brand=other)
        factories.make_catalog(brand=other)
    with django_assert_num_queries(7):
        response = buyer_client.get(url)
    assert len(response.context["brands"]) == 4


def test_the_catalog_shows_wholesale_prices_for_this_organisation(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=2)
    SKU.objects.filter(product__catalog=catalog).update(retail_price=Decimal("129.90"))
    other_org = factories.make_organization()
    factories.make_buyer(brand=brand, organization=other_org, wholesale_rate=Decimal("0.6"))

    product = catalog.products.get()

    gallery = buyer_client.get(reverse("buyer-catalog", args=[catalog.pk]))
    response = buyer_client.get(reverse("buyer-catalog-product", args=[catalog.pk, product.pk]))

    [card] = gallery.context["cards"]
    assert (card.price_low, card.price_high) == (Decimal("58.46"), Decimal("58.46"))
    assert "Wholesale</span> 58.46 EUR" in gallery.text
    assert "45 %" in gallery.text
    [row] = response.context["grid"].rows
    assert [cell.wholesale for cell in row.cells] == [Decimal("58.46"), Decimal("58.46")]
    assert "58.46" in response.text
    assert "129.90" in response.text
    assert "45 %" in response.text


def test_discontinued_skus_are_left_out_of_the_buyers_catalog(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=2)
    gone = SKU.objects.filter(product__catalog=catalog).last()
    assert gone is not None
    SKU.objects.filter(pk=gone.pk).update(is_active=False)

    response = buyer_client.get(
        reverse("buyer-catalog-product", args=[catalog.pk, gone.product_id])
    )

    assert response.status_code == 200
    assert gone.sku_number not in response.text
    assert response.text.count('type="number"') == 1


def test_a_catalog_of_a_brand_the_organisation_is_not_connected_to_is_not_found(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    foreign = factories.make_catalog(brand=factories.make_brand())

    assert buyer_client.get(reverse("buyer-catalog", args=[foreign.pk])).status_code == 404


def test_a_closed_catalog_is_left_out_of_the_list_but_its_page_says_why_it_takes_no_orders(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    closed = factories.make_catalog(brand=brand, name="Old Season", status="closed")

    assert "Old Season" not in buyer_client.get(reverse("buyer-home")).text
    response = buyer_client.get(reverse("buyer-catalog", args=[closed.pk]))

    assert response.status_code == 200
    assert "The catalog Old Season no longer takes orders (it is closed)." in response.text
    assert 'type="number"' not in response.text
    assert "Add to cart" not in response.text
    product = closed.products.get()
    assert product.name not in response.text
    grid = buyer_client.get(reverse("buyer-catalog-product", args=[closed.pk, product.pk]))
    assert grid.status_code == 302
    assert grid["Location"] == reverse("buyer-catalog", args=[closed.pk])
