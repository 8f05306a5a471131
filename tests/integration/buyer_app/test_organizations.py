from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.web.workspaces import ACTIVE_ORGANIZATION_KEY
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_only_organisation_is_chosen_without_asking(
    buyer_client: Client, organization: Any, connected_buyer: Any
) -> None:
    response = buyer_client.get(reverse("buyer-home"))

    assert response.status_code == 200
    assert response.context["organization"] == organization
    assert buyer_client.session[ACTIVE_ORGANIZATION_KEY] == organization.pk


def test_a_member_of_several_organisations_is_asked_which_one(
    buyer_client: Client, buyer_user: Any, organization: Any
) -> None:
    factories.make_organization(name="Atelier Nord", members=[buyer_user])
    url = reverse("buyer-home")

    response = buyer_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('organization-choose')}?next=%2Fbrands%2F"
    page = buyer_client.get(response["Location"])
    assert "Atelier Nord" in page.text
    assert "Maison Claire" in page.text


def test_choosing_an_organisation_makes_the_buyer_app_act_for_it(
    buyer_client: Client, buyer_user: Any, organization: Any, brand: Any
) -> None:
    other = factories.make_organization(name="Atelier Nord", members=[buyer_user])
    factories.make_buyer(brand=brand, organization=other)

    response = buyer_client.post(
        reverse("organization-choose"), {"organization": other.pk, "next": "/brands/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("buyer-home")
    assert response.context["organization"] == other
    assert "Ordering as Atelier Nord" in response.text
    assert buyer_client.session[ACTIVE_ORGANIZATION_KEY] == other.pk


def test_the_header_switches_between_organisations(
    buyer_client: Client, buyer_user: Any, organization: Any
) -> None:
    other = factories.make_organization(name="Atelier Nord", members=[buyer_user])
    buyer_client.post(reverse("organization-choose"), {"organization": organization.pk})

    page = buyer_client.get(reverse("buyer-home"))
    assert f'name="organization" value="{other.pk}"' in page.text  # the switcher offers it

    buyer_client.post(
        reverse("organization-choose"), {"organization": other.pk, "next": "/brands/"}
    )
    assert buyer_client.get(reverse("buyer-home")).context["organization"] == other


def test_an_organisation_of_someone_else_cannot_be_chosen(
    buyer_client: Client, organization: Any
) -> None:
    stranger = factories.make_organization(name="Not Yours")

    response = buyer_client.post(reverse("organization-choose"), {"organization": stranger.pk})

    assert response.status_code == 400
    assert ACTIVE_ORGANIZATION_KEY not in buyer_client.session


def test_an_unsafe_next_address_is_ignored(buyer_client: Client, organization: Any) -> None:
    response = buyer_client.post(
        reverse("organization-choose"),
        {"organization": organization.pk, "next": "https://evil.test/"},
    )

    assert response["Location"] == reverse("buyer-home")


def test_a_user_without_an_organisation_is_sent_home(client: Client) -> None:
    client.force_login(factories.make_user())

    response = client.get(reverse("buyer-home"))

    assert response["Location"] == reverse("home")
