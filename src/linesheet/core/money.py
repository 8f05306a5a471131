"""Money: a Decimal amount with its currency code, never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize_amount(amount: Decimal) -> Decimal:
    """Round to cents, half up (the commercial rounding used on invoices)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money amounts are Decimal, never float")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"currency must be an ISO 4217 code, got {self.currency!r}")

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        return Money(quantize_amount(self.amount * factor), self.currency)

    def as_dict(self) -> dict[str, str]:
        """Return the API form: the amount as a decimal string with its currency."""
        return {"amount": str(quantize_amount(self.amount)), "currency": self.currency}
