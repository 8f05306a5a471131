from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import Buyer, Invitation
from linesheet.accounts.services import invitation_create
from linesheet.notifications.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db

# The invitation form starts with the brand's terms; a browser posts them back as they are.
NEW_BUYER_TERMS = {"currency": "EUR", "wholesale_rate": "0.5000", "language": "en"}


def test_the_buyer_list_shows_connected_offline_and_invited_buyers(
    owner_client: Client, brand: Any, owner: Any
) -> None:
    factories.make_buyer(
        brand=brand, organization=factories.make_organization(name="Maison Claire")
    )
    factories.make_buyer(brand=brand, name="Phone Orders Ltd")
    invitation_create(brand=brand, email="new@shop.test", created_by=owner, name="Shop Nouveau")
    factories.make_buyer(brand=factories.make_brand(), name="Someone Else's Buyer")

    response = owner_client.get(reverse("brand-buyers", args=[brand.slug]))

    rows = {buyer.name: buyer for buyer in response.context["buyers"]}
    assert sorted(rows) == ["Maison Claire", "Phone Orders Ltd", "Shop Nouveau"]
    assert "Connected" in response.text
    assert "Offline" in response.text
    assert "Invitation pending" in response.text
    assert "Someone Else" not in response.text


def test_the_buyer_list_costs_the_same_queries_for_one_and_for_many_buyers(
    owner_client: Client, brand: Any, owner: Any, django_assert_num_queries: Any
) -> None:
    url = reverse("brand-buyers", args=[brand.slug])
    factories.make_buyer(brand=brand)
    # session, user, memberships, organisations, buyers
    with django_assert_num_queries(5):
        owner_client.get(url)

    for _ in range(3):
        factories.make_buyer(brand=brand, organization=factories.make_organization())
        invitation_create(brand=brand, email="x@shop.test", created_by=owner)
    with django_assert_num_queries(5):
        response = owner_client.get(url)
    assert len(response.context["buyers"]) == 7


def test_staff_add_an_offline_buyer_with_its_terms(owner_client: Client, brand: Any) -> None:
    response = owner_client.post(
        reverse("brand-buyer-create", args=[brand.slug]),
        {
            "name": "Phone Orders Ltd",
            "email": "orders@phone.test",
            "currency": "dkk",
            "wholesale_rate": "0.45",
            "language": "en",
        },
        follow=True,
    )

    buyer = Buyer.objects.get(brand=brand)
    assert response.redirect_chain[-1][0] == reverse(
        "brand-buyer-detail", args=[brand.slug, buyer.pk]
    )
    assert (buyer.name, buyer.email, buyer.currency, buyer.wholesale_rate) == (
        "Phone Orders Ltd",
        "orders@phone.test",
        "DKK",
        Decimal("0.4500"),
    )
    assert buyer.organization is None
    assert "Phone Orders Ltd was added as an offline buyer." in response.text
    assert "45 %" in response.text


def test_the_offline_buyer_form_starts_with_the_brand_terms(
    owner_client: Client, brand: Any
) -> None:
    response = owner_client.get(reverse("brand-buyer-create", args=[brand.slug]))

    form = response.context["form"]
    assert form["currency"].value() == brand.default_currency
    assert form["wholesale_rate"].value() == brand.default_wholesale_rate


def test_bad_terms_are_refused_and_the_input_is_kept(owner_client: Client, brand: Any) -> None:
    response = owner_client.post(
        reverse("brand-buyer-create", args=[brand.slug]),
        {"name": "Phone Orders Ltd", "currency": "euro", "wholesale_rate": "1.5", "language": "en"},
    )

    assert response.status_code == 200
    assert not Buyer.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"currency", "wholesale_rate"}
    assert 'value="Phone Orders Ltd"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_staff_invite_a_new_buyer_and_see_the_accept_link(owner_client: Client, brand: Any) -> None:
    response = owner_client.post(
        reverse("brand-invitation-create", args=[brand.slug]),
        {
            "email": "hello@maison.test",
            "buyer": "",
            "name": "Maison Claire",
            "currency": "EUR",
            "wholesale_rate": "0.55",
            "language": "en",
        },
        follow=True,
    )

    invitation = Invitation.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "brand-invitation-detail", args=[brand.slug, invitation.pk]
    )
    assert invitation.buyer.name == "Maison Claire"
    assert invitation.buyer.wholesale_rate == Decimal("0.5500")
    assert f"/invitations/{invitation.token}/" in response.text
    assert OutboundEmail.objects.filter(kind="invitation", to=["hello@maison.test"]).exists()


def test_staff_invite_an_existing_offline_buyer(owner_client: Client, brand: Any) -> None:
    offline = factories.make_buyer(brand=brand, name="Phone Orders Ltd", email="po@phone.test")
    url = reverse("brand-invitation-create", args=[brand.slug])

    prefilled = owner_client.get(f"{url}?buyer={offline.pk}").context["form"]
    assert prefilled["buyer"].value() == offline.pk
    assert prefilled["email"].value() == "po@phone.test"

    owner_client.post(url, {"email": "po@phone.test", "buyer": str(offline.pk), **NEW_BUYER_TERMS})

    invitation = Invitation.objects.get()
    assert invitation.buyer == offline
    assert Buyer.objects.count() == 1


def test_a_connected_buyer_cannot_be_invited_again(owner_client: Client, brand: Any) -> None:
    connected = factories.make_buyer(brand=brand, organization=factories.make_organization())

    response = owner_client.post(
        reverse("brand-invitation-create", args=[brand.slug]),
        {"email": "again@shop.test", "buyer": str(connected.pk), **NEW_BUYER_TERMS},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"buyer"}
    assert 'value="again@shop.test"' in response.text
    assert not Invitation.objects.exists()


def test_the_buyer_detail_shows_the_terms_and_the_invitations(
    owner_client: Client, brand: Any, owner: Any
) -> None:
    invitation = invitation_create(
        brand=brand, email="hello@maison.test", created_by=owner, name="Maison Claire"
    )

    response = owner_client.get(
        reverse("brand-buyer-detail", args=[brand.slug, invitation.buyer_id])
    )

    assert "Maison Claire" in response.text
    assert "hello@maison.test" in response.text
    assert "Pending" in response.text
    invite_url = reverse("brand-invitation-create", args=[brand.slug])
    assert f'href="{invite_url}?buyer={invitation.buyer_id}"' in response.text


def test_another_brands_buyer_and_invitation_are_not_found(
    owner_client: Client, brand: Any
) -> None:
    other = factories.make_brand()
    buyer = factories.make_buyer(brand=other)
    invitation = invitation_create(brand=other, email="x@shop.test", created_by=None, buyer=buyer)

    assert (
        owner_client.get(reverse("brand-buyer-detail", args=[brand.slug, buyer.pk])).status_code
        == 404
    )
    assert (
        owner_client.get(
            reverse("brand-invitation-detail", args=[brand.slug, invitation.pk])
        ).status_code
        == 404
    )
