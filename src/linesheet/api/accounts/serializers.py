"""Input and output shapes of the token and current-user endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from linesheet.accounts.models import BrandRole, User
from linesheet.accounts.permissions import ROLE_PERMISSIONS
from linesheet.api.serializers import StrictSerializer


class TokenRequestSerializer(StrictSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, max_length=200)
    name = serializers.CharField(
        required=False,
        max_length=100,
        help_text=(
            "What the token is for (e.g. the integration using it), shown in the list of "
            'tokens. Left out: "API token".'
        ),
    )


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text="To the minute; null: never used."
    )
    expires_at = serializers.DateTimeField()


class ListedApiTokenSerializer(ApiTokenSerializer):
    current = serializers.SerializerMethodField(
        help_text="Whether this is the token the request was sent with."
    )

    def get_current(self, token: Any) -> bool:
        return bool(token.pk == self.context.get("current_id"))


class TokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Bearer <token>`. Shown only now: it is not stored."
    )


class MeBrandSerializer(serializers.Serializer):
    slug = serializers.CharField(source="brand.slug")
    name = serializers.CharField(source="brand.name")
    role = serializers.ChoiceField(choices=BrandRole.choices)
    permissions = serializers.SerializerMethodField(
        help_text="What the role may do there (`GET /brands/{brand}/roles` has the table)."
    )

    def get_permissions(self, membership: Any) -> list[str]:
        return sorted(ROLE_PERMISSIONS.get(membership.role, frozenset()))


class MeOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    brands = MeBrandSerializer(many=True)
    buyer_organizations = MeOrganizationSerializer(many=True)

    @staticmethod
    def for_user(user: User) -> dict[str, Any]:
        from linesheet.accounts.selectors import brand_memberships_of, organizations_of

        return {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "brands": list(brand_memberships_of(user=user)),
            "buyer_organizations": list(organizations_of(user=user)),
        }
