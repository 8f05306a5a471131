"""API views of the account basics: tokens and the current user."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, ParseError, UnsupportedMediaType
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.attempts import LOGIN, attempt_start, client_address
from linesheet.api.schema import responses
from linesheet.api.serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenView(APIView):
    """Exchange an email and password for a bearer token."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    def get_authenticate_header(self, request: Request) -> str:
        # Wrong credentials are a 401 (which needs this header), not DRF's fallback 403.
        return 'Bearer realm="api"'

    @extend_schema(
        tags=["auth"],
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
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class MeView(APIView):
    """The current user with their brands (slug, role) and buyer organisations."""

    @extend_schema(tags=["auth"], responses=responses({200: MeSerializer}, 401))
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(MeSerializer.for_user(request.user)).data)  # type: ignore[arg-type]
