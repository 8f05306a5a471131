"""Time zones a person may choose, and their labels."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from linesheet.core.time_zones import (
    time_zone_label,
    time_zone_names,
    validate_time_zone,
)


def test_people_choose_among_the_named_zones_and_utc() -> None:
    names = time_zone_names()

    assert {"UTC", "Europe/Paris", "Asia/Tokyo", "America/Sao_Paulo"} <= set(names)
    assert list(names) == sorted(names)
    assert not any(name.startswith(("Etc/", "SystemV/")) for name in names)


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "europe/paris", "CET", "../etc/passwd"])
def test_a_name_that_is_no_zone_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_time_zone(name)

    assert refused.value.code == "invalid_time_zone"


def test_a_zone_is_labelled_with_its_abbreviation_and_offset_now() -> None:
    assert time_zone_label("UTC") == "UTC (UTC, UTC+00:00)"
    assert time_zone_label("Asia/Kolkata") == "Asia/Kolkata (IST, UTC+05:30)"
