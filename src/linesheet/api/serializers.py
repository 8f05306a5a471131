"""Serializer bases shared by every endpoint."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from linesheet.accounts.models import User


class StrictSerializer(serializers.Serializer):
    """Refuse fields the endpoint does not know, instead of silently dropping them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [serializers.ErrorDetail("Unknown field.", code="unknown_field")]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    currency = serializers.CharField()


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BrandRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class TokenRequestSerializer(StrictSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, max_length=200)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeBrandSerializer(serializers.Serializer):
    slug = serializers.CharField(source="brand.slug")
    name = serializers.CharField(source="brand.name")
    role = serializers.CharField()


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
