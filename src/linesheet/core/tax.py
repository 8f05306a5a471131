"""Tax on a document's lines: net, tax per rate and gross, in exact Decimal.

One computation serves carts, orders, OCs and every document made from them, so their figures
agree to the cent. A line is a net amount (already in cents) with the rate it is taxed at; a
shipping fee is one more line with its own rate, kept apart from the goods' net. The brand
chooses how tax is rounded: the mode (half up, down, up) and where (each line, or once per
rate over the whole document).

Whatever the choice, the figures add up: each rate's tax is the sum of what is rounded at that
rate, the tax is the sum of the rates' taxes and gross is net plus tax, all exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from enum import StrEnum
from typing import Any

from linesheet.core.money import CENT

HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


class RoundingMode(StrEnum):
    HALF_UP = "half_up"
    DOWN = "down"
    UP = "up"


class RoundingScope(StrEnum):
    LINE = "line"
    DOCUMENT = "document"


_DECIMAL_ROUNDING = {
    RoundingMode.HALF_UP: ROUND_HALF_UP,
    # Decimal's DOWN and UP go toward and away from zero, so a credit (a negative line, later)
    # rounds as its mirror image.
    RoundingMode.DOWN: ROUND_DOWN,
    RoundingMode.UP: ROUND_UP,
}


@dataclass(frozen=True, slots=True)
class Rounding:
    """How a brand rounds tax: the mode and whether per line or per document."""

    mode: RoundingMode = RoundingMode.HALF_UP
    scope: RoundingScope = RoundingScope.LINE

    def round(self, amount: Decimal) -> Decimal:
        """Round an exact amount to cents in this mode."""
        return amount.quantize(CENT, rounding=_DECIMAL_ROUNDING[self.mode])


@dataclass(frozen=True, slots=True)
class AppliedRate:
    """A tax rate as applied to a line: its name, the percentage and whether it is reduced."""

    name: str
    rate: Decimal
    reduced: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.rate, Decimal):
            raise TypeError("tax rates are Decimal, never float")
        if self.rate < 0 or self.rate > HUNDRED:
            raise ValueError(f"a tax rate is a percentage from 0 to 100, got {self.rate}")

    @property
    def label(self) -> str:
        return f"{self.name} {percent_label(self.rate)}" if self.name else percent_label(self.rate)

    @property
    def key(self) -> str:
        """Name the rate in one string (a page's scripts match lines to their rate by it)."""
        return f"{self.name}|{_plain(self.rate)}|{'reduced' if self.reduced else 'standard'}"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "rate": str(self.rate), "reduced": self.reduced}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AppliedRate:
        return cls(name=data["name"], rate=Decimal(data["rate"]), reduced=bool(data["reduced"]))


def _plain(rate: Decimal) -> str:
    return format(rate.normalize(), "f") if rate else "0"


def percent_label(rate: Decimal) -> str:
    """Return a percentage as people write it: 19 %, 8.5 % (no trailing zeros)."""
    return f"{_plain(rate)} %"


@dataclass(frozen=True, slots=True)
class TaxLine:
    """What one line adds: its net amount in cents, and its rate (None: outside tax)."""

    net: Decimal
    rate: AppliedRate | None


@dataclass(frozen=True, slots=True)
class RateTotal:
    """One rate's share of a document: the net taxed at it and its tax."""

    rate: AppliedRate
    net: Decimal
    amount: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {**self.rate.as_dict(), "net": str(self.net), "amount": str(self.amount)}


@dataclass(frozen=True, slots=True)
class TaxTotals:
    """A document's net, its tax per rate (highest rate first) and its gross, in one currency.

    `net` is the goods' lines; `shipping` the fee charged (None: none), taxed at
    `shipping_rate` among the rates' taxes. Gross is net plus shipping plus tax.
    """

    currency: str
    net: Decimal
    taxes: tuple[RateTotal, ...]
    rounding: Rounding
    shipping: Decimal | None = None
    shipping_rate: AppliedRate | None = None

    @property
    def tax(self) -> Decimal:
        return sum((total.amount for total in self.taxes), ZERO)

    @property
    def itemized(self) -> bool:
        """Say whether the document shows net, shipping, tax and gross (else one total)."""
        return bool(self.taxes) or self.shipping is not None

    @property
    def gross(self) -> Decimal:
        return self.net + (self.shipping or ZERO) + self.tax

    def as_dict(self) -> dict[str, Any]:
        """Return the stored and API form: every amount a decimal string.

        The shipping keys are there only when a fee is charged, so totals without one read
        as they always did.
        """
        data: dict[str, Any] = {
            "currency": self.currency,
            "net": str(self.net),
            "taxes": [total.as_dict() for total in self.taxes],
            "tax": str(self.tax),
            "gross": str(self.gross),
            "rounding": {"mode": str(self.rounding.mode), "scope": str(self.rounding.scope)},
        }
        if self.shipping is not None:
            data["shipping"] = str(self.shipping)
            data["shipping_rate"] = self.shipping_rate.as_dict() if self.shipping_rate else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TaxTotals:
        """Read back what as_dict wrote (a snapshot kept on an order or OC)."""
        rounding = data.get("rounding") or {}
        shipping = data.get("shipping")
        shipping_rate = data.get("shipping_rate")
        return cls(
            currency=data["currency"],
            net=Decimal(data["net"]),
            taxes=tuple(
                RateTotal(
                    rate=AppliedRate.from_dict(item),
                    net=Decimal(item["net"]),
                    amount=Decimal(item["amount"]),
                )
                for item in data["taxes"]
            ),
            rounding=Rounding(
                mode=RoundingMode(rounding.get("mode", RoundingMode.HALF_UP)),
                scope=RoundingScope(rounding.get("scope", RoundingScope.LINE)),
            ),
            shipping=Decimal(shipping) if shipping is not None else None,
            shipping_rate=AppliedRate.from_dict(shipping_rate) if shipping_rate else None,
        )

    def same_tax_as(self, other: TaxTotals) -> bool:
        """Say whether both documents tax the same rates by the same amounts."""
        return self.currency == other.currency and self.taxes == other.taxes

    def same_shipping_as(self, other: TaxTotals) -> bool:
        """Say whether both documents charge the same shipping fee at the same rate."""
        return (self.shipping, self.shipping_rate) == (other.shipping, other.shipping_rate)


def _checked_net(net: Decimal) -> Decimal:
    if not isinstance(net, Decimal):
        raise TypeError("amounts are Decimal, never float")
    if net != net.quantize(CENT):
        raise ValueError(f"a line's net amount is in cents, got {net}")
    return net


def tax_totals(
    *,
    lines: Iterable[TaxLine],
    currency: str,
    rounding: Rounding,
    shipping: TaxLine | None = None,
) -> TaxTotals:
    """Return the net, the tax per rate and the gross of the lines (and of a shipping fee).

    Per line: each line's tax is rounded, and a rate's tax is the sum of its lines' taxes.
    Per document: a rate's tax is its lines' net summed, taxed, then rounded once.
    The shipping fee is taxed as one more line; its amount is kept apart from the goods' net.
    """
    net = ZERO
    rate_net: dict[AppliedRate, Decimal] = {}
    rate_tax: dict[AppliedRate, Decimal] = {}
    goods = list(lines)
    for index, line in enumerate([*goods, *([shipping] if shipping is not None else [])]):
        amount = _checked_net(line.net)
        if index < len(goods):
            net += amount
        if line.rate is None:
            continue
        rate_net[line.rate] = rate_net.get(line.rate, ZERO) + amount
        if rounding.scope == RoundingScope.LINE:
            tax = rounding.round(amount * line.rate.rate / HUNDRED)
            rate_tax[line.rate] = rate_tax.get(line.rate, ZERO) + tax
    if rounding.scope == RoundingScope.DOCUMENT:
        rate_tax = {
            rate: rounding.round(amount * rate.rate / HUNDRED) for rate, amount in rate_net.items()
        }
    taxes = tuple(
        RateTotal(rate=rate, net=rate_net[rate], amount=rate_tax[rate])
        for rate in sorted(rate_net, key=lambda rate: (-rate.rate, rate.name, rate.reduced))
    )
    return TaxTotals(
        currency=currency,
        net=net,
        taxes=taxes,
        rounding=rounding,
        shipping=shipping.net if shipping is not None else None,
        shipping_rate=shipping.rate if shipping is not None else None,
    )
