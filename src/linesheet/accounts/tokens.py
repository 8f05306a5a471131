"""API tokens: issued at each login, found by their digest, listed and revoked by their user.

A token is 32 random bytes (43 URL-safe characters) shown once; the database keeps its SHA-256
digest (a token is random enough that a fast hash is safe: there is nothing to guess from). A
password change or a deactivation revokes every token of the user (`User.save`).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from linesheet.accounts.models import ApiToken, User

TOKEN_BYTES = 32
# When a token was last used is written at most this often: not a write on every request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
DEFAULT_NAME = "API token"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_issue(*, user: User, name: str = DEFAULT_NAME) -> tuple[ApiToken, str]:
    """Issue a token to the user; return it with its secret, which is stored nowhere.

    The user's expired tokens are deleted, and past API_TOKENS_PER_USER the ones used longest
    ago (never used: made longest ago) make room.
    """
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one issue at a time
        ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
        keep = max(0, settings.API_TOKENS_PER_USER - 1)
        stale = list(
            ApiToken.objects.filter(user=user)
            .order_by(Coalesce("last_used_at", "created_at").desc(), F("id").desc())
            .values_list("pk", flat=True)[keep:]
        )
        if stale:
            ApiToken.objects.filter(pk__in=stale).delete()
        token = ApiToken.objects.create(
            user=user,
            name=name.strip() or DEFAULT_NAME,
            digest=token_digest(secret),
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
        )
    return token, secret


def api_token_find(*, secret: str) -> ApiToken | None:
    """Return the token with that secret and its user (one query), expired or not."""
    return ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()


def api_token_mark_used(*, token: ApiToken) -> None:
    """Record that the token was used now, unless that was recorded less than a minute ago."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """Return the user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by(
        "-created_at", "-id"
    )


def api_token_revoke(*, user: User, token_id: int) -> ApiToken | None:
    """Revoke one of the user's tokens; return it, or None when the user has no such token."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).delete()
    return token
