"""ADMINS: every error logged (a 500, a failed task) reaches them by email, with its request id."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import views as auth_views
from django.test import Client

from tests.smtp_inbox import SmtpInbox


def fail(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("the login page broke")


@pytest.fixture
def broken_login_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault in a page: the error the report is about."""
    monkeypatch.setattr(auth_views.LoginView, "get", fail)


@pytest.mark.django_db
def test_a_server_error_is_emailed_to_the_admins_with_its_request_id(
    smtp_server: SmtpInbox, settings: Any, broken_login_page: None
) -> None:
    settings.ADMINS = [("", "ops@example.test")]

    response = Client(raise_request_exception=False).get("/login/", HTTP_X_REQUEST_ID="req-500")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-500"
    [report] = smtp_server.messages
    assert report["X-Envelope-To"] == "ops@example.test"
    assert "Internal Server Error: /login/" in report["Subject"]
    body = report.get_payload(decode=True).decode()
    assert "RuntimeError at /login/" in body and "the login page broke" in body
    assert "req-500" in body


@pytest.mark.django_db
def test_without_admins_nothing_is_emailed(
    smtp_server: SmtpInbox, settings: Any, broken_login_page: None
) -> None:
    settings.ADMINS = []

    response = Client(raise_request_exception=False).get("/login/")

    assert response.status_code == 500
    assert smtp_server.messages == []
