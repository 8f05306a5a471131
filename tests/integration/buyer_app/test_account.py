"""The account page, shared by both apps: change the password, see and revoke API tokens."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.models import ApiToken, User
from linesheet.accounts.tokens import api_token_issue
from tests import factories

pytestmark = pytest.mark.django_db

ACCOUNT = "/account/"
NEW_PASSWORD = "a-brand-new-secret-27"


def works(secret: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return bool(client.get("/api/v1/me").status_code == 200)


def test_the_user_menu_of_both_apps_links_to_the_account_page(
    brand: Any, owner: Any, buyer_client: Client, connected_buyer: Any
) -> None:
    brand_client = Client()
    brand_client.force_login(owner)
    brand_page = brand_client.get(reverse("brand-orders", args=[brand.slug]))
    buyer_page = buyer_client.get(reverse("buyer-home"))

    for page in (brand_page, buyer_page):
        assert page.status_code == 200
        assert f'href="{ACCOUNT}"' in page.text


def test_the_account_page_needs_a_login(client: Client) -> None:
    response = client.get(ACCOUNT)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_page_lists_the_users_active_tokens_with_their_dates(
    client: Client, owner: Any
) -> None:
    api_token_issue(user=owner, name="ERP connector")
    used, _secret = api_token_issue(user=owner, name="Warehouse")
    ApiToken.objects.filter(pk=used.pk).update(last_used_at=timezone.now())
    expired, _secret = api_token_issue(user=owner, name="Old script")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    api_token_issue(user=factories.make_user(), name="Someone else's")
    client.force_login(owner)

    page = client.get(ACCOUNT)

    assert page.status_code == 200
    assert [token.name for token in page.context["tokens"]] == ["Warehouse", "ERP connector"]
    assert "ERP connector" in page.text and "Never" in page.text
    assert "Old script" not in page.text and "Someone else" not in page.text


def test_a_token_is_revoked_from_the_page(client: Client, owner: Any) -> None:
    token, secret = api_token_issue(user=owner, name="ERP connector")
    client.force_login(owner)

    response = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)

    assert response.status_code == 200
    assert "The token “ERP connector” is revoked." in response.text
    assert not works(secret)


def test_someone_elses_token_cannot_be_revoked_from_the_page(client: Client, owner: Any) -> None:
    token, secret = api_token_issue(user=factories.make_user(), name="Theirs")
    client.force_login(owner)

    response = client.post(f"/account/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert works(secret)


def test_a_token_made_on_the_page_is_shown_once_and_works(client: Client, owner: Any) -> None:
    client.force_login(owner)

    made = client.post("/account/tokens/", {"name": "ERP connector"}, follow=True)
    secret = made.context["new_token"]
    again = client.get(ACCOUNT)

    assert secret in made.text
    assert works(secret)
    assert secret not in again.text
    assert ApiToken.objects.get().name == "ERP connector"


def test_a_token_needs_a_name(client: Client, owner: Any) -> None:
    client.force_login(owner)

    response = client.post("/account/tokens/", {"name": "  "})

    assert response.status_code == 400
    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_changing_the_password_keeps_this_session_and_revokes_every_token(
    client: Client, owner: Any
) -> None:
    _token, secret = api_token_issue(user=owner, name="ERP connector")
    other_session = Client()
    other_session.force_login(owner)
    client.force_login(owner)

    response = client.post(
        "/account/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Your password is changed." in response.text
    assert client.get(ACCOUNT).status_code == 200
    assert other_session.get(ACCOUNT).status_code == 302
    assert not works(secret)
    assert User.objects.get(pk=owner.pk).check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(client: Client, owner: Any) -> None:
    client.force_login(owner)

    response = client.post(
        "/account/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert response.context["password_form"].errors["old_password"]
    assert User.objects.get(pk=owner.pk).check_password(factories.PASSWORD)


def test_a_locked_email_gets_429_with_the_message_on_the_password_form(
    client: Client, owner: Any
) -> None:
    client.force_login(owner)
    wrong = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(5):
        client.post("/account/password/", wrong)

    response = client.post("/account/password/", {**wrong, "old_password": factories.PASSWORD})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 900
    assert response.context["password_form"].non_field_errors() == [
        "Too many failed logins for this email or from your network. Try again in 15 minutes."
    ]
    assert User.objects.get(pk=owner.pk).check_password(factories.PASSWORD)


def test_the_expiry_is_shown(client: Client, owner: Any) -> None:
    token, _secret = api_token_issue(user=owner, name="ERP connector")
    client.force_login(owner)

    page = client.get(ACCOUNT)

    assert (token.expires_at - timezone.now()) > datetime.timedelta(days=89)
    assert token.expires_at.strftime("%Y-%m-%d") in page.text
