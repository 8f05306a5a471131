"""The web pages' answer to a refused attempt: 429 with the message, and `Retry-After`.

The limits themselves are `attempts.py`, applied where secrets are checked (the authentication
backend, order links). A login form's password check raises `TooManyAttempts` from inside
Django's own login views (the site's and the admin's); this middleware turns it into the login
page again with the message on the form. The API answers its own problem (`api.problems`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linesheet.accounts.attempts import TooManyAttempts

# The login pages by URL name: refused, they show the login form again.
LOGIN_PAGES = frozenset({"login", "admin:login"})


class LockedLoginForm(AuthenticationForm):
    """The login form as sent, refused with the lockout's message (the password is not checked)."""

    def __init__(self, request: HttpRequest, data: Any, message: str) -> None:
        super().__init__(request, data=data)
        self.lockout_message = message

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError(self.lockout_message, code="too_many_attempts")


def refusal_page(request: HttpRequest, refusal: TooManyAttempts) -> HttpResponse:
    """Answer a refused attempt on the web: the login page with the message, else a plain page."""
    match = request.resolver_match
    if match is not None and match.view_name in LOGIN_PAGES:
        form = LockedLoginForm(request, request.POST, refusal.message)
        form.full_clean()
        response = render(
            request,
            "registration/login.html",
            {"form": form, "next": request.POST.get("next", "")},
            status=429,
        )
    else:
        response = render(request, "429.html", {"message": refusal.message}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


class TooManyAttemptsMiddleware:
    """Answer a `TooManyAttempts` that a page let through with the refusal page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TooManyAttempts):
            return refusal_page(request, exception)
        return None
