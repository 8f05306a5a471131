"""Serializer bases shared by every endpoint."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.utils.datastructures import MultiValueDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linesheet.core.money import Money
from linesheet.core.tax import TaxTotals

# The JSON type each kind of field takes, first match wins. A JSON body says what it means:
# "3" for a quantity, 12 for an address or "yes" for a flag is the client's mistake, to refuse
# rather than guess at. Form and multipart bodies carry only text and keep DRF's reading.
JSON_TYPES: tuple[tuple[type[serializers.Field], type | tuple[type, ...], str], ...] = (
    (serializers.BooleanField, bool, "true or false"),
    (serializers.IntegerField, int, "a whole number"),
    (serializers.CharField, str, "a string"),
)


def _json_type_errors(
    fields: dict[str, serializers.Field], data: dict[str, Any]
) -> dict[str, list[serializers.ErrorDetail]]:
    errors = {}
    for name, field in fields.items():
        value = data.get(name)
        if field.read_only or value is None:  # absent, or null: DRF's own rules apply
            continue
        # A list of plain values holds each item to the child's type ("tags": [2033] is not
        # the tag "2033"); a list of objects is checked by its child serializer.
        items = isinstance(field, serializers.ListField) and isinstance(value, list)
        kind_of = field.child if isinstance(field, serializers.ListField) and items else field
        for kind, json_type, wanted in JSON_TYPES:
            if isinstance(kind_of, kind):
                if any(_wrong_json_type(item, json_type) for item in (value if items else [value])):
                    message = f"Give each item as {wanted}." if items else f"Give {wanted}."
                    errors[name] = [serializers.ErrorDetail(message, code="invalid")]
                break
    return errors


def _wrong_json_type(value: Any, json_type: type | tuple[type, ...]) -> bool:
    return not isinstance(value, json_type) or (json_type is int and isinstance(value, bool))


# What a database integer holds (a bigint): an input integer field takes no more, so a value
# past it is a 400 here instead of an overflow in the database driver (a 500).
BIGINT_RANGE = (-(2**63), 2**63 - 1)


def _bounded(field: serializers.IntegerField) -> serializers.IntegerField:
    """Return the field with the bigint range as its bounds where it declares none."""
    low, high = BIGINT_RANGE
    kwargs = dict(field._kwargs)  # type: ignore[attr-defined]
    if field.max_value is None:
        kwargs["max_value"] = high
    if field.min_value is None:
        kwargs["min_value"] = low
    if kwargs == field._kwargs:  # type: ignore[attr-defined]
        return field
    return type(field)(*field._args, **kwargs)  # type: ignore[attr-defined]


class StrictSerializer(serializers.Serializer):
    """Refuse fields the endpoint does not know, instead of silently dropping them, and JSON
    values of the wrong type, instead of converting them. Integer fields take no more than
    the database's integers hold (BIGINT_RANGE)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls._declared_fields  # type: ignore[attr-defined]
        for name, field in declared.items():
            if isinstance(field, serializers.IntegerField):
                declared[name] = _bounded(field)

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
        wrong_types = (
            _json_type_errors(dict(self.fields), data)
            if isinstance(data, dict) and not isinstance(data, MultiValueDict)  # JSON, not a form
            else {}
        )
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if wrong_types and isinstance(exc.detail, dict):  # every field's problem at once
                raise serializers.ValidationError({**exc.detail, **wrong_types}) from exc
            raise
        if wrong_types:
            raise serializers.ValidationError(wrong_types)
        return value


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


class QueryParamsSerializer(StrictSerializer):
    """A list endpoint's query parameters: flat fields, read on every request.

    DRF deep-copies a serializer's declared fields for each instance, so that an instance may
    change its fields without touching the class's; rebuilding them (every ChoiceField's
    choices among them) cost more than the rest of reading the parameters. These serializers
    never change their fields: each instance gets shallow copies, bound to it alone.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        nested = [
            name
            for name, field in cls._declared_fields.items()  # type: ignore[attr-defined]
            if isinstance(field, serializers.BaseSerializer)
        ]
        assert not nested, f"{cls.__name__}: query parameters are flat, not {nested}"

    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    currency = serializers.CharField()


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BrandRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


CURRENCY_PATTERN = r"^[A-Z]{3}$"
MIN_WHOLESALE_RATE = Decimal("0.0001")
MAX_WHOLESALE_RATE = Decimal("1")


def currency_field(**kwargs: Any) -> serializers.RegexField:
    kwargs.setdefault("help_text", "ISO 4217 code, e.g. EUR.")
    return serializers.RegexField(CURRENCY_PATTERN, max_length=3, **kwargs)


def wholesale_rate_field(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=MIN_WHOLESALE_RATE,
        max_value=MAX_WHOLESALE_RATE,
        **{"help_text": "Share of the retail price the buyer pays, e.g. 0.5000.", **kwargs},
    )


class TaxAmountSerializer(serializers.Serializer):
    """One rate's tax on a document: the rate, the net taxed at it and the tax."""

    name = serializers.CharField(help_text="The rate's name, e.g. VAT.")
    rate = serializers.DecimalField(
        max_digits=6, decimal_places=3, coerce_to_string=True, help_text="Percent."
    )
    reduced = serializers.BooleanField()
    display = serializers.CharField(help_text="Name and percentage as documents print them.")
    net = MoneySerializer()
    amount = MoneySerializer()


class TaxRoundingSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["half_up", "down", "up"])
    scope = serializers.ChoiceField(choices=["line", "document"])


class TaxTotalsFields(serializers.Serializer):
    """Net, tax per rate (highest rate first), the tax and gross of a cart, order or OC.

    Each rate's tax, the tax and gross agree to the cent (gross = net + shipping + the rates'
    taxes; the shipping fee is taxed as one more line at its own rate),
    rounded as the brand rounds tax (`tax_rounding`). Subclasses say where the totals are.
    """

    net = serializers.SerializerMethodField(help_text="The lines' amounts before tax.")
    shipping = serializers.SerializerMethodField(
        help_text="The shipping fee charged before tax (0: free; null: no fee)."
    )
    shipping_tax_rate = serializers.SerializerMethodField(
        help_text="The percentage the shipping fee is taxed at (null: no fee or untaxed)."
    )
    tax = serializers.SerializerMethodField(
        help_text="The tax per rate, highest rate first; the shipping fee's tax is in its rate."
    )
    tax_total = serializers.SerializerMethodField(help_text="The sum of the rates' taxes.")
    gross = serializers.SerializerMethodField(help_text="Net plus shipping plus tax.")
    tax_rounding = serializers.SerializerMethodField()

    def tax_totals_of(self, instance: Any) -> TaxTotals:
        raise NotImplementedError

    def _tax(self, instance: Any) -> dict[str, Any]:
        return tax_totals_data(self.tax_totals_of(instance))

    @extend_schema_field(MoneySerializer)
    def get_net(self, instance: Any) -> dict[str, str]:
        return self._tax(instance)["net"]

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_shipping(self, instance: Any) -> dict[str, str] | None:
        return self._tax(instance)["shipping"]

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=6, decimal_places=3, coerce_to_string=True, allow_null=True
        )
    )
    def get_shipping_tax_rate(self, instance: Any) -> str | None:
        return self._tax(instance)["shipping_tax_rate"]

    @extend_schema_field(TaxAmountSerializer(many=True))
    def get_tax(self, instance: Any) -> list[dict[str, Any]]:
        return self._tax(instance)["tax"]

    @extend_schema_field(MoneySerializer)
    def get_tax_total(self, instance: Any) -> dict[str, str]:
        return self._tax(instance)["tax_total"]

    @extend_schema_field(MoneySerializer)
    def get_gross(self, instance: Any) -> dict[str, str]:
        return self._tax(instance)["gross"]

    @extend_schema_field(TaxRoundingSerializer)
    def get_tax_rounding(self, instance: Any) -> dict[str, str]:
        return self._tax(instance)["tax_rounding"]


def tax_totals_data(totals: TaxTotals) -> dict[str, Any]:
    """Return net, tax per rate and gross, each amount a decimal string with its currency."""

    def money(amount: Decimal) -> dict[str, str]:
        return Money(amount, totals.currency).as_dict()

    return {
        "net": money(totals.net),
        "tax": [
            {
                "name": item.rate.name,
                "rate": str(item.rate.rate),
                "reduced": item.rate.reduced,
                "display": item.rate.label,
                "net": money(item.net),
                "amount": money(item.amount),
            }
            for item in totals.taxes
        ],
        "shipping": money(totals.shipping) if totals.shipping is not None else None,
        "shipping_tax_rate": (
            str(totals.shipping_rate.rate) if totals.shipping_rate is not None else None
        ),
        "tax_total": money(totals.tax),
        "gross": money(totals.gross),
        "tax_rounding": {
            "mode": str(totals.rounding.mode),
            "scope": str(totals.rounding.scope),
        },
    }
