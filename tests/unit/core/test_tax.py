from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linesheet.core.tax import (
    AppliedRate,
    Rounding,
    RoundingMode,
    RoundingScope,
    TaxLine,
    TaxTotals,
    percent_label,
    tax_totals,
)

STANDARD = AppliedRate(name="VAT", rate=Decimal("19"))
REDUCED = AppliedRate(name="VAT", rate=Decimal("7"), reduced=True)
JP_STANDARD = AppliedRate(name="JCT", rate=Decimal("10"))
JP_REDUCED = AppliedRate(name="JCT", rate=Decimal("8"), reduced=True)

rates = st.builds(
    AppliedRate,
    name=st.sampled_from(["VAT", "JCT", "GST", ""]),
    rate=st.decimals(min_value=0, max_value=30, places=3, allow_nan=False, allow_infinity=False),
    reduced=st.booleans(),
)
nets = st.decimals(
    min_value=Decimal("-99999.99"),
    max_value=Decimal("999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
lines = st.lists(
    st.builds(TaxLine, net=nets, rate=st.one_of(st.none(), rates)), min_size=0, max_size=40
)
roundings = st.builds(
    Rounding, mode=st.sampled_from(list(RoundingMode)), scope=st.sampled_from(list(RoundingScope))
)
DECIMAL_MODE = {
    RoundingMode.HALF_UP: ROUND_HALF_UP,
    RoundingMode.DOWN: ROUND_DOWN,
    RoundingMode.UP: ROUND_UP,
}
CENT = Decimal("0.01")


def test_each_line_is_rounded_on_its_own_when_the_brand_rounds_per_line() -> None:
    # 0.10 at 19 % is 0.019: per line, three times 0.02 (half up).
    totals = tax_totals(
        lines=[TaxLine(Decimal("0.10"), STANDARD)] * 3, currency="EUR", rounding=Rounding()
    )

    assert [t.amount for t in totals.taxes] == [Decimal("0.06")]
    assert (totals.net, totals.tax, totals.gross) == (
        Decimal("0.30"),
        Decimal("0.06"),
        Decimal("0.36"),
    )


def test_a_rate_is_rounded_once_over_the_document_when_the_brand_rounds_per_document() -> None:
    # 0.30 at 19 % is 0.057: once, half up.
    totals = tax_totals(
        lines=[TaxLine(Decimal("0.10"), STANDARD)] * 3,
        currency="EUR",
        rounding=Rounding(scope=RoundingScope.DOCUMENT),
    )

    assert totals.tax == Decimal("0.06")
    down = tax_totals(
        lines=[TaxLine(Decimal("0.10"), STANDARD)] * 3,
        currency="EUR",
        rounding=Rounding(mode=RoundingMode.DOWN, scope=RoundingScope.DOCUMENT),
    )
    assert down.tax == Decimal("0.05")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [(RoundingMode.HALF_UP, "0.02"), (RoundingMode.DOWN, "0.01"), (RoundingMode.UP, "0.02")],
)
def test_the_rounding_mode_decides_the_cent(mode: RoundingMode, expected: str) -> None:
    # 0.15 at 10 % is 0.015.
    totals = tax_totals(
        lines=[TaxLine(Decimal("0.15"), JP_STANDARD)], currency="JPY", rounding=Rounding(mode=mode)
    )

    assert totals.tax == Decimal(expected)


def test_japanese_consumption_tax_is_shown_per_rate_highest_first() -> None:
    totals = tax_totals(
        lines=[
            TaxLine(Decimal("1000.00"), JP_REDUCED),
            TaxLine(Decimal("2000.00"), JP_STANDARD),
            TaxLine(Decimal("500.00"), JP_REDUCED),
        ],
        currency="JPY",
        rounding=Rounding(scope=RoundingScope.DOCUMENT),
    )

    assert [(t.rate.label, t.net, t.amount) for t in totals.taxes] == [
        ("JCT 10 %", Decimal("2000.00"), Decimal("200.00")),
        ("JCT 8 %", Decimal("1500.00"), Decimal("120.00")),
    ]
    assert totals.gross == Decimal("3820.00")


def test_a_line_outside_tax_adds_to_net_and_to_no_rate() -> None:
    totals = tax_totals(
        lines=[TaxLine(Decimal("10.00"), None), TaxLine(Decimal("10.00"), REDUCED)],
        currency="EUR",
        rounding=Rounding(),
    )

    assert totals.net == Decimal("20.00")
    assert [t.net for t in totals.taxes] == [Decimal("10.00")]
    assert totals.gross == Decimal("20.70")


def test_a_float_amount_or_rate_is_refused() -> None:
    with pytest.raises(TypeError):
        tax_totals(lines=[TaxLine(1.5, None)], currency="EUR", rounding=Rounding())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AppliedRate(name="VAT", rate=19.0)  # type: ignore[arg-type]


def test_a_net_amount_finer_than_a_cent_is_refused() -> None:
    with pytest.raises(ValueError, match="cents"):
        tax_totals(lines=[TaxLine(Decimal("1.005"), STANDARD)], currency="EUR", rounding=Rounding())


def test_a_rate_outside_zero_to_a_hundred_percent_is_refused() -> None:
    with pytest.raises(ValueError, match="percentage"):
        AppliedRate(name="VAT", rate=Decimal("-1"))


def test_percentages_are_written_without_trailing_zeros() -> None:
    assert percent_label(Decimal("19.000")) == "19 %"
    assert percent_label(Decimal("8.500")) == "8.5 %"
    assert percent_label(Decimal("0.000")) == "0 %"
    assert percent_label(Decimal("100")) == "100 %"


@settings(max_examples=300, deadline=None)
@given(lines=lines, rounding=roundings)
def test_net_tax_per_rate_and_gross_always_agree_to_the_cent(
    lines: list[TaxLine], rounding: Rounding
) -> None:
    totals = tax_totals(lines=lines, currency="EUR", rounding=rounding)

    assert totals.net == sum((line.net for line in lines), Decimal("0"))
    assert totals.gross == totals.net + sum((t.amount for t in totals.taxes), Decimal("0"))
    assert sum((t.net for t in totals.taxes), Decimal("0")) == sum(
        (line.net for line in lines if line.rate is not None), Decimal("0")
    )
    for figure in [totals.net, totals.tax, totals.gross, *(t.amount for t in totals.taxes)]:
        assert isinstance(figure, Decimal)
        assert figure == figure.quantize(CENT)
    assert [t.rate.rate for t in totals.taxes] == sorted(
        (t.rate.rate for t in totals.taxes), reverse=True
    )
    assert len({t.rate for t in totals.taxes}) == len(totals.taxes)


@settings(max_examples=300, deadline=None)
@given(lines=lines, mode=st.sampled_from(list(RoundingMode)))
def test_per_line_and_per_document_rounding_differ_only_as_the_rounding_of_each_rate(
    lines: list[TaxLine], mode: RoundingMode
) -> None:
    per_line = tax_totals(
        lines=lines, currency="EUR", rounding=Rounding(mode=mode, scope=RoundingScope.LINE)
    )
    per_document = tax_totals(
        lines=lines, currency="EUR", rounding=Rounding(mode=mode, scope=RoundingScope.DOCUMENT)
    )

    assert per_line.net == per_document.net
    for line_total, document_total in zip(per_line.taxes, per_document.taxes, strict=True):
        rated = [line for line in lines if line.rate == line_total.rate]
        exact = sum((line.net * line.rate.rate / 100 for line in rated), Decimal("0"))  # type: ignore[union-attr]
        assert line_total.rate == document_total.rate
        assert line_total.net == document_total.net
        # Per document: the exact tax rounded once.
        assert document_total.amount == exact.quantize(CENT, rounding=DECIMAL_MODE[mode])
        # Per line: each line's exact tax rounded, summed.
        assert line_total.amount == sum(
            (
                (line.net * line.rate.rate / 100).quantize(CENT, rounding=DECIMAL_MODE[mode])  # type: ignore[union-attr]
                for line in rated
            ),
            Decimal("0"),
        )
        # Each rounding moves a line by less than a cent, so the two differ by less than a
        # cent per line.
        assert abs(line_total.amount - document_total.amount) < CENT * (len(rated) + 1)


@settings(max_examples=200, deadline=None)
@given(lines=lines, rounding=roundings)
def test_totals_read_back_from_their_stored_form_unchanged(
    lines: list[TaxLine], rounding: Rounding
) -> None:
    totals = tax_totals(lines=lines, currency="EUR", rounding=rounding)

    assert TaxTotals.from_dict(totals.as_dict()) == totals


@settings(max_examples=200, deadline=None)
@given(lines=lines)
def test_rounding_down_never_taxes_more_than_half_up_and_up_never_less(
    lines: list[TaxLine],
) -> None:
    positive = [line for line in lines if line.net >= 0]

    def tax(mode: RoundingMode) -> Decimal:
        return tax_totals(lines=positive, currency="EUR", rounding=Rounding(mode=mode)).tax

    assert tax(RoundingMode.DOWN) <= tax(RoundingMode.HALF_UP) <= tax(RoundingMode.UP)
