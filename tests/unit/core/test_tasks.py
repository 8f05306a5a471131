from __future__ import annotations

import datetime

import pytest

from linesheet.core.tasks import MAX_RETRY_DELAY, retry_delay


def seconds(value: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=value)


def test_the_wait_after_the_first_failure_is_the_base() -> None:
    assert retry_delay(1, base_seconds=30) == seconds(30)


def test_the_wait_doubles_with_each_failed_attempt() -> None:
    waits = [retry_delay(attempt, base_seconds=30) for attempt in range(1, 6)]

    assert waits == [seconds(30), seconds(60), seconds(120), seconds(240), seconds(480)]


def test_the_wait_is_capped_at_six_hours() -> None:
    assert retry_delay(12, base_seconds=30) == MAX_RETRY_DELAY == datetime.timedelta(hours=6)


def test_a_huge_attempt_number_still_gives_the_cap_instead_of_overflowing() -> None:
    assert retry_delay(10_000, base_seconds=30) == MAX_RETRY_DELAY


def test_a_zero_base_retries_at_once() -> None:
    assert retry_delay(5, base_seconds=0) == datetime.timedelta(0)


def test_a_fractional_base_is_kept() -> None:
    assert retry_delay(2, base_seconds=0.25) == seconds(0.5)


@pytest.mark.parametrize("attempt", [0, -1])
def test_attempts_count_from_one(attempt: int) -> None:
    with pytest.raises(ValueError, match="count from 1"):
        retry_delay(attempt, base_seconds=30)


def test_a_negative_base_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        retry_delay(1, base_seconds=-1)
