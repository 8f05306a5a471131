"""Liveness and readiness: what a load balancer, systemd or monitoring asks the web processes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from linesheet.notifications.tasks import email_deliver
from linesheet.web import health


@pytest.fixture(autouse=True)
def migrations_not_yet_seen() -> Iterator[None]:
    """Each test's process has not yet seen the migrations applied."""
    health._migrations_applied = False
    yield
    health._migrations_applied = False


@pytest.mark.django_db
def test_liveness_answers_without_touching_the_database(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_reports_an_idle_queue_when_all_is_well() -> None:
    response = Client().get("/health/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["tasks"] == {"waiting": 0, "oldest_waiting_seconds": 0}
    assert body["database_ms"] >= 0


@pytest.mark.django_db
def test_readiness_counts_the_tasks_due_and_the_wait_of_the_oldest() -> None:
    now = timezone.now()
    email_deliver.enqueue(email_id=1)
    email_deliver.enqueue(email_id=2)
    email_deliver.using(run_after=now - datetime.timedelta(minutes=5)).enqueue(email_id=3)
    email_deliver.using(run_after=now + datetime.timedelta(hours=1)).enqueue(email_id=4)
    DBTaskResult.objects.filter(args_kwargs__kwargs__email_id=1).update(
        enqueued_at=now - datetime.timedelta(minutes=2)
    )
    DBTaskResult.objects.filter(args_kwargs__kwargs__email_id=2).update(status="RUNNING")

    body = Client().get("/health/ready").json()

    # 1 waits 2 minutes, 3 has been due for 5; 2 runs and 4 is not due yet.
    assert body["tasks"]["waiting"] == 2
    assert 300 <= body["tasks"]["oldest_waiting_seconds"] < 360


@pytest.mark.django_db
def test_readiness_is_a_503_naming_the_migrations_the_database_lacks() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'ordering' AND name = "
            "(SELECT MAX(name) FROM django_migrations WHERE app = 'ordering')"
        )

    response = Client().get("/health/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    [reason] = body["reasons"]
    assert reason["code"] == "migrations_pending"
    assert len(reason["migrations"]) == 1
    assert reason["migrations"][0].startswith("ordering.")


def test_health_answers_plain_http_even_where_the_site_is_https_only(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True

    assert Client().get("/health/live").status_code == 200
    assert Client().get("/login/").status_code == 301
