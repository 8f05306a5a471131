"""Input and output shapes of a brand's tax rates, tax rounding and legal identity."""

from __future__ import annotations

from rest_framework import serializers

from linesheet.accounts.models import TaxRoundingMode, TaxRoundingScope
from linesheet.api.serializers import StrictSerializer


class BankAccountSerializer(StrictSerializer):
    # "label" is also a Field attribute: the field replaces it on this serializer only.
    label = serializers.CharField(required=False, allow_blank=True, max_length=60)  # type: ignore[assignment]
    iban = serializers.CharField(required=False, allow_blank=True, max_length=40)
    bic = serializers.CharField(required=False, allow_blank=True, max_length=11)
    details = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Free text, for an account without IBAN (or beside it).",
    )


class TaxSettingsSerializer(StrictSerializer):
    """The brand's legal identity, printed on every document, and how it rounds tax."""

    legal_name = serializers.CharField(allow_blank=True, max_length=200)
    legal_address = serializers.CharField(allow_blank=True, max_length=1000)
    tax_id = serializers.CharField(allow_blank=True, max_length=40)
    bank_accounts = BankAccountSerializer(many=True)
    tax_rounding_mode = serializers.ChoiceField(choices=TaxRoundingMode.choices)
    tax_rounding_scope = serializers.ChoiceField(
        choices=TaxRoundingScope.choices,
        help_text="`line`: each line's tax is rounded; `document`: each rate's tax is rounded "
        "once over the document.",
    )


class TaxRateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=60)
    rate = serializers.DecimalField(
        max_digits=6, decimal_places=3, coerce_to_string=True, help_text="Percent, e.g. 19.000."
    )
    reduced = serializers.BooleanField()
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2),
        help_text="ISO 3166-1 alpha-2 codes: buyers there are taxed at this rate.",
    )
    is_default = serializers.BooleanField(
        help_text="The rate of its class for buyers in a country no rate names (one per class)."
    )


class TaxRateInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=60)
    rate = serializers.CharField(
        max_length=12, help_text='Percent as a decimal string, e.g. "19" or "5.5".'
    )
    reduced = serializers.BooleanField(required=False, default=False)
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, default=list, max_length=60
    )
    is_default = serializers.BooleanField(required=False, default=False)


class TaxRateChangeSerializer(StrictSerializer):
    name = serializers.CharField(max_length=60, required=False)
    rate = serializers.CharField(max_length=12, required=False)
    reduced = serializers.BooleanField(required=False)
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, max_length=60
    )
    is_default = serializers.BooleanField(required=False)
