"""Password guessing: after five failures for an email (twenty from an address) within the window,
every password check refuses to try any password: the web login, the admin login (signed in or
not), POST /api/v1/auth/token whatever its body, a password change, async callers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import aauthenticate
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.attempts import TooManyAttempts
from linesheet.accounts.models import FailedAttempt, User
from tests import factories
from tests.integration.ordering.test_races import run_at_once

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
    assert FailedAttempt.objects.filter(subject=EMAIL).count() == 0


def test_an_unknown_email_is_locked_like_a_known_one(db: None) -> None:
    fail(5, email="nobody@atelier.test")

    assert web_login("nobody@atelier.test", WRONG).status_code == 429


def test_an_email_is_one_whatever_its_case(user: Any) -> None:
    fail(5, email="Owner@Atelier.TEST")

    assert web_login(EMAIL, factories.PASSWORD).status_code == 429


def test_the_lock_lifts_when_the_failures_leave_the_window(user: Any) -> None:
    fail(5)
    FailedAttempt.objects.update(failed_at=timezone.now() - datetime.timedelta(seconds=901))

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
    FailedAttempt.objects.all().delete()
    response = client.post(
        "/api/v1/auth/token", {"email": EMAIL, "password": factories.PASSWORD}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["token"]


# --- The token endpoint judges the credentials its parser read --------------------------------


def latin1_login(email: str, password: str, *, address: str = "198.51.100.7") -> Any:
    """POST the credentials as JSON declared latin-1, with a first "password" that is no UTF-8.

    Read by its charset, the last of two equal keys wins: the password checked would be the
    second one. The API reads JSON as UTF-8 whatever the charset: the body is refused unread.
    """
    body = f'{{"email": "{email}", "password": "\u00e9", "password": "{password}"}}'
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/token", body, content_type="application/json; charset=latin-1"
    )


def test_latin1_json_with_a_byte_that_is_no_utf8_never_checks_a_password_and_is_counted(
    user: Any,
) -> None:
    response = latin1_login(EMAIL, factories.PASSWORD)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "token" not in response.json()
    assert list(FailedAttempt.objects.values_list("subject", "address")) == [("", "198.51.100.7")]


def test_twenty_unreadable_guesses_lock_their_address(user: Any) -> None:
    for _ in range(20):
        assert latin1_login(EMAIL, WRONG).status_code == 400

    assert latin1_login(EMAIL, factories.PASSWORD).status_code == 429
    assert api_login(EMAIL, factories.PASSWORD).status_code == 429
    assert api_login(EMAIL, factories.PASSWORD, address="198.51.100.8").status_code == 200


def test_a_locked_email_gets_no_token_from_a_body_in_another_charset(user: Any) -> None:
    for _ in range(5):
        assert api_login(EMAIL, WRONG).status_code == 401

    response = latin1_login(EMAIL, factories.PASSWORD)

    assert response.status_code in (400, 429)
    assert "token" not in response.json()


@pytest.mark.parametrize("charset", ["utf-8", "utf-8-sig", "us-ascii", "latin-1"])
def test_a_body_read_whatever_charset_it_declares_is_counted_the_same(
    user: Any, charset: str
) -> None:
    body = f'{{"email": "{EMAIL}", "password": "{WRONG}"}}'.encode(charset)
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        response = client.generic(
            "POST",
            "/api/v1/auth/token",
            body,
            content_type=f"application/json; charset={charset}",
        )
        assert response.status_code == 401, response.content

    assert api_login(EMAIL, factories.PASSWORD).status_code == 429


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"email": "owner@atelier.test", "password": ', "application/json"),
        (b"\xff\xfe{\x00", "application/json; charset=no-such-charset"),
        (b"email=owner%40atelier.test&password=x", "application/x-www-form-urlencoded"),
        (
            '{"email": "owner@atelier.test", "password": "x"}'.encode("utf-16"),
            "application/json; charset=utf-16",
        ),
    ],
    ids=["cut_json", "unknown_charset", "form_body", "utf16"],
)
def test_a_token_request_the_parsers_cannot_read_counts_against_its_address(
    user: Any, body: bytes, content_type: str, settings: Any
) -> None:
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR="203.0.113.50")
    for _ in range(3):
        response = client.generic("POST", "/api/v1/auth/token", body, content_type=content_type)
        assert response.status_code in (400, 415), response.content

    locked = api_login(EMAIL, factories.PASSWORD, address="203.0.113.50")

    assert locked.status_code == 429
    assert api_login(EMAIL, factories.PASSWORD, address="203.0.113.51").status_code == 200


# --- Every password check counts, whoever asks for it -----------------------------------------


def test_a_signed_in_user_guessing_supports_password_at_the_admin_login_is_counted(
    db: None,
) -> None:
    """Anyone may register, log in, then post guesses to /admin/login/, which checks them."""
    factories.make_user(email="support@linesheet.test", is_staff=True, is_superuser=True)
    guesser = Client(REMOTE_ADDR="198.51.100.20")
    guesser.force_login(factories.make_user(email="guesser@example.test"))
    for _ in range(5):
        response = guesser.post(
            "/admin/login/", {"username": "support@linesheet.test", "password": WRONG}
        )
        assert response.status_code == 200

    response = guesser.post(
        "/admin/login/", {"username": "support@linesheet.test", "password": factories.PASSWORD}
    )

    assert response.status_code == 429
    assert User.objects.get(pk=response.wsgi_request.user.pk).email == "guesser@example.test"
    elsewhere = Client(REMOTE_ADDR="198.51.100.21").post(
        "/login/", {"username": "support@linesheet.test", "password": factories.PASSWORD}
    )
    assert elsewhere.status_code == 429


def web_door(email: str, password: str) -> int:
    return web_login(email, password).status_code


def admin_door(email: str, password: str) -> int:
    return (
        Client(REMOTE_ADDR="198.51.100.7")
        .post("/admin/login/", {"username": email, "password": password})
        .status_code
    )


def signed_in_admin_door(email: str, password: str) -> int:
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.force_login(User.objects.get_or_create(email="someone@example.test")[0])
    return client.post("/admin/login/", {"username": email, "password": password}).status_code


def api_door(email: str, password: str) -> int:
    return api_login(email, password).status_code


def multipart_api_door(email: str, password: str) -> int:
    return (
        APIClient(REMOTE_ADDR="198.51.100.7")
        .post("/api/v1/auth/token", {"email": email, "password": password}, format="multipart")
        .status_code
    )


def charset_api_door(email: str, password: str) -> int:
    """JSON declaring a charset other than UTF-8 (read as UTF-8: the text is plain ASCII)."""
    return (
        Client(REMOTE_ADDR="198.51.100.7")
        .post(
            "/api/v1/auth/token",
            f'{{"email": "{email}", "password": "{password}"}}',
            content_type="application/json; charset=latin-1",
        )
        .status_code
    )


def password_change(path: str, email: str, password: str) -> int:
    """Post a password change, which asks for the current password, as the user logged in."""
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.force_login(User.objects.get(email=email))
    new = "a-brand-new-secret-27"
    return client.post(
        path, {"old_password": password, "new_password1": new, "new_password2": new}
    ).status_code


def password_change_door(email: str, password: str) -> int:
    return password_change("/account/password/", email, password)


def admin_password_change_door(email: str, password: str) -> int:
    return password_change("/admin/password_change/", email, password)


def async_door(email: str, password: str) -> int:
    """An async caller of Django's `aauthenticate()`: 401 for none, 200 for a user."""
    user = async_to_sync(aauthenticate)(None, username=email, password=password)
    return 401 if user is None else 200


PASSWORD_DOORS = [
    async_door,
    web_door,
    admin_door,
    signed_in_admin_door,
    api_door,
    multipart_api_door,
    charset_api_door,
    password_change_door,
    admin_password_change_door,
]


@pytest.mark.parametrize("door", PASSWORD_DOORS, ids=lambda door: door.__name__)
def test_every_door_that_checks_a_password_counts_its_failures_and_locks(
    door: Any, db: None
) -> None:
    """Five wrong passwords at one door lock the email at that door and at every other."""
    factories.make_user(email=EMAIL, is_staff=True)
    for _ in range(5):
        assert door(EMAIL, WRONG) in (200, 400, 401)

    if door is async_door:
        with pytest.raises(TooManyAttempts):
            door(EMAIL, factories.PASSWORD)
    else:
        assert door(EMAIL, factories.PASSWORD) == 429
    assert web_door(EMAIL, factories.PASSWORD) == 429
    assert api_door(EMAIL, factories.PASSWORD) == 429


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_get_no_more_tries_than_guesses_in_a_row(settings: Any) -> None:
    """Eight guesses released at once, each a slow password check: at most five are checked,
    the others are refused unchecked; none slips in between another's check and its count."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    factories.make_user(email=EMAIL)

    statuses = run_at_once(
        [
            lambda number=number: api_login(EMAIL, f"guess-{number}").status_code
            for number in range(8)
        ]
    )

    checked = statuses.count(401)
    assert checked <= 5
    assert statuses.count(429) == 8 - checked
    assert FailedAttempt.objects.filter(subject=EMAIL).count() == checked
