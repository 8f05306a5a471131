"""Slow down password guessing at the web login, the admin login and POST /api/v1/auth/token.

After LOGIN_FAILURES_PER_EMAIL failed logins for one email, or LOGIN_FAILURES_PER_ADDRESS from
one client address, within LOGIN_FAILURE_WINDOW_SECONDS, further attempts are refused without
looking at the password until enough of those failures are older than the window: the web
login answers 429 with the message on the form, the API 429 `too_many_attempts`, both with
`Retry-After`. A successful login clears the email's failures (not the address's).

Failures are rows in the database (`LoginFailure`): every web process and server sees the same
count, and recording one is a plain INSERT, so concurrent guesses cannot lose an update. An
unknown email counts like a known one, so the refusal tells nothing about who has an account.
"""

from __future__ import annotations

import datetime
import ipaddress
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from linesheet.accounts.models import LoginFailure
from linesheet.core.json_bodies import JsonBodyError, json_body_read

EMAIL_MAX_LENGTH = 254
WEB, API = "web", "api"
# The login routes by URL name, and how each takes its credentials.
GUARDED_VIEWS = {"login": WEB, "admin:login": WEB, "api-token": API}
PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Lockout:
    retry_after: int  # seconds until the next attempt is accepted

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return ngettext(
            "Too many failed logins for this email or from your network. "
            "Try again in %(minutes)d minute.",
            "Too many failed logins for this email or from your network. "
            "Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}


def _window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _normalized(email: str) -> str:
    # Without NUL, which PostgreSQL text cannot hold: the lookup would fail with a server error.
    return email.replace("\x00", "").strip().lower()[:EMAIL_MAX_LENGTH]


def login_lockout(
    *, email: str, address: str | None, now: datetime.datetime | None = None
) -> Lockout | None:
    """Return the lockout of this email or address, or None when they may try to log in."""
    now = now or timezone.now()
    since = now - _window()
    limits: list[tuple[dict[str, str], int]] = []
    if email:
        limits.append(({"email": _normalized(email)}, settings.LOGIN_FAILURES_PER_EMAIL))
    if address:
        limits.append(({"address": address}, settings.LOGIN_FAILURES_PER_ADDRESS))
    until = None
    for lookup, limit in limits:
        # The limit-th most recent failure in the window: the lock lifts when it leaves it.
        nth = (
            LoginFailure.objects.filter(**lookup, failed_at__gt=since)
            .order_by("-failed_at")
            .values_list("failed_at", flat=True)[limit - 1 : limit]
            .first()
        )
        if nth is not None:
            ends = nth + _window()
            until = ends if until is None else max(until, ends)
    if until is None:
        return None
    return Lockout(retry_after=max(1, math.ceil((until - now).total_seconds())))


def login_failure_record(*, email: str, address: str | None) -> None:
    """Count a failed login against the email and the address; forget failures past the window."""
    now = timezone.now()
    LoginFailure.objects.filter(failed_at__lte=now - _window()).delete()
    LoginFailure.objects.create(email=_normalized(email), address=address, failed_at=now)


def login_failures_clear(*, email: str) -> None:
    """Forget the email's failures after a successful login."""
    LoginFailure.objects.filter(email=_normalized(email)).delete()


# --- The middleware -----------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str | None:
    """Return the client's IP address: from CLIENT_IP_HEADER behind a proxy, else the peer's."""
    header = settings.CLIENT_IP_HEADER
    if header:
        meta_key = "HTTP_" + header.strip().upper().replace("-", "_")
        # X-Forwarded-For: the last entry is the one our own proxy added; earlier ones are
        # whatever the client sent.
        candidate = request.META.get(meta_key, "").split(",")[-1].strip()
    else:
        candidate = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


@dataclass(frozen=True)
class LoginAttempt:
    kind: str
    email: str
    address: str | None
    complete: bool  # both an email and a password were sent


def _api_credentials(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json_body_read(request.body or b"{}")
        except JsonBodyError:
            return {}
        return data if isinstance(data, dict) else {}
    return {key: request.POST.get(key) for key in ("email", "password")}


def login_attempt_of(request: HttpRequest, kind: str) -> LoginAttempt:
    """Read who is trying to log in from the request, as the login view will."""
    if kind == API:
        data = _api_credentials(request)
        email, password = data.get("email"), data.get("password")
    else:
        email, password = request.POST.get("username"), request.POST.get("password")
    email = email if isinstance(email, str) else ""
    return LoginAttempt(
        kind=kind,
        email=_normalized(email),
        address=client_address(request),
        complete=bool(email.strip()) and isinstance(password, str) and bool(password),
    )


class LockedLoginForm(AuthenticationForm):
    """The login form as sent, refused with the lockout's message (the password is not checked)."""

    def __init__(self, request: HttpRequest, data: Any, message: str) -> None:
        super().__init__(request, data=data)
        self.lockout_message = message

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError(self.lockout_message, code="too_many_attempts")


def refusal(request: HttpRequest, attempt: LoginAttempt, lockout: Lockout) -> HttpResponse:
    """Answer a refused login attempt: the login page with the message, or a problem (API)."""
    response: HttpResponse
    if attempt.kind == API:
        response = JsonResponse(
            {
                "type": "https://linesheet.test/problems/too_many_attempts",
                "title": "Too many requests",
                "status": 429,
                "detail": lockout.message,
                "code": "too_many_attempts",
                "retry_after": lockout.retry_after,
            },
            status=429,
            content_type=PROBLEM_CONTENT_TYPE,
        )
    else:
        form = LockedLoginForm(request, request.POST, lockout.message)
        form.full_clean()
        response = render(
            request,
            "registration/login.html",
            {"form": form, "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = str(lockout.retry_after)
    return response


def _succeeded(attempt: LoginAttempt, request: HttpRequest, response: HttpResponse) -> bool:
    if attempt.kind == API:
        return response.status_code == 200
    # Logged in by this request as the user the email names: a user already logged in who
    # posts someone else's email must not clear that email's failures.
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(request, "_login_was_anonymous", False)
        and getattr(user, "email", "").lower() == attempt.email
    )


def _failed(attempt: LoginAttempt, request: HttpRequest, response: HttpResponse) -> bool:
    if not attempt.complete:
        return False  # a form sent half-filled guesses no password
    if attempt.kind == API:
        return response.status_code == 401
    # The login page shown again with its error; a user already logged in is only redirected.
    return getattr(request, "_login_was_anonymous", False) and response.status_code == 200


class LoginThrottleMiddleware:
    """Refuse login attempts of a locked email or address; count failures, clear on success."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        attempt: LoginAttempt | None = getattr(request, "_login_attempt", None)
        if attempt is not None and response.status_code != 429:
            if _succeeded(attempt, request, response):
                login_failures_clear(email=attempt.email)
            elif _failed(attempt, request, response):
                login_failure_record(email=attempt.email, address=attempt.address)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method != "POST" or request.resolver_match is None:
            return None
        kind = GUARDED_VIEWS.get(request.resolver_match.view_name)
        if kind is None:
            return None
        attempt = login_attempt_of(request, kind)
        lockout = login_lockout(email=attempt.email, address=attempt.address)
        if lockout is not None:
            return refusal(request, attempt, lockout)
        request._login_attempt = attempt  # type: ignore[attr-defined]
        request._login_was_anonymous = not request.user.is_authenticated  # type: ignore[attr-defined]
        return None
