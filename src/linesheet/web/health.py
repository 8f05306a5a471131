"""Health endpoints for load balancers, systemd and monitoring: liveness and readiness.

`/health/live` answers as long as the process serves requests (it touches no database).
`/health/ready` answers 200 when this process can serve the app: the database answers and has
every migration applied; else 503 with a reason (a stable code) for each check that failed.
Both report the task queue too (tasks waiting to run, the oldest's wait), for monitoring: a
backlog does not make a web process unready, since the web answers as well with the workers
behind.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

# Once this process has seen every migration applied, they stay applied: the code that could
# bring new ones comes with a new process.
_migrations_applied = False


def pending_migrations() -> list[str]:
    """Return the migrations the code has and the database lacks, as `app.name`."""
    global _migrations_applied
    if _migrations_applied:
        return []
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    _migrations_applied = not pending
    return pending


def task_backlog() -> dict[str, Any]:
    """Return how many tasks are due and waiting for a worker, and the oldest's wait (one query)."""
    now = timezone.now()
    never = get_date_max()
    due = DBTaskResult.objects.ready()
    found = due.aggregate(
        waiting=Count("id"),
        oldest_undelayed=Min("enqueued_at", filter=Q(run_after=never)),
        oldest_delayed=Min("run_after", filter=~Q(run_after=never)),
    )
    since = [moment for moment in (found["oldest_undelayed"], found["oldest_delayed"]) if moment]
    return {
        "waiting": found["waiting"],
        "oldest_waiting_seconds": round((now - min(since)).total_seconds(), 1) if since else 0,
    }


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    """Answer that the process is up."""
    return JsonResponse({"status": "alive"})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers with every migration applied, else 503 and why."""
    reasons: list[dict[str, Any]] = []
    body: dict[str, Any] = {}
    started = time.monotonic()
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database_ms"] = round((time.monotonic() - started) * 1000, 1)
    except DatabaseError as error:
        # The error may name hosts and users: it goes to the log, its kind to the caller.
        logger.warning("readiness: the database did not answer: %s", error)
        reasons.append({"code": "database_unreachable", "error": type(error).__name__})
    if not reasons:
        try:
            pending = pending_migrations()
            if pending:
                reasons.append({"code": "migrations_pending", "migrations": pending})
            else:
                body["tasks"] = task_backlog()
        except DatabaseError as error:
            logger.warning("readiness: the database failed a check: %s", error)
            reasons.append({"code": "database_error", "error": type(error).__name__})
    if reasons:
        return JsonResponse({"status": "not_ready", "reasons": reasons, **body}, status=503)
    return JsonResponse({"status": "ready", **body})
