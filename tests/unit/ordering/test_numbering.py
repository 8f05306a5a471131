from __future__ import annotations

import datetime

import pytest

from linesheet.ordering.models import OrderNumbering
from linesheet.ordering.numbering import affix_problem, order_code_format

DAY = datetime.date(2027, 3, 9)


def test_the_default_rule_is_a_six_digit_sequence() -> None:
    assert order_code_format(numbering=OrderNumbering(), value=42, today=DAY) == "000042"


def test_date_prefix_fixed_prefix_width_and_suffix_compose_in_that_order() -> None:
    rule = OrderNumbering(date_format="%Y%m", prefix="AT-", width=4, suffix="-W")
    assert order_code_format(numbering=rule, value=7, today=DAY) == "202703AT-0007-W"


def test_a_sequence_longer_than_the_width_is_not_truncated() -> None:
    rule = OrderNumbering(width=2)
    assert order_code_format(numbering=rule, value=1234, today=DAY) == "1234"


@pytest.mark.parametrize("affix", ["", "AT-", "NL_2027.", "a.b.c", "-", "X" * 12])
def test_letters_digits_hyphens_underscores_and_single_dots_make_an_affix(affix: str) -> None:
    assert affix_problem(affix) is None


@pytest.mark.parametrize(
    ("affix", "code"),
    [
        ("NL/", "invalid_characters"),
        ("../", "invalid_characters"),
        ("..", "invalid_characters"),
        ("A..B", "invalid_characters"),
        ("A B", "invalid_characters"),
        ("é", "invalid_characters"),
        ("A\x00", "invalid_characters"),
        ("X" * 13, "max_length"),
    ],
)
def test_an_affix_outside_the_code_alphabet_is_refused_with_its_code(affix: str, code: str) -> None:
    problem = affix_problem(affix)

    assert problem is not None
    assert problem["code"] == code
