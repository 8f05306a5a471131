"""The task backend: django-tasks-db's, its task row inserted by a statement written once."""

from __future__ import annotations

from typing import Any

from django.db import router
from django.db.models.signals import post_save, pre_save
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult

from linesheet.core.statements import insert


class OutboxTaskBackend(DatabaseBackend):
    """Every order operation that emails enqueues its delivery inside its own transaction.

    django-tasks-db creates the task's row with the ORM, which compiles the same INSERT on each
    call; this backend builds the same row and inserts it with `statements.insert`, sending
    the signals save() sends around it (django-tasks-db sets `run_after` in a pre_save
    receiver). A test holds the row equal to the one django-tasks-db's own backend writes, so
    an upgrade that adds a column or a receiver shows there.
    """

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> DBTaskResult[Any, Any]:
        result: DBTaskResult[Any, Any] = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        using = router.db_for_write(DBTaskResult, instance=result)
        signal = {"sender": DBTaskResult, "instance": result, "raw": False, "using": using}
        pre_save.send(**signal, update_fields=None)
        insert(result, using=using)
        post_save.send(**signal, created=True, update_fields=None)
        return result
