from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import Buyer, Invitation
from linesheet.catalog.models import Catalog, Product
from tests import factories

pytestmark = pytest.mark.django_db


def brand_pages(brand: Any) -> list[str]:
    catalog = factories.make_catalog(brand=brand)
    buyer = factories.make_buyer(brand=brand)
    order = factories.make_order(buyer=factories.make_connected_buyer(brand=brand), catalog=catalog)
    slug = brand.slug
    return [
        reverse("brand-orders", args=[slug]),
        reverse("brand-order-detail", args=[slug, order.code]),
        reverse("brand-settings-numbering", args=[slug]),
        reverse("brand-buyers", args=[slug]),
        reverse("brand-buyer-detail", args=[slug, buyer.pk]),
        reverse("brand-catalogs", args=[slug]),
        reverse("brand-catalog-detail", args=[slug, catalog.pk]),
    ]


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client, brand: Any) -> None:
    for url in brand_pages(brand):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_a_member_of_another_brand_gets_not_found(client: Client, brand: Any) -> None:
    other_brand = factories.make_brand()
    client.force_login(factories.make_member(brand=other_brand, role="owner"))

    for url in brand_pages(brand):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("brand-catalog-create", args=[brand.slug]),
        {"name": "Sneaky", "code": "X1", "status": "open", "currency": "EUR"},
    )
    assert response.status_code == 404
    assert not Catalog.objects.filter(code="X1").exists()


def test_a_member_reads_every_page_of_their_brand(owner_client: Client, brand: Any) -> None:
    for url in brand_pages(brand):
        assert owner_client.get(url).status_code == 200


def test_the_brand_home_opens_the_transactions(owner_client: Client, brand: Any) -> None:
    response = owner_client.get(reverse("brand-home", args=[brand.slug]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("brand-orders", args=[brand.slug])
    assert b"Order Management" in response.content


def test_a_viewer_reads_the_pages_but_sees_no_write_buttons(
    viewer_client: Client, brand: Any
) -> None:
    catalog = factories.make_catalog(brand=brand)
    pages = {
        reverse("brand-buyers", args=[brand.slug]): [
            reverse("brand-buyer-create", args=[brand.slug]),
            reverse("brand-invitation-create", args=[brand.slug]),
        ],
        reverse("brand-catalogs", args=[brand.slug]): [
            reverse("brand-catalog-create", args=[brand.slug]),
        ],
        reverse("brand-catalog-detail", args=[brand.slug, catalog.pk]): [
            reverse("brand-catalog-edit", args=[brand.slug, catalog.pk]),
            reverse("brand-product-create", args=[brand.slug, catalog.pk]),
        ],
    }
    for page, write_links in pages.items():
        response = viewer_client.get(page)

        assert response.status_code == 200
        assert "Read only" in response.text
        for link in write_links:
            assert f'href="{link}"' not in response.text


def test_a_viewer_cannot_change_anything(viewer_client: Client, brand: Any) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    offline = factories.make_buyer(brand=brand)
    slug = brand.slug
    writes = {
        reverse("brand-buyer-create", args=[slug]): {
            "name": "Shop",
            "currency": "EUR",
            "wholesale_rate": "0.5",
            "language": "en",
        },
        reverse("brand-invitation-create", args=[slug]): {
            "email": "shop@example.test",
            "buyer": str(offline.pk),
            "language": "en",
        },
        reverse("brand-catalog-create", args=[slug]): {
            "name": "New",
            "code": "NEW",
            "status": "open",
            "currency": "EUR",
        },
        reverse("brand-catalog-edit", args=[slug, catalog.pk]): {
            "name": "Renamed",
            "code": catalog.code,
            "status": "open",
            "currency": "EUR",
        },
        reverse("brand-product-create", args=[slug, catalog.pk]): {
            "model_number": "M-NEW",
            "name": "Coat",
            "skus-TOTAL_FORMS": "1",
            "skus-INITIAL_FORMS": "0",
            "skus-0-sku_number": "M-NEW-1",
            "skus-0-color": "Black",
            "skus-0-size": "M",
            "skus-0-retail_price": "100",
        },
        # A read page refuses a POST too.
        reverse("brand-catalogs", args=[slug]): {},
    }
    for url, data in writes.items():
        assert viewer_client.get(url).status_code in (200, 403)
        response = viewer_client.post(url, data)

        assert response.status_code == 403, url
        assert "viewer" in response.text
    assert Buyer.objects.filter(brand=brand).count() == 1
    assert not Invitation.objects.exists()
    assert list(Catalog.objects.values_list("name", flat=True)) == [catalog.name]
    assert not Product.objects.exists()


def test_a_viewer_is_refused_the_forms_that_only_change_data(
    viewer_client: Client, brand: Any
) -> None:
    catalog = factories.make_catalog(brand=brand)

    for url in [
        reverse("brand-buyer-create", args=[brand.slug]),
        reverse("brand-invitation-create", args=[brand.slug]),
        reverse("brand-catalog-create", args=[brand.slug]),
        reverse("brand-catalog-edit", args=[brand.slug, catalog.pk]),
        reverse("brand-product-create", args=[brand.slug, catalog.pk]),
    ]:
        assert viewer_client.get(url).status_code == 403


def test_the_brand_switcher_lists_every_brand_of_the_user(client: Client, brand: Any) -> None:
    user = factories.make_member(brand=brand, role="staff")
    other = factories.make_brand(name="Nordlys")
    factories.make_member(brand=other, role="viewer", user=user)
    client.force_login(user)

    response = client.get(reverse("brand-catalogs", args=[brand.slug]))

    assert f'href="{reverse("brand-home", args=[other.slug])}"' in response.text


def test_a_viewer_sees_the_write_buttons_disabled_with_the_reason(
    brand: Any, owner: Any, viewer: Any
) -> None:
    viewer_client, owner_client = Client(), Client()
    viewer_client.force_login(viewer)
    owner_client.force_login(owner)
    pages = [
        (reverse("brand-catalogs", args=[brand.slug]), "New catalog"),
        (reverse("brand-buyers", args=[brand.slug]), "Invite a buyer"),
        (reverse("brand-orders", args=[brand.slug]), "Import an order sheet"),
    ]
    for page, label in pages:
        viewer_page = viewer_client.get(page).text
        owner_page = owner_client.get(page).text

        disabled = re.search(
            rf"<button[^>]*disabled[^>]*>{label}<span[^>]*> \(([^)]*)\)", viewer_page
        )
        assert disabled is not None, (page, label)
        assert "viewer" in disabled.group(1)
        assert re.search(rf'<a class="[^"]*" href="[^"]+">{label}</a>', owner_page), (page, label)
