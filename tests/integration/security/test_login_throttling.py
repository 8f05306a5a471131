"""Password guessing: after five failures for an email (twenty from an address) within the window,
the web login, the admin login and POST /api/v1/auth/token refuse to try any password."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.models import LoginFailure
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "owner@atelier.test"
WRONG = "not-the-password"


@pytest.fixture
def user(db: None) -> Any:
    return factories.make_user(email=EMAIL)


def web_login(email: str, password: str, *, address: str = "198.51.100.7") -> Any:
    return Client(REMOTE_ADDR=address).post("/login/", {"username": email, "password": password})


def api_login(email: str, password: str, *, address: str = "198.51.100.7") -> Any:
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/auth/token", {"email": email, "password": password}, format="json"
    )


def fail(times: int, email: str = EMAIL, **kwargs: Any) -> None:
    for _ in range(times):
        assert web_login(email, WRONG, **kwargs).status_code == 200


def test_the_sixth_web_login_for_an_email_is_refused_even_with_the_right_password(
    user: Any,
) -> None:
    fail(5)

    response = web_login(EMAIL, factories.PASSWORD)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 900
    assert "Too many failed logins for this email or from your network" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_api_refuses_a_locked_email_with_a_problem_and_retry_after(user: Any) -> None:
    for _ in range(5):
        assert api_login(EMAIL, WRONG).status_code == 401

    response = api_login(EMAIL, factories.PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "too_many_attempts"
    assert response.json()["retry_after"] == int(response["Retry-After"])
    assert "token" not in response.json()


def test_failures_on_the_web_and_in_the_api_count_together(user: Any) -> None:
    fail(3)
    api_login(EMAIL, WRONG)
    api_login(EMAIL, WRONG)

    assert api_login(EMAIL, factories.PASSWORD).status_code == 429
    assert web_login(EMAIL, factories.PASSWORD).status_code == 429


def test_four_failures_still_let_the_right_password_in(user: Any) -> None:
    fail(4)

    assert web_login(EMAIL, factories.PASSWORD).status_code == 302


def test_a_successful_login_clears_the_emails_failures(user: Any) -> None:
    fail(4)
    assert api_login(EMAIL, factories.PASSWORD).status_code == 200
    fail(4)

    assert web_login(EMAIL, factories.PASSWORD).status_code == 302
    assert LoginFailure.objects.filter(email=EMAIL).count() == 0


def test_an_unknown_email_is_locked_like_a_known_one(db: None) -> None:
    fail(5, email="nobody@atelier.test")

    assert web_login("nobody@atelier.test", WRONG).status_code == 429


def test_an_email_is_one_whatever_its_case(user: Any) -> None:
    fail(5, email="Owner@Atelier.TEST")

    assert web_login(EMAIL, factories.PASSWORD).status_code == 429


def test_the_lock_lifts_when_the_failures_leave_the_window(user: Any) -> None:
    fail(5)
    LoginFailure.objects.update(failed_at=timezone.now() - datetime.timedelta(seconds=901))

    assert web_login(EMAIL, factories.PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_lock_that_address_for_every_email(user: Any) -> None:
    for number in range(20):
        web_login(f"guess{number}@atelier.test", WRONG, address="203.0.113.9")

    assert web_login(EMAIL, factories.PASSWORD, address="203.0.113.9").status_code == 429
    assert web_login(EMAIL, factories.PASSWORD, address="203.0.113.10").status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_adds(user: Any, settings: Any) -> None:
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    for number in range(20):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9").post(
            "/login/", {"username": f"guess{number}@atelier.test", "password": WRONG}
        )

    locked = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    login = {"username": EMAIL, "password": factories.PASSWORD}
    assert locked.post("/login/", login).status_code == 429
    assert other.post("/login/", login).status_code == 302


def test_a_form_sent_without_a_password_is_no_guess(user: Any) -> None:
    for _ in range(6):
        web_login(EMAIL, "")

    assert web_login(EMAIL, factories.PASSWORD).status_code == 302


def test_the_admin_login_is_guarded_too(db: None) -> None:
    factories.make_user(email="support@linesheet.test", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "support@linesheet.test", "password": WRONG})

    response = client.post(
        "/admin/login/", {"username": "support@linesheet.test", "password": factories.PASSWORD}
    )

    assert response.status_code == 429


def test_someone_logged_in_cannot_clear_another_emails_failures(user: Any) -> None:
    fail(4)
    intruder = Client(REMOTE_ADDR="198.51.100.8")
    intruder.force_login(factories.make_user(email="intruder@example.test"))
    intruder.post("/login/", {"username": EMAIL, "password": WRONG})

    assert LoginFailure.objects.filter(email=EMAIL).count() == 4
    fail(1)
    assert web_login(EMAIL, factories.PASSWORD).status_code == 429


def test_the_token_endpoint_counts_a_multipart_form_as_well(user: Any) -> None:
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        response = client.post(
            "/api/v1/auth/token", {"email": EMAIL, "password": WRONG}, format="multipart"
        )
        assert response.status_code == 401

    response = client.post(
        "/api/v1/auth/token", {"email": EMAIL, "password": factories.PASSWORD}, format="multipart"
    )

    assert response.status_code == 429
    LoginFailure.objects.all().delete()
    response = client.post(
        "/api/v1/auth/token", {"email": EMAIL, "password": factories.PASSWORD}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["token"]
