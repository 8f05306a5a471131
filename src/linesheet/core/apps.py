from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "linesheet.core"
    label = "core"

    def ready(self) -> None:
        # Before any URL configuration is read: every route names its converters.
        from linesheet.core.url_converters import register_converters

        register_converters()
        _connect_request_ids()
        # Pillow's bound on pixels, for every image any part of the process opens (WeasyPrint's
        # too), not only once an upload was checked.
        from linesheet.core import images  # noqa: F401


def _connect_request_ids() -> None:
    """Keep a request's id in the tasks it enqueues, and bring it back when a worker runs them."""
    from django.db.models.signals import pre_save
    from django_tasks.signals import task_finished, task_started
    from django_tasks_db.models import DBTaskResult

    from linesheet.core import request_ids

    pre_save.connect(request_ids.remember_request_id, sender=DBTaskResult)
    task_started.connect(request_ids.task_context_enter)
    task_finished.connect(request_ids.task_context_leave)
