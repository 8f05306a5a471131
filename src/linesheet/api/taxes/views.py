"""A brand's tax settings (legal identity, rounding) and tax rates."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.models import Brand, TaxRate
from linesheet.accounts.permissions import Permission
from linesheet.accounts.taxes import (
    brand_set_tax_identity,
    tax_rate_create,
    tax_rate_delete,
    tax_rate_update,
)
from linesheet.api.base import parsed
from linesheet.api.idempotency import idempotent
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.taxes.serializers import (
    TaxRateChangeSerializer,
    TaxRateInputSerializer,
    TaxRateSerializer,
    TaxSettingsSerializer,
)
from linesheet.api.tenancy import BrandScopedMixin

TAGS = ["brand: tax"]
READ_PROBLEMS = (401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 415, 422)


def _settings(brand: Brand) -> dict[str, Any]:
    return {
        "legal_name": brand.legal_name,
        "legal_address": brand.legal_address,
        "tax_id": brand.tax_id,
        "bank_accounts": brand.bank_accounts,
        "tax_rounding_mode": brand.tax_rounding_mode,
        "tax_rounding_scope": brand.tax_rounding_scope,
    }


class TaxSettingsView(BrandScopedMixin, APIView):
    """The brand's legal identity (printed on its documents) and how it rounds tax."""

    write_permission = Permission.SETTINGS_MANAGE
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Get the brand's legal identity and tax rounding",
        responses=responses({200: TaxSettingsSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        return Response(_settings(self.brand))

    @extend_schema(
        tags=TAGS,
        summary="Set the brand's legal identity and tax rounding",
        description=(
            "Every field at once. Placed orders and saved OCs keep the rounding they were "
            "computed with. 400 `invalid` with `invalid_iban`, `invalid_bic`, `empty` (an "
            "account with neither IBAN nor details) or `too_many` (more than 5 accounts)."
        ),
        request=TaxSettingsSerializer,
        responses=responses({200: TaxSettingsSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def put(self, request: Request, brand: str) -> Response:
        data = parsed(TaxSettingsSerializer, request)
        return Response(_settings(brand_set_tax_identity(brand=self.brand, **data)))


class TaxRateListView(BrandScopedMixin, APIView):
    """The brand's tax rates, highest first; POST adds one."""

    write_permission = Permission.SETTINGS_MANAGE
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="List the brand's tax rates",
        description=(
            "A product is taxed at the rate of its class (standard or reduced) that names the "
            "buyer's country, else at the class's default rate; a class without a rate there "
            "takes the standard one."
        ),
        responses=responses({200: TaxRateSerializer(many=True)}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        rates = TaxRate.objects.filter(brand=self.brand)
        return Response(TaxRateSerializer(rates, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add a tax rate",
        description=(
            "A new default takes over from the class's default before it. 400 `invalid` with "
            "`invalid_rate`, `invalid_country` or `invalid_name`."
        ),
        request=TaxRateInputSerializer,
        responses=responses({201: TaxRateSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        data = parsed(TaxRateInputSerializer, request)
        created = tax_rate_create(brand=self.brand, **data)
        return Response(TaxRateSerializer(created).data, status=status.HTTP_201_CREATED)


class TaxRateDetailView(BrandScopedMixin, APIView):
    write_permission = Permission.SETTINGS_MANAGE
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Change a tax rate",
        description="Placed orders and saved OCs keep the rate they were written with.",
        request=TaxRateChangeSerializer,
        responses=responses({200: TaxRateSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def patch(self, request: Request, brand: str, rate_id: int) -> Response:
        data = parsed(TaxRateChangeSerializer, request)
        try:
            changed = tax_rate_update(brand=self.brand, rate_id=rate_id, **data)
        except TaxRate.DoesNotExist as missing:
            raise NotFound() from missing
        return Response(TaxRateSerializer(changed).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove a tax rate",
        description="Placed orders and saved OCs keep the rate they were written with.",
        responses=responses({204: None}, 400, 401, 403, 404, 422),
    )
    @idempotent
    def delete(self, request: Request, brand: str, rate_id: int) -> Response:
        try:
            tax_rate_delete(brand=self.brand, rate_id=rate_id)
        except TaxRate.DoesNotExist as missing:
            raise NotFound() from missing
        return Response(status=status.HTTP_204_NO_CONTENT)
