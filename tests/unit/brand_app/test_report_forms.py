from __future__ import annotations

import datetime

from linesheet.brand_app.report_forms import AnalyticsForm
from linesheet.reporting.analytics import Dimension

TODAY = datetime.date(2027, 3, 31)


def form(**data: str) -> AnalyticsForm:
    return AnalyticsForm(data or None, today=TODAY)


def test_an_empty_form_shows_products_over_the_last_90_days() -> None:
    unbound = form()

    assert unbound.dimension() == Dimension.PRODUCT
    assert (unbound.period().start, unbound.period().end) == (datetime.date(2027, 1, 1), TODAY)


def test_blank_dates_take_the_defaults_around_the_given_one() -> None:
    only_end = form(by="sku", to="2026-12-31")
    only_start = form(**{"from": "2027-02-01"})

    assert only_end.is_valid() and only_start.is_valid()
    assert only_end.dimension() == Dimension.SKU
    assert only_end.period().start == datetime.date(2026, 10, 3)
    assert (only_start.period().start, only_start.period().end) == (
        datetime.date(2027, 2, 1),
        TODAY,
    )


def test_a_period_ending_before_it_starts_is_an_error_on_the_end() -> None:
    backwards = form(**{"from": "2027-03-10", "to": "2027-03-01"})

    assert not backwards.is_valid()
    assert "to" in backwards.errors


def test_an_unknown_dimension_is_an_error() -> None:
    assert "by" in form(by="colour").errors
