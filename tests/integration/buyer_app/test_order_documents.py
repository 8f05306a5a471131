"""Buyer App downloads: the organisation's own orders as PDF, in every status; no one else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.integration.reporting.dataset import Dataset, build
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(brand: Any, owner: Any) -> Dataset:
    return build(brand=brand, owner=owner)


@pytest.fixture
def maison(client: Client, data: Dataset) -> Client:
    client.force_login(data.maison_user)
    return client


@pytest.fixture
def nordic(client: Client, data: Dataset) -> Client:
    client.force_login(data.nordic_user)
    return client


def po_url(order: Any) -> str:
    return reverse("buyer-order-pdf", args=[order.pk])


def oc_url(order: Any) -> str:
    return reverse("buyer-order-confirmation-pdf", args=[order.pk])


@pytest.mark.parametrize(
    ("which", "label"),
    [
        ("open", "Awaiting OC creation"),
        ("rejected", "Order declined"),
        ("returned", "Returned to cart"),
        ("replacement", "Awaiting OC creation"),
    ],
)
def test_the_buyer_downloads_its_order_in_every_status(
    maison: Client, data: Dataset, which: str, label: str
) -> None:
    order = getattr(data, which)

    response = maison.get(po_url(order))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="order-{order.code}.pdf"'
    text = text_of(response.content)
    assert f"Purchase order {order.code}" in text
    assert label in text


def test_the_buyer_downloads_the_brands_confirmation(nordic: Client, data: Dataset) -> None:
    response = nordic.get(oc_url(data.confirmed))

    text = text_of(response.content)
    assert f"Order confirmation {data.confirmed.code}" in text
    assert "OC confirmed" in text and "Total 240.00 EUR" in text
    assert nordic.get(oc_url(data.nordic_nok)).status_code == 404


def test_another_organisations_order_is_not_found(maison: Client, data: Dataset) -> None:
    assert maison.get(po_url(data.confirmed)).status_code == 404
    assert maison.get(oc_url(data.confirmed)).status_code == 404
    assert maison.get(po_url(data.foreign)).status_code == 404


def test_the_order_page_links_its_documents(maison: Client, data: Dataset) -> None:
    returned = maison.get(reverse("buyer-order", args=[data.returned.pk])).content.decode()

    assert f'href="{po_url(data.returned)}"' in returned
    assert oc_url(data.returned) not in returned


def test_the_order_page_links_the_confirmation_when_there_is_one(
    nordic: Client, data: Dataset
) -> None:
    page = nordic.get(reverse("buyer-order", args=[data.confirmed.pk])).content.decode()

    assert f'href="{oc_url(data.confirmed)}"' in page
