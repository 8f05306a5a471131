"""The shipping fee of a cart or order: pure, no database, exact Decimal.

A brand's shipping group (one currency) keeps a rate per destination country, and at most one
for "everywhere else" (country ""). A rate is a list of amount bands: from a net amount of
goods (the threshold, inclusive) the fee is the band's. The band that applies is the one with
the highest threshold at or below the net; a band whose fee is 0 is free shipping from its
threshold. A net below every threshold, a country no rate names (and no "everywhere else"
rate), or a cart with nothing in it charges no fee (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from linesheet.core.money import CENT


@dataclass(frozen=True, slots=True)
class ShippingBand:
    """From a net amount of goods (inclusive) the fee is `fee`; a fee of 0 ships free."""

    threshold: Decimal
    fee: Decimal

    def __post_init__(self) -> None:
        for amount in (self.threshold, self.fee):
            if not isinstance(amount, Decimal):
                raise TypeError("amounts are Decimal, never float")
            if amount < 0 or amount != amount.quantize(CENT):
                raise ValueError(f"a band's amounts are cents from 0, got {amount}")


@dataclass(frozen=True, slots=True)
class ShippingRate:
    """A destination (ISO 3166-1 alpha-2, upper case; "" for everywhere else) and its bands."""

    country: str
    bands: tuple[ShippingBand, ...]


def rate_for_country(rates: Iterable[ShippingRate], *, country: str) -> ShippingRate | None:
    """Return the rate naming `country`, else the "everywhere else" rate, else None."""
    rates = list(rates)
    country = (country or "").upper()
    named = next((rate for rate in rates if country and rate.country == country), None)
    return named or next((rate for rate in rates if not rate.country), None)


def band_for_net(bands: Iterable[ShippingBand], *, net: Decimal) -> ShippingBand | None:
    """Return the band with the highest threshold at or below `net` (None: below them all)."""
    applying = [band for band in bands if band.threshold <= net]
    return max(applying, key=lambda band: band.threshold) if applying else None


def shipping_fee(rates: Iterable[ShippingRate], *, country: str, net: Decimal) -> Decimal | None:
    """Return the fee for goods worth `net` shipped to `country`, or None (no fee charged)."""
    if not isinstance(net, Decimal):
        raise TypeError("amounts are Decimal, never float")
    if net <= 0:
        return None
    rate = rate_for_country(rates, country=country)
    band = band_for_net(rate.bands, net=net) if rate is not None else None
    return band.fee if band is not None else None
