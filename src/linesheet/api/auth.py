"""Bearer tokens: `Authorization: Bearer <token>`, as issued by POST /api/v1/auth/token."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from linesheet.accounts.models import ApiToken
from linesheet.accounts.tokens import api_token_find, api_token_mark_used


class BearerTokenAuthentication(TokenAuthentication):
    """DRF's header parsing; the token is looked up by its digest and must not have expired."""

    keyword = "Bearer"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = api_token_find(secret=key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                f"This token expired on {token.expires_at:%Y-%m-%d}. Log in for a new one.",
                code="token_expired",
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        api_token_mark_used(token=token)
        return (token.user, token)
