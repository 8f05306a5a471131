from __future__ import annotations

from decimal import Decimal

import pytest

from linesheet.catalog.pricing import wholesale_price


@pytest.mark.parametrize(
    ("retail_price", "wholesale_rate", "expected"),
    [
        ("100.00", "0.5000", "50.00"),
        ("129.00", "0.4500", "58.05"),
        ("19.99", "0.5000", "10.00"),  # 9.995 rounds half up
        ("0.01", "0.5000", "0.01"),
        ("0.00", "0.5000", "0.00"),
        ("99.99", "1", "99.99"),
        ("33.33", "0.3333", "11.11"),
    ],
)
def test_the_wholesale_price_is_retail_times_rate_rounded_half_up_to_cents(
    retail_price: str, wholesale_rate: str, expected: str
) -> None:
    price = wholesale_price(
        retail_price=Decimal(retail_price), wholesale_rate=Decimal(wholesale_rate)
    )

    assert price == Decimal(expected)
    assert price.as_tuple().exponent == -2


def test_the_wholesale_price_stays_decimal() -> None:
    price = wholesale_price(retail_price=Decimal("10"), wholesale_rate=Decimal("0.5"))

    assert isinstance(price, Decimal)
