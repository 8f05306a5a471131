"""The authentication backend: Django's email and password check, at the login door."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from linesheet.accounts.attempts import LOGIN, attempt_start, attempt_succeeded, client_address
from linesheet.accounts.models import User


class AttemptLimitedBackend(ModelBackend):
    """Check an email and password as Django does, counting every attempt at the login door.

    Every password check goes through `authenticate()` and so through here: the web login, the
    admin's (whoever is logged in already), the API's token endpoint, the current password of a
    password change. What is counted is exactly what is checked: the credentials as the caller
    parsed them. A locked email or address raises `TooManyAttempts` before the password is
    looked at; a success forgets the email's failures.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.pop(get_user_model().USERNAME_FIELD, None)
        if username is None or password is None:
            return None  # nothing to check: not a guess
        attempt = attempt_start(
            door=LOGIN,
            subject=username,
            address=client_address(request) if request is not None else None,
        )
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            attempt_succeeded(attempt, forget_subject=True)
        return user

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        """The same check from async code (ModelBackend's own would skip the counting)."""
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )
