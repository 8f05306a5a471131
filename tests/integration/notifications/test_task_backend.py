"""The task backend writes the row django-tasks-db's own backend writes, in one statement."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from linesheet.notifications.task_backend import OutboxTaskBackend
from linesheet.notifications.tasks import email_deliver

pytestmark = pytest.mark.django_db(transaction=True)

# Every column but the two each enqueue makes anew.
COMPARED = [
    f.attname for f in DBTaskResult._meta.concrete_fields if f.name not in ("id", "enqueued_at")
]


def _columns(row: DBTaskResult) -> dict[str, Any]:
    return {name: getattr(row, name) for name in COMPARED}


@pytest.mark.parametrize("run_after", [None, timezone.now() + datetime.timedelta(hours=2)])
def test_the_row_is_the_one_django_tasks_db_writes(
    run_after: datetime.datetime | None, django_assert_num_queries: Any
) -> None:
    task = email_deliver.using(priority=7, run_after=run_after)
    backend = task_backends["default"]
    assert isinstance(backend, OutboxTaskBackend)
    upstream = DatabaseBackend(backend.alias, {})

    before = timezone.now()
    with django_assert_num_queries(1):
        result = task.enqueue(email_id=41)
    expected = DBTaskResult.objects.get(id=upstream.enqueue(task, (), {"email_id": 41}).id)

    written = DBTaskResult.objects.get(id=result.id)
    assert _columns(written) == _columns(expected)
    assert written.task_path == email_deliver.module_path
    assert written.args_kwargs == {"args": [], "kwargs": {"email_id": 41}}
    assert written.enqueued_at >= before
    assert result.status == "READY"
    assert backend.get_result(result.id).id == result.id
