from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import ShippingGroup
from linesheet.catalog.models import Catalog
from tests import factories

pytestmark = pytest.mark.django_db


def url(brand: Any, name: str = "brand-settings-shipping", *args: Any) -> str:
    return reverse(name, args=[brand.slug, *args])


def test_an_owner_adds_a_group_with_a_free_band_and_edits_it_as_text(
    owner_client: Client, brand: Any
) -> None:
    response = owner_client.post(
        url(brand),
        {"name": "Europe <b>", "currency": "eur", "rates": "de: 0 = 9.90, 200 = 0\n* : 0=25"},
    )

    assert response.status_code == 302
    group = ShippingGroup.objects.get(brand=brand)
    assert (group.name, group.currency) == ("Europe <b>", "EUR")
    assert [(rate.country, rate.bands) for rate in group.rates.all()] == [
        ("", [{"from": "0.00", "fee": "25.00"}]),
        ("DE", [{"from": "0.00", "fee": "9.90"}, {"from": "200.00", "fee": "0.00"}]),
    ]
    page = owner_client.get(url(brand)).text
    assert "Europe &lt;b&gt;" in page and "200.00 = 0.00" in page

    edit = owner_client.get(url(brand, "brand-settings-shipping-group", group.pk)).text
    assert "DE: 0.00 = 9.90, 200.00 = 0.00" in edit
    saved = owner_client.post(
        url(brand, "brand-settings-shipping-group", group.pk),
        {"name": "Europe", "currency": "EUR", "rates": "FR: 0 = 12"},
    )
    assert saved.status_code == 302
    assert [(r.country, r.bands) for r in group.rates.all()] == [
        ("FR", [{"from": "0.00", "fee": "12.00"}])
    ]


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ("DE 0 = 9.90", "Write each line as a country code"),
        ("DEU: 0 = 9.90", "is not a two-letter country code"),
        ("DE: 0 = -1", "An amount from 0"),
        ("DE: 0 = 1\nde: 0 = 2", "one rate per country"),
    ],
)
def test_bad_rates_are_refused_on_the_page_and_nothing_is_saved(
    owner_client: Client, brand: Any, rates: str, message: str
) -> None:
    response = owner_client.post(url(brand), {"name": "X", "currency": "EUR", "rates": rates})

    assert response.status_code == 400
    assert message in response.text
    assert not ShippingGroup.objects.exists()


def test_a_viewer_reads_the_groups_but_cannot_change_them(
    viewer_client: Client, brand: Any
) -> None:
    group = factories.make_shipping_group(brand=brand)

    assert "Standard" in viewer_client.get(url(brand)).text
    refused = viewer_client.post(url(brand, "brand-settings-shipping-group-remove", group.pk))
    assert refused.status_code == 403
    assert ShippingGroup.objects.filter(pk=group.pk).exists()


def test_the_catalog_form_names_a_group_in_its_currency_and_removing_it_ends_the_fee(
    owner_client: Client, brand: Any, catalog: Any
) -> None:
    group = factories.make_shipping_group(brand=brand)
    yen = factories.make_shipping_group(brand=brand, name="Japan", currency="JPY")
    edit = reverse("brand-catalog-edit", args=[brand.slug, catalog.pk])
    fields = {"name": "SS27", "code": "SS27", "status": "open", "currency": "EUR"}

    refused = owner_client.post(edit, {**fields, "shipping_group_id": yen.pk})
    assert "in the catalog&#x27;s currency" in refused.text
    assert Catalog.objects.get(pk=catalog.pk).shipping_group is None

    assert owner_client.post(edit, {**fields, "shipping_group_id": group.pk}).status_code == 302
    assert Catalog.objects.get(pk=catalog.pk).shipping_group == group

    owner_client.post(url(brand, "brand-settings-shipping-group-remove", group.pk))
    assert Catalog.objects.get(pk=catalog.pk).shipping_group is None
