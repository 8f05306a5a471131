from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from linesheet.accounts.models import Buyer, BuyerOrganization, Invitation
from linesheet.accounts.services import invitation_create
from linesheet.catalog.models import SKU, Product
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper() -> Any:
    return factories.make_user(email="shopper@shop.test")


@pytest.fixture
def invitation(brand: Any, owner: Any) -> Invitation:
    return invitation_create(
        brand=brand,
        email="shopper@shop.test",
        created_by=owner,
        name="Shop One",
        wholesale_rate=Decimal("0.4500"),
        currency="DKK",
    )


def _accept(client: Any, token: str, body: Any) -> Any:
    return client.post(f"/api/v1/invitations/{token}/accept", body, format="json")


# --- Accepting an invitation ----------------------------------------------------------------


def test_accepting_for_a_new_organisation_creates_and_connects_it(
    brand: Any, invitation: Invitation, shopper: Any, as_user: Any
) -> None:
    response = _accept(as_user(shopper), invitation.token, {"new_organization": "Shop One ApS"})

    assert response.status_code == 201
    organization = BuyerOrganization.objects.get()
    buyer = Buyer.objects.get()
    assert response.json() == {
        "brand": {"slug": "atelier", "name": "Atelier"},
        "organization": {"id": organization.pk, "name": "Shop One ApS"},
        "buyer": {"id": buyer.pk, "name": "Shop One", "currency": "DKK", "language": "en"},
    }
    assert buyer.organization == organization
    assert list(organization.memberships.values_list("user", flat=True)) == [shopper.pk]
    invitation.refresh_from_db()
    assert invitation.accepted_by == shopper
    assert invitation.accepted_at is not None


def test_accepting_for_an_organisation_of_the_user_connects_it(
    brand: Any, invitation: Invitation, shopper: Any, as_user: Any
) -> None:
    organization = factories.make_organization(name="Existing Shop", members=[shopper])

    response = _accept(as_user(shopper), invitation.token, {"organization": organization.pk})

    assert response.status_code == 200
    assert response.json()["organization"] == {"id": organization.pk, "name": "Existing Shop"}
    assert Buyer.objects.get().organization == organization
    assert BuyerOrganization.objects.count() == 1


def test_accepting_for_an_organisation_the_user_is_not_a_member_of_is_forbidden(
    invitation: Invitation, shopper: Any, as_user: Any, database_state: Any
) -> None:
    someone_elses = factories.make_organization(members=[factories.make_user()])
    before = database_state()

    response = _accept(as_user(shopper), invitation.token, {"organization": someone_elses.pk})

    assert response.status_code == 403
    assert response.json()["code"] == "not_organization_member"
    assert database_state() == before


def test_an_organisation_id_that_does_not_exist_is_refused_like_a_stranger(
    invitation: Invitation, shopper: Any, as_user: Any, database_state: Any
) -> None:
    before = database_state()

    response = _accept(as_user(shopper), invitation.token, {"organization": 999_999})

    assert response.status_code == 403
    assert response.json()["code"] == "not_organization_member"
    assert database_state() == before


def test_an_invitation_accepted_already_is_refused(
    invitation: Invitation, shopper: Any, as_user: Any, database_state: Any
) -> None:
    client = as_user(shopper)
    assert _accept(client, invitation.token, {"new_organization": "First"}).status_code == 201
    before = database_state()

    response = _accept(client, invitation.token, {"new_organization": "Second"})

    assert response.status_code == 409
    assert response.json()["code"] == "invitation_used"
    assert database_state() == before


def test_an_expired_invitation_is_refused_and_nothing_changes(
    invitation: Invitation, shopper: Any, as_user: Any, database_state: Any
) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    before = database_state()

    response = _accept(as_user(shopper), invitation.token, {"new_organization": "Shop One"})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invitation_expired"
    assert "Atelier" in body["detail"]
    assert database_state() == before


def test_an_organisation_connected_to_the_brand_already_is_refused(
    brand: Any, invitation: Invitation, shopper: Any, as_user: Any, database_state: Any
) -> None:
    organization = factories.make_organization(name="Shop One", members=[shopper])
    factories.make_buyer(brand=brand, organization=organization)
    before = database_state()

    response = _accept(as_user(shopper), invitation.token, {"organization": organization.pk})

    assert response.status_code == 409
    assert response.json()["code"] == "already_connected"
    assert database_state() == before


def test_an_unknown_invitation_token_is_not_found(shopper: Any, as_user: Any) -> None:
    response = _accept(as_user(shopper), "no-such-token", {"new_organization": "Shop"})

    assert response.status_code == 404
    assert response.json()["code"] == "invitation_not_found"


@pytest.mark.parametrize("body", [{}, {"organization": 1, "new_organization": "Shop"}])
def test_accepting_needs_exactly_one_organisation(
    invitation: Invitation, shopper: Any, as_user: Any, database_state: Any, body: Any
) -> None:
    before = database_state()

    response = _accept(as_user(shopper), invitation.token, body)

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"][0]["code"] == "exactly_one_required"
    assert database_state() == before


def test_accepting_needs_a_login(invitation: Invitation, database_state: Any) -> None:
    from rest_framework.test import APIClient

    before = database_state()

    response = _accept(APIClient(), invitation.token, {"new_organization": "Shop"})

    assert response.status_code == 401
    assert database_state() == before


# --- The organisation's catalogs ------------------------------------------------------------


@pytest.fixture
def organization(brand: Any, shopper: Any) -> BuyerOrganization:
    organization = factories.make_organization(name="Shop One", members=[shopper])
    factories.make_buyer(brand=brand, organization=organization, wholesale_rate=Decimal("0.4500"))
    return organization


def _catalogs_url(organization: BuyerOrganization) -> str:
    return f"/api/v1/buyer-orgs/{organization.pk}/catalogs"


def test_the_organisation_lists_the_orderable_catalogs_of_connected_brands(
    brand: Any, organization: BuyerOrganization, shopper: Any, as_user: Any
) -> None:
    open_catalog = factories.make_catalog(brand=brand, code="SS27", skus=0)
    limited = factories.make_catalog(brand=brand, code="AW27", status="limited", skus=0)
    limited.access_buyers.add(Buyer.objects.get(brand=brand, organization=organization))
    factories.make_catalog(brand=brand, code="AW27-KEY", status="limited", skus=0)  # not on it
    factories.make_catalog(brand=brand, code="OLD", status="closed", skus=0)
    factories.make_catalog(brand=factories.make_brand(), code="NOT-CONNECTED", skus=0)

    response = as_user(shopper).get(_catalogs_url(organization))

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    assert [c["id"] for c in body["results"]] == [limited.pk, open_catalog.pk]
    assert body["results"][1] == {
        "id": open_catalog.pk,
        "brand": {"slug": "atelier", "name": "Atelier"},
        "name": open_catalog.name,
        "code": "SS27",
        "status": "open",
        "order_deadline": None,
        "currency": "EUR",
        "consignment": False,
    }


def test_the_organisations_catalog_list_pages_with_a_limit(
    brand: Any, organization: BuyerOrganization, shopper: Any, as_user: Any
) -> None:
    for _ in range(3):
        factories.make_catalog(brand=brand, skus=0)
    client = as_user(shopper)

    first = client.get(f"{_catalogs_url(organization)}?limit=2").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_a_catalog_shows_wholesale_prices_at_the_organisations_rate(
    brand: Any, organization: BuyerOrganization, shopper: Any, as_user: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, code="SS27", currency="DKK", skus=0)
    product = Product.objects.create(brand=brand, catalog=catalog, model_number="T1", name="Tee")
    for number, price in [("T1-S", "100.00"), ("T1-M", "99.99"), ("T1-L", "10.10")]:
        SKU.objects.create(
            brand=brand,
            product=product,
            sku_number=number,
            color="White",
            size=number[-1],
            retail_price=Decimal(price),
        )

    response = as_user(shopper).get(f"{_catalogs_url(organization)}/{catalog.pk}")

    assert response.status_code == 200
    [shown] = response.json()["products"]
    assert shown["model_number"] == "T1"
    prices = {s["sku_number"]: (s["retail_price"], s["wholesale_price"]) for s in shown["skus"]}
    assert prices == {
        "T1-S": ({"amount": "100.00", "currency": "DKK"}, {"amount": "45.00", "currency": "DKK"}),
        # 99.99 x 0.45 = 44.9955 and 10.10 x 0.45 = 4.545: rounded half up to the cent.
        "T1-M": ({"amount": "99.99", "currency": "DKK"}, {"amount": "45.00", "currency": "DKK"}),
        "T1-L": ({"amount": "10.10", "currency": "DKK"}, {"amount": "4.55", "currency": "DKK"}),
    }


def test_each_organisation_sees_its_own_wholesale_rate(
    brand: Any, organization: BuyerOrganization, as_user: Any
) -> None:
    other_user = factories.make_user()
    other = factories.make_organization(members=[other_user])
    factories.make_buyer(brand=brand, organization=other, wholesale_rate=Decimal("0.6000"))
    catalog = factories.make_catalog(brand=brand, skus=1)

    response = as_user(other_user).get(f"{_catalogs_url(other)}/{catalog.pk}")

    sku = response.json()["products"][0]["skus"][0]
    assert sku["wholesale_price"] == {"amount": "60.00", "currency": "EUR"}


def test_discontinued_skus_are_left_out_for_the_buyer(
    brand: Any, organization: BuyerOrganization, shopper: Any, as_user: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=3)
    discontinued = SKU.objects.filter(product__catalog=catalog).order_by("position")[1]
    SKU.objects.filter(pk=discontinued.pk).update(is_active=False)

    response = as_user(shopper).get(f"{_catalogs_url(organization)}/{catalog.pk}")

    numbers = [s["sku_number"] for s in response.json()["products"][0]["skus"]]
    assert len(numbers) == 2
    assert discontinued.sku_number not in numbers


@pytest.mark.parametrize("kind", ["closed", "not_connected"])
def test_a_catalog_the_organisation_may_not_order_from_is_not_found(
    brand: Any, organization: BuyerOrganization, shopper: Any, as_user: Any, kind: str
) -> None:
    if kind == "closed":
        catalog = factories.make_catalog(brand=brand, status="closed")
    else:
        catalog = factories.make_catalog(brand=factories.make_brand())

    response = as_user(shopper).get(f"{_catalogs_url(organization)}/{catalog.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_catalog_costs_the_same_queries_for_one_or_many_products(
    brand: Any,
    organization: BuyerOrganization,
    shopper: Any,
    as_user: Any,
    django_assert_num_queries: Any,
) -> None:
    small = factories.make_catalog(brand=brand, skus=1)
    large = factories.make_catalog(brand=brand, skus=0)
    for n in range(25):
        product = Product.objects.create(
            brand=brand, catalog=large, model_number=f"L{n}", name=f"L {n}"
        )
        SKU.objects.create(
            brand=brand,
            product=product,
            sku_number=f"L{n}",
            color="Red",
            size="M",
            retail_price=Decimal("5.00"),
        )
    client = as_user(shopper)

    # Token, organisation, catalog with brand, products, SKUs, the buyer record's terms.
    with django_assert_num_queries(6):
        client.get(f"{_catalogs_url(organization)}/{small.pk}")
    with django_assert_num_queries(6):
        response = client.get(f"{_catalogs_url(organization)}/{large.pk}")

    assert len(response.json()["products"]) == 25
