"""API tokens and the current user: exchange a password for a token, list and revoke tokens, me."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import authenticate
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    NotFound,
    ParseError,
    UnsupportedMediaType,
)
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.attempts import LOGIN, attempt_start, client_address
from linesheet.accounts.models import ApiToken, User
from linesheet.accounts.tokens import DEFAULT_NAME, api_token_issue, api_token_revoke, api_tokens_of
from linesheet.api.accounts.serializers import (
    ListedApiTokenSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from linesheet.api.schema import page_of, responses

REVOKED = {204: OpenApiResponse(description="Revoked: the token no longer works.")}
LIFETIME_NOTE = (
    "A token lives `API_TOKEN_LIFETIME_DAYS` (90 by default); a password change or a "
    "deactivation revokes all of a user's tokens."
)


class NoBearerToken(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "no_bearer_token"
    default_detail = "Send the token to revoke as `Authorization: Bearer <token>`."


class TokenView(APIView):
    """Exchange an email and password for a new bearer token; revoke the token in use."""

    def get_authenticate_header(self, request: Request) -> str:
        # Wrong credentials are a 401 (which needs this header), not DRF's fallback 403.
        return 'Bearer realm="api"'

    def get_permissions(self) -> list[AllowAny | IsAuthenticated]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def perform_authentication(self, request: Request) -> None:
        # Logging in needs no login: a stale Authorization header must not refuse it.
        if request.method != "POST":
            super().perform_authentication(request)

    @extend_schema(
        tags=["auth"],
        summary="Log in: a new token",
        description=(
            "Each login issues a new named token (several per user are fine: one per "
            f"integration). {LIFETIME_NOTE} Failed logins are limited per email and per "
            "client address, as for the web login: past the limit `429 too_many_attempts` "
            "with `Retry-After`, even for the right password. A body that cannot be read "
            "counts as a failed login of its address."
        ),
        request=TokenRequestSerializer,
        responses=responses({200: TokenSerializer}, 400, 401, 415, 429),
    )
    def post(self, request: Request) -> Response:
        try:
            data = request.data
        except (ParseError, UnsupportedMediaType, RequestDataTooBig):
            # Unread, it still was a try: counted against the address (429 once locked).
            attempt_start(door=LOGIN, subject="", address=client_address(request))
            raise
        serializer = TokenRequestSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        # The credentials exactly as parsed here are what the backend counts and checks.
        user = authenticate(
            request._request,
            username=serializer.validated_data["email"].lower(),
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise AuthenticationFailed("The email or password is not correct.")
        token, secret = api_token_issue(
            user=cast(User, user), name=serializer.validated_data.get("name", DEFAULT_NAME)
        )
        token.token = secret  # type: ignore[attr-defined]  # answered once, never stored
        return Response(TokenSerializer(token).data, status=status.HTTP_200_OK)

    @extend_schema(
        tags=["auth"],
        summary="Log out: revoke the token this request is sent with",
        request=None,
        responses={**REVOKED, **responses({}, 400, 401)},
    )
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise NoBearerToken()
        api_token_revoke(user=cast(User, request.user), token_id=request.auth.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """The caller's tokens that still work."""

    @extend_schema(
        tags=["auth"],
        summary="List your tokens",
        description=(
            f"Newest first, each with when it was last used (to the minute). {LIFETIME_NOTE}"
        ),
        responses=responses({200: page_of(ListedApiTokenSerializer)}, 401),
    )
    def get(self, request: Request) -> Response:
        current = request.auth.pk if isinstance(request.auth, ApiToken) else None
        tokens = api_tokens_of(user=cast(User, request.user))
        serializer = ListedApiTokenSerializer(tokens, many=True, context={"current_id": current})
        return Response({"results": serializer.data, "next": None, "previous": None})


class TokenDetailView(APIView):
    @extend_schema(
        tags=["auth"],
        summary="Revoke one of your tokens",
        request=None,
        responses={**REVOKED, **responses({}, 401, 404)},
    )
    def delete(self, request: Request, token_id: int) -> Response:
        if api_token_revoke(user=cast(User, request.user), token_id=token_id) is None:
            raise NotFound("You have no token with that id.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The current user with their brands (slug, role) and buyer organisations."""

    @extend_schema(tags=["auth"], responses=responses({200: MeSerializer}, 401))
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(MeSerializer.for_user(request.user)).data)  # type: ignore[arg-type]
