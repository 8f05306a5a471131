"""A brand's shipping groups: a currency, and fee bands per destination country.

Changing a group never changes a placed order or a saved OC: they keep the fee they were
written with. Every refusal is an InvalidInput with a code per field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linesheet.accounts.models import Brand, ShippingGroup, ShippingRate
from linesheet.accounts.taxes import country_checked
from linesheet.core.errors import InvalidInput
from linesheet.core.money import CENT

CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_RATES = 60
MAX_BANDS = 10
MAX_AMOUNT = Decimal("1000000000")


def _amount_checked(value: Any, *, field: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if (
        isinstance(value, float)
        or not amount.is_finite()
        or not (0 <= amount < MAX_AMOUNT)
        or amount != amount.quantize(CENT)
    ):
        raise InvalidInput.field(
            field, "invalid_amount", _("An amount from 0, in cents at most (e.g. 9.90).")
        )
    return amount.quantize(CENT)


def bands_checked(bands: Any, *, field: str) -> list[dict[str, str]]:
    """Return the bands ordered by threshold, amounts as decimal strings; refuse bad ones."""
    if not isinstance(bands, Sequence) or isinstance(bands, str) or not bands:
        raise InvalidInput.field(field, "no_bands", _("A rate needs at least one band."))
    if len(bands) > MAX_BANDS:
        raise InvalidInput.field(
            field, "too_many", _("A rate has at most %(max)s bands.") % {"max": MAX_BANDS}
        )
    result: dict[Decimal, Decimal] = {}
    for index, band in enumerate(bands):
        if not isinstance(band, Mapping) or set(band) - {"from", "fee"}:
            raise InvalidInput.field(
                f"{field}.{index}", "invalid_band", _("A band has a from amount and a fee.")
            )
        threshold = _amount_checked(band.get("from", "0"), field=f"{field}.{index}.from")
        if threshold in result:
            raise InvalidInput.field(
                f"{field}.{index}.from",
                "duplicate_band",
                _("Two bands start at the same amount."),
            )
        result[threshold] = _amount_checked(band.get("fee"), field=f"{field}.{index}.fee")
    return [{"from": str(key), "fee": str(result[key])} for key in sorted(result)]


def rates_checked(rates: Any) -> list[tuple[str, list[dict[str, str]]]]:
    """Return (country, bands) per rate; "" is everywhere else, at most one per country."""
    if not isinstance(rates, Sequence) or isinstance(rates, str):
        raise InvalidInput.field("rates", "invalid", _("Rates are a list."))
    if len(rates) > MAX_RATES:
        raise InvalidInput.field(
            "rates", "too_many", _("A group has at most %(max)s rates.") % {"max": MAX_RATES}
        )
    result: list[tuple[str, list[dict[str, str]]]] = []
    for index, rate in enumerate(rates):
        if not isinstance(rate, Mapping) or set(rate) - {"country", "bands"}:
            raise InvalidInput.field(
                f"rates.{index}", "invalid_rate", _("A rate has a country and its bands.")
            )
        country = country_checked(str(rate.get("country") or ""), field=f"rates.{index}.country")
        if any(country == seen for seen, _bands in result):
            raise InvalidInput.field(
                f"rates.{index}.country",
                "duplicate_country",
                _("A group has one rate per country and one for everywhere else."),
            )
        result.append((country, bands_checked(rate.get("bands"), field=f"rates.{index}.bands")))
    return result


def _group_checked(name: str, currency: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput.field(
            "name", "invalid_name", _("A shipping group needs a name of at most 60 characters.")
        )
    currency = (currency or "").strip().upper()
    if not CURRENCY.match(currency):
        raise InvalidInput.field(
            "currency", "invalid_currency", _("A currency is a three-letter code, e.g. EUR.")
        )
    return name, currency


def shipping_group_create(
    *, brand: Brand, name: str, currency: str, rates: Sequence[Mapping[str, Any]]
) -> ShippingGroup:
    """Add a shipping group with its rates."""
    checked_name, checked_currency = _group_checked(name, currency)
    checked_rates = rates_checked(rates)
    with transaction.atomic():
        group = ShippingGroup.objects.create(
            brand=brand, name=checked_name, currency=checked_currency
        )
        ShippingRate.objects.bulk_create(
            ShippingRate(group=group, country=country, bands=bands)
            for country, bands in checked_rates
        )
    return group


def shipping_group_update(
    *, group: ShippingGroup, name: str, currency: str, rates: Sequence[Mapping[str, Any]]
) -> ShippingGroup:
    """Replace the group's name, currency and rates (placed orders keep their fee)."""
    checked_name, checked_currency = _group_checked(name, currency)
    checked_rates = rates_checked(rates)
    with transaction.atomic():
        ShippingGroup.objects.select_for_update().filter(pk=group.pk).first()
        group.name, group.currency = checked_name, checked_currency
        group.save(update_fields=["name", "currency"])
        group.rates.all().delete()
        ShippingRate.objects.bulk_create(
            ShippingRate(group=group, country=country, bands=bands)
            for country, bands in checked_rates
        )
    return group


def shipping_group_delete(*, group: ShippingGroup) -> None:
    """Delete the group; its catalogs charge no shipping fee from now on."""
    group.delete()
