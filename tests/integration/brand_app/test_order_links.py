"""A catalog's order links in the Brand App: list with counts, create, copy, revoke."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linesheet.ordering import services as ordering
from linesheet.ordering.models import OrderLink
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any) -> Any:
    return factories.make_catalog(brand=brand, name="Spring Summer 2027", code="SS27", skus=2)


def links_url(brand: Any, catalog: Any) -> str:
    return reverse("brand-catalog-order-links", args=[brand.slug, catalog.pk])


def revoke_url(brand: Any, catalog: Any, link: OrderLink) -> str:
    return reverse("brand-order-link-revoke", args=[brand.slug, catalog.pk, link.pk])


def order_through(link: OrderLink, *, organization: Any | None = None) -> Any:
    """Open the link's cart for a shop, put one SKU in it, and place the order."""
    shop = organization or factories.make_organization()
    cart = ordering.cart_open_from_link(token=link.token, passcode="", organization=shop)
    ordering.cart_set_lines(cart=cart, quantities={factories.sku_numbers(link.catalog)[0]: 1})
    return ordering.order_place(cart_id=cart.pk, organization=shop, placed_by=None)


def test_the_catalog_page_leads_to_its_order_links_for_every_member(
    viewer_client: Client, brand: Any, catalog: Any
) -> None:
    response = viewer_client.get(reverse("brand-catalog-detail", args=[brand.slug, catalog.pk]))

    assert f'href="{links_url(brand, catalog)}"' in response.text
    assert "Order links" in response.text


def test_the_owner_creates_a_link_and_sees_its_absolute_url_with_a_copy_button(
    owner_client: Client, brand: Any, catalog: Any, owner: Any
) -> None:
    response = owner_client.post(links_url(brand, catalog), {"expires_at": "", "passcode": ""})

    assert response.status_code == 302
    link = OrderLink.objects.get()
    assert (link.catalog, link.created_by, link.expires_at, link.has_passcode) == (
        catalog,
        owner,
        None,
        False,
    )
    page = owner_client.get(links_url(brand, catalog))
    url = f"{settings.BASE_URL}/l/{link.token}/"
    assert f'value="{url}"' in page.text
    assert f'data-copy="#link-url-{link.pk}"' in page.text
    assert "The order link was created." in page.text


def test_a_passcode_is_shown_once_after_creation_and_stored_hashed(
    owner_client: Client, brand: Any, catalog: Any
) -> None:
    expires = timezone.now() + datetime.timedelta(days=14)
    owner_client.post(
        links_url(brand, catalog),
        {"expires_at": expires.strftime("%Y-%m-%dT%H:%M"), "passcode": "spring-27"},
    )
    link = OrderLink.objects.get()
    assert link.passcode_hash and "spring-27" not in link.passcode_hash
    assert link.expires_at == expires.replace(second=0, microsecond=0)

    first = owner_client.get(links_url(brand, catalog))
    again = owner_client.get(links_url(brand, catalog))

    assert 'value="spring-27"' in first.text
    assert "Shown only now" in first.text
    assert "spring-27" not in again.text


def test_bad_input_is_shown_on_its_field_and_nothing_is_created(
    owner_client: Client, brand: Any, catalog: Any
) -> None:
    past = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = owner_client.post(links_url(brand, catalog), {"expires_at": past, "passcode": "ab"})

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["expires_at"] == ["Choose an expiry in the future."]
    assert form.errors["passcode"] == ["A passcode has 4 to 64 characters."]
    assert not OrderLink.objects.exists()


def test_the_list_counts_carts_opened_and_orders_placed_per_link(
    owner_client: Client, brand: Any, catalog: Any, owner: Any
) -> None:
    busy = ordering.order_link_create(catalog=catalog, created_by=owner)
    quiet = ordering.order_link_create(catalog=catalog, created_by=owner, passcode="secret-1")
    order_through(busy)
    order_through(busy)
    ordering.cart_open_from_link(
        token=busy.token, passcode="", organization=factories.make_organization()
    )  # opened, not ordered yet

    response = owner_client.get(links_url(brand, catalog))

    rows = {row["link"].pk: row for row in response.context["rows"]}
    assert (rows[busy.pk]["link"].carts_opened, rows[busy.pk]["link"].orders_placed) == (3, 2)
    assert (rows[quiet.pk]["link"].carts_opened, rows[quiet.pk]["link"].orders_placed) == (0, 0)
    assert rows[quiet.pk]["link"].has_passcode


def test_the_list_costs_the_same_queries_for_one_link_and_for_many(
    owner_client: Client, brand: Any, catalog: Any, owner: Any, django_assert_max_num_queries: Any
) -> None:
    order_through(ordering.order_link_create(catalog=catalog, created_by=owner))
    with django_assert_max_num_queries(100) as one:
        owner_client.get(links_url(brand, catalog))
    for _ in range(6):
        order_through(ordering.order_link_create(catalog=catalog, created_by=owner))

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = owner_client.get(links_url(brand, catalog))

    assert len(response.context["rows"]) == 7


def test_the_owner_revokes_a_link_and_it_refuses_visitors(
    owner_client: Client, client: Client, brand: Any, catalog: Any, owner: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)

    response = owner_client.post(revoke_url(brand, catalog, link))

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    page = owner_client.get(links_url(brand, catalog))
    assert "Revoked" in page.text
    assert f'data-copy="#link-url-{link.pk}"' not in page.text  # nothing left to share
    assert revoke_url(brand, catalog, link) not in page.text
    owner_client.logout()
    assert client.get(reverse("order-link", args=[link.token])).status_code == 410


def test_revoking_twice_keeps_the_first_revocation(
    owner_client: Client, brand: Any, catalog: Any, owner: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)
    owner_client.post(revoke_url(brand, catalog, link))
    first = OrderLink.objects.get().revoked_at

    owner_client.post(revoke_url(brand, catalog, link))

    assert OrderLink.objects.get().revoked_at == first


def test_a_viewer_reads_the_links_but_cannot_create_or_revoke(
    viewer_client: Client, brand: Any, catalog: Any, owner: Any
) -> None:
    link = ordering.order_link_create(catalog=catalog, created_by=owner)

    page = viewer_client.get(links_url(brand, catalog))
    created = viewer_client.post(links_url(brand, catalog), {"passcode": ""})
    revoked = viewer_client.post(revoke_url(brand, catalog, link))

    assert page.status_code == 200
    assert f'value="{settings.BASE_URL}/l/{link.token}/"' in page.text
    assert "New order link" not in page.text
    assert revoke_url(brand, catalog, link) not in page.text
    assert (created.status_code, revoked.status_code) == (403, 403)
    assert OrderLink.objects.count() == 1
    assert OrderLink.objects.get().revoked_at is None


def test_another_brands_catalog_and_links_are_404(
    owner_client: Client, brand: Any, catalog: Any
) -> None:
    other = factories.make_brand()
    foreign_catalog = factories.make_catalog(brand=other)
    foreign_link = ordering.order_link_create(catalog=foreign_catalog, created_by=None)
    own_link = ordering.order_link_create(catalog=catalog, created_by=None)

    assert owner_client.get(links_url(brand, foreign_catalog)).status_code == 404
    assert owner_client.post(revoke_url(brand, catalog, foreign_link)).status_code == 404
    # A link of the brand, but addressed under another of its catalogs.
    second = factories.make_catalog(brand=brand)
    assert owner_client.post(revoke_url(brand, second, own_link)).status_code == 404
    assert not OrderLink.objects.filter(revoked_at__isnull=False).exists()


def test_a_closed_catalog_warns_that_its_links_refuse_visitors(
    owner_client: Client, brand: Any, brand_catalog_closed: Any
) -> None:
    response = owner_client.get(links_url(brand, brand_catalog_closed))

    assert "its links refuse visitors until it opens again" in response.text


@pytest.fixture
def brand_catalog_closed(brand: Any) -> Any:
    return factories.make_catalog(brand=brand, status="closed")
