"""API tokens: each login a new named token with a lifetime; stored as a digest only; listed
and revoked by their user; every one revoked by a password change or a deactivation."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.models import ApiToken, User
from linesheet.accounts.services import user_password_change
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "owner@atelier.test"


@pytest.fixture
def user(db: None) -> User:
    return factories.make_user(email=EMAIL)


def log_in(name: str | None = None, *, email: str = EMAIL) -> dict[str, Any]:
    body = {"email": email, "password": factories.PASSWORD}
    if name is not None:
        body["name"] = name
    response = APIClient().post("/api/v1/auth/token", body, format="json")
    assert response.status_code == 200, response.content
    return dict(response.json())


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def works(token: str) -> bool:
    status = bearer(token).get("/api/v1/me").status_code
    assert status in (200, 401)
    return status == 200


def test_each_login_gives_a_new_token_and_the_earlier_ones_keep_working(user: User) -> None:
    first, second = log_in("ERP"), log_in("Warehouse")

    assert first["token"] != second["token"]
    assert works(first["token"]) and works(second["token"])
    assert (first["name"], second["name"]) == ("ERP", "Warehouse")


def test_a_token_lives_for_the_configured_lifetime(user: User, settings: Any) -> None:
    settings.API_TOKEN_LIFETIME_DAYS = 7
    before = timezone.now()

    issued = log_in()

    expires = datetime.datetime.fromisoformat(issued["expires_at"])
    assert (
        before + datetime.timedelta(days=7)
        <= expires
        <= timezone.now() + datetime.timedelta(days=7)
    )


def test_an_expired_token_is_refused_with_its_own_code(user: User) -> None:
    issued = log_in()
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = bearer(issued["token"]).get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_delete_revokes_the_token_it_is_sent_with_and_no_other(user: User) -> None:
    kept, revoked = log_in("kept"), log_in("revoked")

    response = bearer(revoked["token"]).delete("/api/v1/auth/token")

    assert response.status_code == 204
    assert not works(revoked["token"])
    assert works(kept["token"])
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["kept"]


def test_delete_without_a_token_is_refused(user: User) -> None:
    client = APIClient()
    client.force_login(user)  # a browser session has no token to revoke

    response = client.delete("/api/v1/auth/token")

    assert response.status_code == 400
    assert response.json()["code"] == "no_bearer_token"
    assert APIClient().delete("/api/v1/auth/token").status_code == 401


def test_a_user_lists_their_active_tokens_with_name_and_dates(user: User) -> None:
    log_in("ERP")
    current = log_in("Warehouse")
    ApiToken.objects.create(
        user=user,
        name="expired",
        digest="0" * 64,
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    log_in(email=factories.make_user(email="other@atelier.test").email)

    response = bearer(current["token"]).get("/api/v1/auth/tokens")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(row["name"], row["current"]) for row in results] == [
        ("Warehouse", True),
        ("ERP", False),
    ]
    assert set(results[0]) == {"id", "name", "created_at", "last_used_at", "expires_at", "current"}
    assert results[0]["last_used_at"] is not None
    assert results[1]["last_used_at"] is None
    assert (response.json()["next"], response.json()["previous"]) == (None, None)


def test_a_user_revokes_one_of_their_tokens_by_id_but_not_someone_elses(user: User) -> None:
    current, other = log_in("current"), log_in("other")
    theirs = log_in(email=factories.make_user(email="other@atelier.test").email)
    client = bearer(current["token"])

    assert client.delete(f"/api/v1/auth/tokens/{other['id']}").status_code == 204
    refused = client.delete(f"/api/v1/auth/tokens/{theirs['id']}")

    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"
    assert not works(other["token"])
    assert works(theirs["token"]) and works(current["token"])


def test_the_database_holds_no_usable_token(user: User) -> None:
    issued = log_in()
    row = ApiToken.objects.values().get()

    assert issued["token"] not in {str(value) for value in row.values()}
    assert row["digest"] == hashlib.sha256(issued["token"].encode()).hexdigest()
    assert not works(row["digest"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        assert not any(issued["token"] in str(value) for value in cursor.fetchone())


def test_last_used_is_written_at_most_once_a_minute(
    user: User, django_assert_num_queries: Any
) -> None:
    client = bearer(log_in()["token"])

    # The token with its user, when it was last used, the list.
    with django_assert_num_queries(3):
        client.get("/api/v1/auth/tokens")
    first = ApiToken.objects.get().last_used_at
    with django_assert_num_queries(2):
        client.get("/api/v1/auth/tokens")
    assert ApiToken.objects.get().last_used_at == first

    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(seconds=61))
    client.get("/api/v1/me")
    assert ApiToken.objects.get().last_used_at > first


def test_a_password_change_revokes_every_token(user: User) -> None:
    tokens = [log_in()["token"], log_in()["token"]]

    user_password_change(user=user, password="a-brand-new-secret-27")

    assert not any(works(token) for token in tokens)
    assert not ApiToken.objects.exists()


def test_a_password_set_anywhere_revokes_the_tokens(user: User) -> None:
    """The admin's forms, `changepassword` and the services all save a new password."""
    token = log_in()["token"]
    found = get_user_model().objects.get(pk=user.pk)

    found.set_password("a-brand-new-secret-27")
    found.save()

    assert not works(token)


def test_a_password_hash_upgrade_on_login_keeps_the_tokens(user: User, settings: Any) -> None:
    token = log_in()["token"]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    log_in()  # checks the MD5 hash and saves a PBKDF2 one: the same password

    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_")
    assert works(token)


def test_deactivation_revokes_every_token_for_good(user: User) -> None:
    token = log_in()["token"]
    support = Client()
    support.force_login(User.objects.create_superuser("support@linesheet.test", "s3cret-pass"))

    support.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [user.pk]})
    support.post("/admin/accounts/user/", {"action": "activate", "_selected_action": [user.pk]})

    assert User.objects.get(pk=user.pk).is_active
    assert not works(token)


def test_a_user_deactivated_on_the_change_form_loses_the_tokens(user: User) -> None:
    token = log_in()["token"]
    found = User.objects.get(pk=user.pk)

    found.is_active = False
    found.save()
    User.objects.filter(pk=user.pk).update(is_active=True)

    assert not works(token)


def test_the_oldest_tokens_give_way_past_the_limit_per_user(user: User, settings: Any) -> None:
    settings.API_TOKENS_PER_USER = 3
    issued = [log_in(f"token {number}") for number in range(3)]
    works(issued[0]["token"])  # used: now the most recent

    log_in("token 3")

    assert sorted(ApiToken.objects.values_list("name", flat=True)) == [
        "token 0",
        "token 2",
        "token 3",
    ]


def test_the_name_is_checked(user: User) -> None:
    response = APIClient().post(
        "/api/v1/auth/token",
        {"email": EMAIL, "password": factories.PASSWORD, "name": "x" * 101},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"name"}


def test_the_schema_documents_issuing_listing_and_revoking(db: None) -> None:
    paths = APIClient().get("/api/schema/?format=json").json()["paths"]

    assert {"post", "delete"} <= set(paths["/api/v1/auth/token"])
    assert "get" in paths["/api/v1/auth/tokens"]
    assert "delete" in paths["/api/v1/auth/tokens/{token_id}"]
    assert "429" in paths["/api/v1/auth/token"]["post"]["responses"]
