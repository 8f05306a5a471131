"""The accounts migrations keep what counts: failed logins."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from linesheet.accounts.models import FailedAttempt

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def migrate_back() -> Iterator[Callable[[str], Any]]:
    """Return a function that unapplies accounts' migrations after the one named and gives
    that state's models; migrate to the latest after the test."""

    def back(name: str) -> Any:
        target = [("accounts", name)]
        executor = MigrationExecutor(connection)
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    yield back
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_forward() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_failed_logins_go_on_counting_as_failed_attempts_at_the_login(
    migrate_back: Callable[[str], Any],
) -> None:
    old_apps = migrate_back("0004_time_zones")
    failed_at = timezone.now() - datetime.timedelta(minutes=3)
    old_apps.get_model("accounts", "LoginFailure").objects.create(
        email="owner@atelier.test", address="198.51.100.7", failed_at=failed_at
    )

    migrate_forward()

    assert list(FailedAttempt.objects.values_list("door", "subject", "address", "failed_at")) == [
        ("login", "owner@atelier.test", "198.51.100.7", failed_at)
    ]
