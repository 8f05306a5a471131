"""Bearer tokens: `Authorization: Bearer <token>` from POST /api/v1/auth/token."""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from linesheet.core.statements import RelatedSelect, column, related_select


class BearerTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        """DRF's check (the token exists, its user is active), with the statement written once.

        Every API request starts here; the ORM would compile the same one-row lookup each time.
        """
        token = _token_select(connection.alias).one(_token_statement(connection.alias), [key])
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        assert isinstance(token, Token)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


def _token_select(using: str) -> RelatedSelect:
    return related_select(Token, ("user",), using)


@functools.cache
def _token_statement(using: str) -> str:
    select = _token_select(using)
    return f"{select.sql} WHERE {select.alias()}.{column(Token, 'key', using=using)} = %s"
