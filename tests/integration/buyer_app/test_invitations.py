from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linesheet.accounts.models import Buyer, BuyerOrganization, Invitation
from linesheet.accounts.services import invitation_create
from linesheet.web.workspaces import ACTIVE_ORGANIZATION_KEY
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(brand: Any, owner: Any) -> Invitation:
    """An invitation to the email of the buyer user (who does not exist until a test asks)."""
    return invitation_create(
        brand=brand, email="buyer@maison.test", created_by=owner, name="Maison Claire"
    )


def accept_url(invitation: Invitation) -> str:
    return reverse("invitation-accept", args=[invitation.token])


def test_an_anonymous_visitor_sees_the_brand_and_is_offered_login_or_registration(
    client: Client, invitation: Invitation
) -> None:
    response = client.get(accept_url(invitation))

    assert response.status_code == 200
    assert "Atelier invites you to order on linesheet" in response.text
    assert "buyer@maison.test" in response.text
    assert response.context["login_url"] == f"/login/?next=%2Finvitations%2F{invitation.token}%2F"
    assert response.context["register_url"].startswith(
        f"/register/?next=%2Finvitations%2F{invitation.token}%2F"
    )


def test_a_visitor_registers_and_comes_back_to_the_invitation(
    client: Client, invitation: Invitation
) -> None:
    register_url = client.get(accept_url(invitation)).context["register_url"]
    form = client.get(register_url).context["form"]
    assert form["email"].value() == "buyer@maison.test"

    response = client.post(
        register_url,
        {"email": "buyer@maison.test", "full_name": "Claire", "password": "plum-velvet-harbour"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == accept_url(invitation)
    assert "Accept invitation" in response.text


def test_a_visitor_logs_in_and_comes_back_to_the_invitation(
    client: Client, invitation: Invitation, buyer_user: Any
) -> None:
    login_url = client.get(accept_url(invitation)).context["login_url"]

    response = client.post(
        login_url,
        {
            "username": buyer_user.email,
            "password": factories.PASSWORD,
            "next": accept_url(invitation),
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == accept_url(invitation)


def test_a_user_accepts_for_a_new_organisation(
    client: Client, invitation: Invitation, brand: Any
) -> None:
    user = factories.make_user(email="Buyer@Maison.test")
    client.force_login(user)
    factories.make_catalog(brand=brand, name="Spring Summer 2026")

    response = client.post(
        accept_url(invitation),
        {"organization": "new", "new_organization_name": "Maison Claire Paris"},
        follow=True,
    )

    organization = BuyerOrganization.objects.get(name="Maison Claire Paris")
    assert Buyer.objects.get(pk=invitation.buyer_id).organization == organization
    assert organization.memberships.filter(user=user).exists()
    assert client.session[ACTIVE_ORGANIZATION_KEY] == organization.pk
    assert response.redirect_chain[-1][0] == reverse("buyer-home")
    assert "Maison Claire Paris is now connected to Atelier." in response.text
    assert "Spring Summer 2026" in response.text


def test_a_user_accepts_for_one_of_their_organisations(
    buyer_client: Client, buyer_user: Any, organization: Any, invitation: Invitation
) -> None:
    second = factories.make_organization(name="Zeta Store", members=[buyer_user])
    buyer_client.post(reverse("organization-choose"), {"organization": second.pk})
    page = buyer_client.get(accept_url(invitation))
    assert page.context["form"]["organization"].value() == str(second.pk)  # the active one

    response = buyer_client.post(accept_url(invitation), {"organization": str(second.pk)})

    assert response["Location"] == reverse("buyer-home")
    assert Buyer.objects.get(pk=invitation.buyer_id).organization == second
    assert buyer_client.session[ACTIVE_ORGANIZATION_KEY] == second.pk


def test_a_new_organisation_needs_a_name(
    buyer_client: Client, organization: Any, invitation: Invitation
) -> None:
    response = buyer_client.post(
        accept_url(invitation), {"organization": "new", "new_organization_name": "  "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_organization_name"]
    assert Buyer.objects.get(pk=invitation.buyer_id).organization is None


def test_an_organisation_already_connected_to_the_brand_is_refused(
    buyer_client: Client, organization: Any, connected_buyer: Any, invitation: Invitation
) -> None:
    response = buyer_client.post(accept_url(invitation), {"organization": str(organization.pk)})

    assert response.status_code == 200
    assert "Maison Claire is already connected to Atelier." in response.text
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_an_organisation_of_someone_else_is_not_offered(
    buyer_client: Client, organization: Any, invitation: Invitation
) -> None:
    stranger = factories.make_organization(name="Not Yours")

    response = buyer_client.post(accept_url(invitation), {"organization": str(stranger.pk)})

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert Buyer.objects.get(pk=invitation.buyer_id).organization is None


def test_an_unknown_link_shows_a_plain_page(client: Client) -> None:
    response = client.get(reverse("invitation-accept", args=["no-such-token"]))

    assert response.status_code == 404
    assert "This invitation link is not valid." in response.text


def test_a_used_link_shows_a_plain_page(
    buyer_client: Client, organization: Any, invitation: Invitation
) -> None:
    buyer_client.post(accept_url(invitation), {"organization": str(organization.pk)})

    response = buyer_client.get(accept_url(invitation))

    assert response.status_code == 410
    assert "This invitation has already been accepted." in response.text
    assert "<form" not in response.text.split("<main", 1)[1]


def test_an_expired_link_shows_a_plain_page(client: Client, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = client.get(accept_url(invitation))

    assert response.status_code == 410
    assert "This invitation expired on" in response.text
    assert "Ask Atelier to send a new one." in response.text


def test_a_link_used_while_the_form_was_open_shows_the_plain_page(
    buyer_client: Client, organization: Any, invitation: Invitation
) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())

    response = buyer_client.post(accept_url(invitation), {"organization": str(organization.pk)})

    assert response.status_code == 410
