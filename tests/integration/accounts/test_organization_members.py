"""A buyer organisation's team and address book, and the addresses chosen at checkout."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.models import (
    OrganizationAddress,
    OrganizationEvent,
    OrganizationMembership,
)
from linesheet.accounts.organization_members import (
    organization_address_add,
    organization_address_make_default,
    organization_address_remove,
    organization_address_update,
    organization_member_invitation_accept,
    organization_member_invite,
    organization_member_remove,
)
from linesheet.core.errors import InvalidInput
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.services import cart_create, order_place
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Any:
    user = factories.make_user(email="claire@maison.test")
    return factories.make_organization(name="Maison", members=[user]), user


def refusal(call: Any) -> AccountsError:
    with pytest.raises(AccountsError) as raised:
        call()
    return raised.value


def test_a_member_invites_a_colleague_who_joins_with_the_invited_email_only(shop: Any) -> None:
    organization, claire = shop
    _invitation, token = organization_member_invite(
        organization=organization, actor=claire, email="Paul@Maison.test"
    )
    email = OutboundEmail.objects.get(kind="organization_invitation")
    assert email.to == ["paul@maison.test"]
    assert reverse("organization-invitation-accept", args=[token]) in email.body_text

    other = factories.make_user(email="other@maison.test")
    mismatch = refusal(lambda: organization_member_invitation_accept(token=token, user=other))
    paul = factories.make_user(email="paul@maison.test")
    organization_member_invitation_accept(token=token, user=paul)

    assert mismatch.code == AccountsErrorCode.INVITATION_EMAIL_MISMATCH
    assert OrganizationMembership.objects.filter(organization=organization, user=paul).exists()
    kinds = list(OrganizationEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["member_invited", "member_joined"]


def test_the_last_member_cannot_leave_and_others_can_be_removed(shop: Any) -> None:
    organization, claire = shop
    own = OrganizationMembership.objects.get(user=claire)

    alone = refusal(
        lambda: organization_member_remove(
            organization=organization, actor=claire, member_id=own.pk
        )
    )
    assert alone.code == AccountsErrorCode.LAST_MEMBER

    paul = factories.make_user()
    OrganizationMembership.objects.create(organization=organization, user=paul)
    organization_member_remove(organization=organization, actor=paul, member_id=own.pk)

    assert list(organization.memberships.values_list("user", flat=True)) == [paul.pk]
    left = refusal(
        lambda: organization_member_remove(
            organization=organization,
            actor=paul,
            member_id=OrganizationMembership.objects.get(user=paul).pk,
        )
    )
    assert left.code == AccountsErrorCode.LAST_MEMBER


def test_a_stranger_neither_invites_nor_removes(shop: Any) -> None:
    organization, claire = shop
    stranger = factories.make_user()

    invite = refusal(
        lambda: organization_member_invite(
            organization=organization, actor=stranger, email="x@example.test"
        )
    )
    remove = refusal(
        lambda: organization_member_remove(
            organization=organization,
            actor=stranger,
            member_id=OrganizationMembership.objects.get(user=claire).pk,
        )
    )

    assert invite.status == remove.status == 403
    assert not OutboundEmail.objects.exists()


def test_the_first_address_of_a_kind_is_the_default_and_new_carts_start_with_it(
    shop: Any,
) -> None:
    organization, claire = shop
    shop_address = organization_address_add(
        organization=organization, actor=claire, kind="delivery", text="1 Rue du Shop\nParis"
    )
    warehouse = organization_address_add(
        organization=organization, actor=claire, kind="delivery", text="Warehouse", label="WH"
    )

    assert OrganizationAddress.objects.get(pk=shop_address.pk).is_default
    assert not warehouse.is_default
    organization.refresh_from_db()
    assert organization.delivery_address == "1 Rue du Shop\nParis"

    organization_address_make_default(
        organization=organization, actor=claire, address_id=warehouse.pk
    )
    organization.refresh_from_db()
    assert organization.delivery_address == "Warehouse"
    assert list(
        OrganizationAddress.objects.filter(is_default=True).values_list("pk", flat=True)
    ) == [warehouse.pk]

    brand = factories.make_brand()
    factories.make_buyer(brand=brand, organization=organization)
    cart = cart_create(organization=organization, catalog=factories.make_catalog(brand=brand))
    assert cart.delivery_address == "Warehouse"


def test_removing_the_default_hands_over_and_bad_addresses_are_refused(shop: Any) -> None:
    organization, claire = shop
    first = organization_address_add(
        organization=organization, actor=claire, kind="billing", text="A"
    )
    second = organization_address_add(
        organization=organization, actor=claire, kind="billing", text="B"
    )

    organization_address_remove(organization=organization, actor=claire, address_id=first.pk)
    organization.refresh_from_db()
    assert OrganizationAddress.objects.get(pk=second.pk).is_default
    assert organization.billing_address == "B"
    organization_address_remove(organization=organization, actor=claire, address_id=second.pk)
    organization.refresh_from_db()
    assert organization.billing_address == ""

    with pytest.raises(InvalidInput) as empty:
        organization_address_add(organization=organization, actor=claire, kind="billing", text=" ")
    with pytest.raises(InvalidInput) as kind:
        organization_address_add(organization=organization, actor=claire, kind="moon", text="X")
    assert "text" in empty.value.params["errors"] and "kind" in kind.value.params["errors"]
    other = factories.make_organization(members=[factories.make_user()])
    theirs = organization_address_add(
        organization=other, actor=other.memberships.get().user, kind="billing", text="Theirs"
    )
    missing = refusal(
        lambda: organization_address_update(
            organization=organization, actor=claire, address_id=theirs.pk, text="Mine now"
        )
    )
    assert missing.status == 404
    assert OrganizationAddress.objects.get(pk=theirs.pk).text == "Theirs"


def test_the_address_chosen_at_checkout_is_the_orders_snapshot_and_edits_leave_it_alone(
    shop: Any, client: Client
) -> None:
    organization, claire = shop
    organization_address_add(organization=organization, actor=claire, kind="delivery", text="Shop")
    warehouse = organization_address_add(
        organization=organization, actor=claire, kind="delivery", text="Warehouse 9", label="WH"
    )
    billing = organization_address_add(
        organization=organization, actor=claire, kind="billing", text="Accounts dept"
    )
    brand = factories.make_brand()
    buyer = factories.make_buyer(brand=brand, organization=organization)
    catalog = factories.make_catalog(brand=brand, skus=1)
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    client.force_login(claire)

    page = client.get(reverse("buyer-cart", args=[cart.pk]))
    assert "Saved delivery address" in page.text and "WH (Warehouse 9)" in page.text
    response = client.post(
        reverse("buyer-cart-details", args=[cart.pk]),
        {
            "delivery_address_from": str(warehouse.pk),
            "delivery_address": "Shop",
            "billing_address_from": str(billing.pk),
            "billing_address": "",
        },
    )
    assert response.status_code == 302
    cart.refresh_from_db()
    assert (cart.delivery_address, cart.billing_address) == ("Warehouse 9", "Accounts dept")

    order = order_place(cart_id=cart.pk, organization=organization, placed_by=claire)
    organization_address_update(
        organization=organization, actor=claire, address_id=warehouse.pk, text="Moved away"
    )
    organization_address_remove(organization=organization, actor=claire, address_id=billing.pk)
    order.refresh_from_db()
    assert (order.delivery_address, order.billing_address) == ("Warehouse 9", "Accounts dept")
