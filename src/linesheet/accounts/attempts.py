"""Attempt limits at every door where a secret is checked: passwords and order-link passcodes.

A door allows so many failed attempts per subject (the email of a login, the order link of a
passcode) and per client address within its window; past either limit it refuses every attempt
without checking the secret (`TooManyAttempts`: 429 with `Retry-After`), until enough of those
failures are older than the window. An unknown email counts like a known one, so a refusal
tells nothing about who has an account.

Each attempt is counted as failed *before* its secret is checked, and taken back once the check
succeeded: parallel guesses each see the others, so a burst gets no more tries than a sequence.
The count commits at once when no transaction is open; so check a door before opening one whose
rollback (a refusal rolls back) would take the count back with everything else, as the API's
Idempotency-Key does (its test sends every guess with a new key). Rows are shared by every
process and server, and rows past the window are deleted as new attempts come in.
"""

from __future__ import annotations

import datetime
import ipaddress
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from linesheet.accounts.models import AttemptDoor, FailedAttempt
from linesheet.core.errors import DomainError

SUBJECT_MAX_LENGTH = 254


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def _login_message(minutes: int) -> str:
    return ngettext(
        "Too many failed logins for this email or from your network. "
        "Try again in %(minutes)d minute.",
        "Too many failed logins for this email or from your network. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _passcode_message(minutes: int) -> str:
    return ngettext(
        "Too many wrong passcodes for this link or from your network. "
        "Try again in %(minutes)d minute.",
        "Too many wrong passcodes for this link or from your network. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


@dataclass(frozen=True)
class Door:
    """A place where a secret is checked, with the settings that limit its attempts."""

    name: str
    per_subject_setting: str
    per_address_setting: str
    window_setting: str
    message: Callable[[int], str]  # the refusal, given the minutes to wait

    @property
    def per_subject(self) -> int:
        return int(getattr(settings, self.per_subject_setting))

    @property
    def per_address(self) -> int:
        return int(getattr(settings, self.per_address_setting))

    @property
    def window(self) -> datetime.timedelta:
        return datetime.timedelta(seconds=int(getattr(settings, self.window_setting)))


LOGIN = Door(
    name=AttemptDoor.LOGIN,
    per_subject_setting="LOGIN_FAILURES_PER_EMAIL",
    per_address_setting="LOGIN_FAILURES_PER_ADDRESS",
    window_setting="LOGIN_FAILURE_WINDOW_SECONDS",
    message=_login_message,
)
PASSCODE = Door(
    name=AttemptDoor.PASSCODE,
    per_subject_setting="PASSCODE_FAILURES_PER_LINK",
    per_address_setting="PASSCODE_FAILURES_PER_ADDRESS",
    window_setting="PASSCODE_FAILURE_WINDOW_SECONDS",
    message=_passcode_message,
)


def passcode_limits_text() -> str:
    """Say the passcode door's limits to the brand that sets a passcode."""
    minutes = _minutes(int(PASSCODE.window.total_seconds()))
    return ngettext(
        "After %(per_link)d wrong passcodes within %(minutes)d minute (%(per_address)d from one "
        "network), the link refuses every passcode until those failures are %(minutes)d minute "
        "old.",
        "After %(per_link)d wrong passcodes within %(minutes)d minutes (%(per_address)d from "
        "one network), the link refuses every passcode until those failures are %(minutes)d "
        "minutes old.",
        minutes,
    ) % {
        "per_link": PASSCODE.per_subject,
        "per_address": PASSCODE.per_address,
        "minutes": minutes,
    }


class TooManyAttempts(DomainError):
    """An attempt refused unchecked: its subject or its address failed too often lately."""

    status = 429

    def __init__(self, *, door: Door, retry_after: int) -> None:
        self.door = door
        super().__init__("too_many_attempts", retry_after=retry_after)

    @property
    def retry_after(self) -> int:
        return int(self.params["retry_after"])

    @property
    def message(self) -> str:
        return self.door.message(_minutes(self.retry_after))


@dataclass(frozen=True)
class Attempt:
    """An attempt counted as failed until `attempt_succeeded` takes it back."""

    door: Door
    subject: str
    failure_id: int


def normalized_subject(value: str) -> str:
    """Return the subject as counted: trimmed, lower-case, without NUL, at most 254 characters.

    PostgreSQL text cannot hold NUL: the lookup would fail with a server error.
    """
    return value.replace("\x00", "").strip().lower()[:SUBJECT_MAX_LENGTH]


def client_address(request: HttpRequest | Any) -> str | None:
    """Return the client's IP address: from CLIENT_IP_HEADER behind a proxy, else the peer's."""
    header = settings.CLIENT_IP_HEADER
    if header:
        meta_key = "HTTP_" + header.strip().upper().replace("-", "_")
        # X-Forwarded-For: the last entry is the one our own proxy added; earlier ones are
        # whatever the client sent.
        candidate = request.META.get(meta_key, "").split(",")[-1].strip()
    else:
        candidate = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def attempt_start(*, door: Door, subject: str, address: str | None) -> Attempt:
    """Count an attempt at the door as failed, before its secret is checked; refuse it when
    its subject or address is locked (`TooManyAttempts`, and then it counts nothing).

    An empty subject (a request that could not be read) counts against the address only.
    """
    subject = normalized_subject(subject)
    now = timezone.now()
    with transaction.atomic():
        FailedAttempt.objects.filter(door=door.name, failed_at__lte=now - door.window).delete()
        failure = FailedAttempt.objects.create(
            door=door.name, subject=subject, address=address, failed_at=now
        )
    retry_after = _retry_after(door=door, subject=subject, address=address, attempt=failure)
    if retry_after is not None:
        FailedAttempt.objects.filter(pk=failure.pk).delete()
        raise TooManyAttempts(door=door, retry_after=retry_after)
    return Attempt(door=door, subject=subject, failure_id=failure.pk)


def attempt_succeeded(attempt: Attempt, *, forget_subject: bool = False) -> None:
    """Take the attempt's failure back; with `forget_subject`, every failure of its subject.

    A login that succeeds forgets its email's failures (not its address's); a right passcode
    forgets only itself, so one buyer's success does not hand a guesser a fresh count.
    """
    failures = FailedAttempt.objects.filter(door=attempt.door.name)
    if forget_subject:
        failures.filter(subject=attempt.subject).delete()
    else:
        failures.filter(pk=attempt.failure_id).delete()


def _retry_after(
    *, door: Door, subject: str, address: str | None, attempt: FailedAttempt
) -> int | None:
    """Return the seconds until the door takes attempts of the subject and address again,
    judging every other failure counted; None when it takes them now.

    Every other one, not only those inserted before: ids are not committed in their order, so
    two parallel attempts could each see only the one with the lower id. Of parallel attempts
    let through, the last to count saw all the others, so no more than the limit get through.
    """
    since = attempt.failed_at - door.window
    limits: list[tuple[dict[str, str], int]] = []
    if subject:
        limits.append(({"subject": subject}, door.per_subject))
    if address:
        limits.append(({"address": address}, door.per_address))
    until = None
    for lookup, limit in limits:
        # The limit-th most recent failure in the window: the lock lifts when it leaves it.
        nth = (
            FailedAttempt.objects.filter(door=door.name, **lookup, failed_at__gt=since)
            .exclude(pk=attempt.pk)
            .order_by("-failed_at", "-pk")
            .values_list("failed_at", flat=True)[limit - 1 : limit]
            .first()
        )
        if nth is not None:
            ends = nth + door.window
            until = ends if until is None else max(until, ends)
    if until is None:
        return None
    return max(1, math.ceil((until - attempt.failed_at).total_seconds()))


def failed_attempts_clear_expired() -> int:
    """Delete the failures that count no more at any door (older than its window); return how
    many. Attempts delete their own door's as they come; this clears doors nobody tries."""
    now = timezone.now()
    deleted = 0
    for door in (LOGIN, PASSCODE):
        count, _ = FailedAttempt.objects.filter(
            door=door.name, failed_at__lte=now - door.window
        ).delete()
        deleted += count
    return deleted
