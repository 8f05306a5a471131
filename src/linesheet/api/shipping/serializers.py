"""Input and output shapes of a brand's shipping groups: rates per country with fee bands."""

from __future__ import annotations

from rest_framework import serializers

from linesheet.api.serializers import StrictSerializer

# "from" is a Python keyword: the class is built with its fields under their JSON names.
ShippingBandSerializer = type(
    "ShippingBandSerializer",
    (StrictSerializer,),
    {
        "__doc__": "From a net amount of goods (inclusive) the fee is `fee`; 0 ships free.",
        "from": serializers.CharField(
            max_length=20, help_text='The net amount the band starts at, e.g. "200.00".'
        ),
        "fee": serializers.CharField(
            max_length=20, help_text='The fee before tax, e.g. "9.90"; "0" ships free.'
        ),
    },
)


class ShippingRateSerializer(StrictSerializer):
    country = serializers.CharField(
        max_length=2,
        allow_blank=True,
        help_text='ISO 3166-1 alpha-2 code; "" for everywhere else (at most one).',
    )
    bands = ShippingBandSerializer(many=True, help_text="1 to 10 bands, one per amount.")


class ShippingGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=60)
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code, e.g. EUR.")
    rates = ShippingRateSerializer(many=True)


class ShippingGroupInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=60)
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code, e.g. EUR.")
    rates = serializers.ListField(child=ShippingRateSerializer(), max_length=60)


def shipping_group_data(group: object) -> dict[str, object]:
    """Return a group with its rates (prefetched) in the API's form."""
    return {
        "id": group.pk,  # type: ignore[attr-defined]
        "name": group.name,  # type: ignore[attr-defined]
        "currency": group.currency,  # type: ignore[attr-defined]
        "rates": [
            {"country": rate.country, "bands": rate.bands}
            for rate in group.rates.all()  # type: ignore[attr-defined]
        ],
    }
