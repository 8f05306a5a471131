"""A buyer organisation's team and address book through the API."""

from __future__ import annotations

import pytest

from linesheet.accounts.models import OrganizationMembership
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_member_invites_the_colleague_joins_and_the_last_member_stays() -> None:
    claire = factories.make_user(email="claire@maison.test")
    organization = factories.make_organization(name="Maison", members=[claire])
    base = f"/api/v1/buyer-orgs/{organization.pk}"
    api = client_for(claire)

    sent = api.post(f"{base}/member-invitations", {"email": "paul@maison.test"}, format="json")
    assert sent.status_code == 201, sent.content
    token = sent.json()["accept_url"].rstrip("/").rsplit("/", 1)[1]
    paul = factories.make_user(email="paul@maison.test")
    joined = client_for(paul).post(f"/api/v1/organization-invitations/{token}/accept")
    assert joined.status_code == 201 and joined.json()["organization"] == organization.pk

    members = api.get(f"{base}/members").json()["results"]
    assert sorted(m["email"] for m in members) == ["claire@maison.test", "paul@maison.test"]
    own = OrganizationMembership.objects.get(user=claire)
    assert api.delete(f"{base}/members/{own.pk}").status_code == 204  # Claire leaves
    paul_own = OrganizationMembership.objects.get(user=paul)
    last = client_for(paul).delete(f"{base}/members/{paul_own.pk}")
    assert last.status_code == 409 and last.json()["code"] == "last_member"
    # Claire is no member any more: the organisation is not hers to see.
    assert api.get(f"{base}/members").status_code == 404


def test_addresses_are_kept_and_a_cart_takes_a_copy_of_the_one_chosen() -> None:
    claire = factories.make_user()
    organization = factories.make_organization(members=[claire])
    base = f"/api/v1/buyer-orgs/{organization.pk}"
    api = client_for(claire)
    brand = factories.make_brand()
    buyer = factories.make_buyer(brand=brand, organization=organization)
    cart = factories.make_cart(buyer=buyer, catalog=factories.make_catalog(brand=brand, skus=1))

    first = api.post(
        f"{base}/addresses", {"kind": "delivery", "text": "Shop", "name": "Shop"}, format="json"
    ).json()
    second = api.post(
        f"{base}/addresses", {"kind": "delivery", "text": "Warehouse"}, format="json"
    ).json()
    assert (first["is_default"], second["is_default"]) == (True, False)
    made = api.patch(f"{base}/addresses/{second['id']}", {"is_default": True}, format="json")
    assert made.json()["is_default"] is True

    chosen = api.patch(
        f"{base}/carts/{cart.pk}", {"delivery_address_id": first["id"]}, format="json"
    )
    assert chosen.status_code == 200, chosen.content
    assert chosen.json()["delivery_address"] == "Shop"
    other = factories.make_organization(members=[factories.make_user()])
    theirs = client_for(other.memberships.get().user).post(
        f"/api/v1/buyer-orgs/{other.pk}/addresses",
        {"kind": "delivery", "text": "Theirs"},
        format="json",
    )
    refused = api.patch(
        f"{base}/carts/{cart.pk}", {"delivery_address_id": theirs.json()["id"]}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["delivery_address_id"][0]["code"] == "address_not_found"
    assert api.delete(f"{base}/addresses/{theirs.json()['id']}").status_code == 404
