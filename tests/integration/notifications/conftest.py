"""Fixtures for the email delivery tests: a clock to move, a port nobody listens on."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from linesheet.accounts.models import Invitation
from linesheet.accounts.services import invitation_create
from tests.smtp_inbox import free_loopback_port


@dataclass
class Clock:
    """How far the code under test sees time moved ahead of the real clock."""

    offset: datetime.timedelta = datetime.timedelta(0)

    def advance(self, **delta: float) -> None:
        self.offset += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Move `timezone.now()` forward at will, for the worker and the retry schedule alike."""
    real_now = timezone.now
    moved = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + moved.offset)
    return moved


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening: connecting is refused at once."""
    return free_loopback_port()


@pytest.fixture
def smtp_down(settings: Any, smtp_server: Any, closed_port: int) -> Iterator[Callable[[], None]]:
    """Point email at the closed port; call the returned function to bring SMTP back."""
    settings.EMAIL_PORT = closed_port

    def bring_back() -> None:
        settings.EMAIL_PORT = smtp_server.port

    yield bring_back


@pytest.fixture
def invite(brand: Any, owner: Any) -> Callable[..., Invitation]:
    """Invite an address to the brand through the real service, which queues the email."""

    def make(email: str = "shop@example.test") -> Invitation:
        return invitation_create(brand=brand, email=email, created_by=owner, name="Shop")

    return make
