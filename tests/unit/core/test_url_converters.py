"""The URL converters: ids within a bigint, order codes of every shape that was ever issued."""

from __future__ import annotations

import re

import pytest

from linesheet.core.url_converters import MAX_ID, IdConverter, OrderCodeConverter, id_of


@pytest.mark.parametrize(
    ("text", "found"),
    [("1", 1), ("007", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("9" * 20, None)],
)
def test_an_id_is_one_to_19_digits_within_a_bigint(text: str, found: int | None) -> None:
    assert id_of(text) == found


@pytest.mark.parametrize("text", ["", "-1", "1.0", " 1", "\u00b2", "\u0661", "1\x00"])
def test_anything_else_is_no_id(text: str) -> None:
    assert id_of(text) is None


def test_an_id_past_a_bigint_matches_no_route() -> None:
    with pytest.raises(ValueError):
        IdConverter().to_python(str(MAX_ID + 1))


@pytest.mark.parametrize(
    ("code", "written"),
    [
        ("AT-000042", "AT-000042"),
        ("NL/000009", "NL/000009"),
        ("../000009", "..~/000009"),
        ("2027./AT/./0001//X", "2027./AT/.~/0001//X"),
        ("...", "...~"),
    ],
)
def test_a_code_is_written_into_a_url_so_that_reading_it_gives_it_back(
    code: str, written: str
) -> None:
    converter = OrderCodeConverter()

    assert converter.to_url(code) == written
    assert re.fullmatch(converter.regex, written)
    assert converter.to_python(written) == code
    assert converter.to_python(code) == code  # sent as is (an API client), too


@pytest.mark.parametrize("text", ["a\x00b", "a b", "é", "a" * 81, ""])
def test_a_code_no_rule_could_issue_matches_no_route(text: str) -> None:
    assert not re.fullmatch(OrderCodeConverter.regex, text)
