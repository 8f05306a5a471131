"""Bearer tokens: `Authorization: Bearer <token>` from POST /api/v1/auth/token."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, under the `Bearer` keyword."""

    keyword = "Bearer"
