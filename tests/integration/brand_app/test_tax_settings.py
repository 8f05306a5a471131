from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import TaxRate
from tests import factories

pytestmark = pytest.mark.django_db


def url(brand: Any, name: str = "brand-settings-tax", *args: Any) -> str:
    return reverse(name, args=[brand.slug, *args])


IDENTITY = {
    "legal_name": "Atelier <b>SARL</b>",
    "legal_address": "1 rue de la Paix\n75002 Paris",
    "tax_id": "FR12345678901",
    "tax_rounding_mode": "up",
    "tax_rounding_scope": "document",
    "bank_1_label": "Main",
    "bank_1_iban": "FR76 3000 6000 0112 3456 7890 189",
    "bank_1_bic": "AGRIFRPP",
    "bank_2_details": "Cheques to Atelier SARL",
}


def test_an_owner_saves_the_legal_identity_rounding_and_bank_accounts(
    owner_client: Client, brand: Any
) -> None:
    response = owner_client.post(url(brand), IDENTITY)

    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.legal_name == "Atelier <b>SARL</b>"
    assert (brand.tax_rounding_mode, brand.tax_rounding_scope) == ("up", "document")
    assert brand.bank_accounts == [
        {"label": "Main", "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP", "details": ""},
        {"label": "", "iban": "", "bic": "", "details": "Cheques to Atelier SARL"},
    ]
    page = owner_client.get(url(brand))
    assert "Atelier &lt;b&gt;SARL&lt;/b&gt;" in page.text
    assert 'value="FR7630006000011234567890189"' in page.text


def test_a_bad_bic_is_refused_on_the_page_and_nothing_is_saved(
    owner_client: Client, brand: Any
) -> None:
    response = owner_client.post(url(brand), {**IDENTITY, "bank_1_bic": "NOPE"})

    assert response.status_code == 400
    assert "This is not a BIC." in response.text
    brand.refresh_from_db()
    assert brand.legal_name == ""


def test_an_owner_adds_a_default_rate_which_takes_over_and_removes_one(
    owner_client: Client, brand: Any
) -> None:
    rates = factories.make_tax_rates(brand=brand)

    added = owner_client.post(
        url(brand, "brand-settings-tax-rate-add"),
        {"name": "VAT", "rate": "21", "countries": "nl, be", "is_default": "on"},
    )
    refused = owner_client.post(
        url(brand, "brand-settings-tax-rate-add"), {"name": "VAT", "rate": "7", "countries": "X"}
    )
    removed = owner_client.post(url(brand, "brand-settings-tax-rate-remove", rates["jct"].pk))

    assert added.status_code == removed.status_code == 302
    assert refused.status_code == 400
    assert "is not a two-letter country code" in refused.text
    new = TaxRate.objects.get(rate=Decimal("21"))
    assert (new.countries, new.is_default) == (["NL", "BE"], True)
    rates["vat"].refresh_from_db()
    assert rates["vat"].is_default is False
    assert not TaxRate.objects.filter(pk=rates["jct"].pk).exists()
    page = owner_client.get(url(brand))
    assert "VAT 21 %" in page.text


def test_a_viewer_sees_the_settings_but_changes_nothing(viewer_client: Client, brand: Any) -> None:
    factories.make_tax_rates(brand=brand)

    page = viewer_client.get(url(brand))
    refused = viewer_client.post(
        url(brand, "brand-settings-tax-rate-add"), {"name": "X", "rate": "1"}
    )

    assert page.status_code == 200
    assert "JCT 8 %" in page.text
    assert "Add the rate" not in page.text
    assert refused.status_code == 403
    assert TaxRate.objects.filter(brand=brand).count() == 6


def test_the_buyer_page_sets_where_the_buyer_is_taxed(owner_client: Client, brand: Any) -> None:
    buyer = factories.make_buyer(brand=brand)
    page = reverse("brand-buyer-detail", args=[brand.slug, buyer.pk])

    saved = owner_client.post(page, {"country": "jp", "tax_id": "T1234567890123"})
    refused = owner_client.post(page, {"country": "J1", "tax_id": ""})

    assert saved.status_code == 302
    assert refused.status_code == 400
    buyer.refresh_from_db()
    assert (buyer.country, buyer.tax_id) == ("JP", "T1234567890123")
