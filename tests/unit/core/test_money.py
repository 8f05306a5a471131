from __future__ import annotations

from decimal import Decimal

import pytest

from linesheet.core.money import Money, quantize_amount


def test_amounts_round_half_up_to_cents() -> None:
    assert quantize_amount(Decimal("10.005")) == Decimal("10.01")
    assert quantize_amount(Decimal("10.004")) == Decimal("10.00")
    assert quantize_amount(Decimal("-10.005")) == Decimal("-10.01")


def test_rounding_is_commercial_not_bankers() -> None:
    # Banker's rounding would give 0.02 for both; invoices round every half up.
    assert quantize_amount(Decimal("0.025")) == Decimal("0.03")
    assert quantize_amount(Decimal("0.015")) == Decimal("0.02")


def test_money_refuses_a_float_amount() -> None:
    with pytest.raises(TypeError):
        Money(10.5, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize("currency", ["eur", "EURO", "EU", ""])
def test_money_refuses_a_currency_that_is_not_an_iso_code(currency: str) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal("1"), currency)


def test_money_of_one_currency_adds_up() -> None:
    assert Money(Decimal("1.10"), "EUR") + Money(Decimal("2.25"), "EUR") == Money(
        Decimal("3.35"), "EUR"
    )


def test_money_of_two_currencies_does_not_add_up() -> None:
    with pytest.raises(ValueError, match="cannot add DKK to EUR"):
        Money(Decimal("1"), "EUR") + Money(Decimal("1"), "DKK")


def test_multiplying_money_rounds_the_result_to_cents() -> None:
    assert Money(Decimal("19.99"), "EUR") * 3 == Money(Decimal("59.97"), "EUR")
    assert Money(Decimal("10.00"), "EUR") * Decimal("0.3333") == Money(Decimal("3.33"), "EUR")


def test_the_api_form_is_a_decimal_string_with_two_places() -> None:
    assert Money(Decimal("5"), "EUR").as_dict() == {"amount": "5.00", "currency": "EUR"}
    assert Money(Decimal("0.125"), "USD").as_dict() == {"amount": "0.13", "currency": "USD"}


def test_money_is_immutable() -> None:
    money = Money(Decimal("1"), "EUR")
    with pytest.raises(AttributeError):
        money.amount = Decimal("2")  # type: ignore[misc]
