"""An invitation link is no bearer key: only the invited email accepts it, on the web and in the
API; anyone else holding the link is refused with `invitation_email_mismatch`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.accounts.models import Buyer, BuyerOrganization, Invitation
from linesheet.accounts.services import invitation_create
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db

MISMATCH = (
    "This invitation was sent to newshop@example.test, and you are logged in as "
    "buyer@maison.test. Log in or create an account with newshop@example.test to accept it."
)


@pytest.fixture
def invitation(brand: Any, owner: Any) -> Invitation:
    return invitation_create(
        brand=brand, email="newshop@example.test", created_by=owner, name="New Shop"
    )


@pytest.fixture
def holder() -> Any:
    """Someone else who got hold of the link: a forwarded email, a shared screen."""
    user = factories.make_user(email="buyer@maison.test")
    factories.make_organization(name="Maison Margaux", members=[user])
    return user


def test_the_api_refuses_the_link_to_another_email_and_changes_nothing(
    invitation: Invitation, holder: Any
) -> None:
    organization = BuyerOrganization.objects.get()

    response = client_for(holder).post(
        f"/api/v1/invitations/{invitation.token}/accept",
        {"organization": organization.pk},
        format="json",
    )

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invitation_email_mismatch"
    assert response.json()["detail"] == MISMATCH
    assert Buyer.objects.get(pk=invitation.buyer_id).organization_id is None
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_api_refuses_a_new_organisation_for_another_email_too(
    invitation: Invitation, holder: Any
) -> None:
    response = client_for(holder).post(
        f"/api/v1/invitations/{invitation.token}/accept",
        {"new_organization": "Taken Over Ltd"},
        format="json",
    )

    assert response.json()["code"] == "invitation_email_mismatch"
    assert not BuyerOrganization.objects.filter(name="Taken Over Ltd").exists()


def test_the_invited_email_accepts_whatever_the_case_it_was_typed_in(
    brand: Any, owner: Any
) -> None:
    invitation = invitation_create(
        brand=brand, email="NewShop@Example.TEST", created_by=owner, name="New Shop"
    )
    invited = factories.make_user(email="newshop@example.test")

    response = client_for(invited).post(
        f"/api/v1/invitations/{invitation.token}/accept",
        {"new_organization": "New Shop ApS"},
        format="json",
    )

    assert response.status_code == 201, response.json()


def test_the_accept_page_tells_another_email_whom_the_link_is_for_and_offers_to_switch(
    client: Client, invitation: Invitation, holder: Any
) -> None:
    client.force_login(holder)

    page = client.get(reverse("invitation-accept", args=[invitation.token]))

    assert page.status_code == 403
    assert MISMATCH in page.text
    assert "Accept invitation" not in page.text
    assert 'action="/logout/"' in page.text


def test_posting_the_accept_form_as_another_email_connects_nothing(
    client: Client, invitation: Invitation, holder: Any
) -> None:
    client.force_login(holder)
    organization = BuyerOrganization.objects.get()

    response = client.post(
        reverse("invitation-accept", args=[invitation.token]),
        {"organization": str(organization.pk)},
    )

    assert response.status_code == 403
    assert MISMATCH in response.text
    assert Buyer.objects.get(pk=invitation.buyer_id).organization_id is None
