from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linesheet.core.shipping import (
    ShippingBand,
    ShippingRate,
    band_for_net,
    rate_for_country,
    shipping_fee,
)
from linesheet.core.tax import AppliedRate, Rounding, RoundingScope, TaxLine, TaxTotals, tax_totals

D = Decimal
RATES = [
    ShippingRate("DE", (ShippingBand(D("0.00"), D("9.90")), ShippingBand(D("200.00"), D("0.00")))),
    ShippingRate("", (ShippingBand(D("0.00"), D("25.00")), ShippingBand(D("500.00"), D("10.00")))),
]
cents = st.integers(min_value=0, max_value=10_000_000).map(lambda c: D(c) / 100)


def test_a_country_named_by_a_rate_is_charged_that_rate():
    assert shipping_fee(RATES, country="de", net=D("50.00")) == D("9.90")


def test_a_country_no_rate_names_is_charged_the_everywhere_else_rate():
    assert shipping_fee(RATES, country="JP", net=D("50.00")) == D("25.00")
    assert shipping_fee(RATES, country="", net=D("50.00")) == D("25.00")


def test_the_threshold_is_inclusive_and_a_zero_fee_band_ships_free():
    assert shipping_fee(RATES, country="DE", net=D("199.99")) == D("9.90")
    assert shipping_fee(RATES, country="DE", net=D("200.00")) == D("0.00")
    assert shipping_fee(RATES, country="DE", net=D("5000.00")) == D("0.00")


def test_no_fee_without_a_rate_for_the_country_below_every_band_or_for_an_empty_cart():
    only_de = [RATES[0]]
    assert shipping_fee(only_de, country="FR", net=D("50.00")) is None
    assert (
        shipping_fee(
            [ShippingRate("DE", (ShippingBand(D("10.00"), D("5.00")),))],
            country="DE",
            net=D("9.99"),
        )
        is None
    )
    assert shipping_fee(RATES, country="DE", net=D("0.00")) is None


def test_amounts_are_decimal_cents_never_float():
    with pytest.raises(TypeError):
        shipping_fee(RATES, country="DE", net=50.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ShippingBand(D("0.001"), D("1.00"))
    with pytest.raises(ValueError):
        ShippingBand(D("0.00"), D("-1.00"))


@given(
    bands=st.lists(st.tuples(cents, cents), min_size=1, max_size=6, unique_by=lambda b: b[0]),
    net=cents,
)
def test_the_band_chosen_is_the_highest_threshold_at_or_below_the_net(bands, net):
    parsed = [ShippingBand(threshold, fee) for threshold, fee in bands]
    chosen = band_for_net(parsed, net=net)
    at_or_below = [band for band in parsed if band.threshold <= net]
    if not at_or_below:
        assert chosen is None
        return
    assert chosen is not None and chosen.threshold <= net
    assert all(band.threshold <= chosen.threshold for band in at_or_below)
    assert not any(chosen.threshold < band.threshold <= net for band in parsed)


@given(
    bands=st.lists(st.tuples(cents, cents), min_size=1, max_size=6, unique_by=lambda b: b[0]),
    low=cents,
    high=cents,
)
def test_a_larger_net_never_moves_to_a_lower_band(bands, low, high):
    low, high = sorted((low, high))
    parsed = [ShippingBand(threshold, fee) for threshold, fee in bands]
    low_band = band_for_net(parsed, net=low)
    high_band = band_for_net(parsed, net=high)
    if low_band is not None:
        assert high_band is not None and high_band.threshold >= low_band.threshold


@given(country=st.sampled_from(["DE", "FR", "JP", ""]))
def test_a_named_rate_wins_over_everywhere_else(country):
    chosen = rate_for_country(RATES, country=country)
    assert chosen is not None
    assert chosen.country == ("DE" if country == "DE" else "")


VAT = AppliedRate("VAT", D("19"))
REDUCED = AppliedRate("VAT", D("7"), reduced=True)


@pytest.mark.parametrize("scope", list(RoundingScope))
def test_the_fee_is_taxed_as_one_more_line_and_kept_apart_from_the_goods_net(scope):
    totals = tax_totals(
        lines=[TaxLine(D("100.00"), VAT), TaxLine(D("10.00"), REDUCED)],
        currency="EUR",
        rounding=Rounding(scope=scope),
        shipping=TaxLine(D("9.90"), VAT),
    )
    assert totals.net == D("110.00")
    assert totals.shipping == D("9.90")
    assert totals.taxes[0].net == D("109.90")
    assert totals.tax == totals.taxes[0].amount + totals.taxes[1].amount
    assert totals.gross == D("110.00") + D("9.90") + totals.tax
    assert TaxTotals.from_dict(totals.as_dict()) == totals


def test_totals_without_a_fee_keep_their_stored_form():
    totals = tax_totals(lines=[TaxLine(D("1.00"), VAT)], currency="EUR", rounding=Rounding())
    assert "shipping" not in totals.as_dict()
    assert totals.shipping is None and totals.gross == D("1.19")
