"""Request ids: one per request, in every log line it causes, and in the tasks it enqueues.

The id is the proxy's `X-Request-ID` when it looks like one (so the proxy's log and ours
share it), else a new one; the response carries it back. A task enqueued while a request is
served keeps the id in its row (`args_kwargs["request_id"]`), and the worker running the task
puts it back in the context, so the task's log lines carry the id of the request that caused it.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Where the request keeps its id, for the lines Django logs about it after the middleware ran.
META_KEY = "linesheet.request_id"
# What proxies and load balancers send (UUIDs, nginx's 32 hex digits, AWS's Root=1-...): short,
# no spaces or quotes, so it cannot forge or break a log line.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("task_id", default=None)

access_logger = logging.getLogger("linesheet.access")


def request_id_from(header: str | None) -> str:
    """Return the incoming id when it is sane, else a new random one."""
    if header and _SANE.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Name the request, answer with its id, and log one line for it when it is done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = request_id_from(request.headers.get(HEADER))
        request.META[META_KEY] = current
        token = request_id.set(current)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = current
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


class ContextFilter(logging.Filter):
    """Give every log record the request id and task id of the context it was made in."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django's own lines about a request (a 404, a 500) come after the middleware
            # ran, with the request attached.
            meta = getattr(getattr(record, "request", None), "META", None)
            record.request_id = request_id.get() or (meta or {}).get(META_KEY)
        if not hasattr(record, "task_id"):
            record.task_id = task_id.get()
        return True


def remember_request_id(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Keep the current request id in a task row about to be inserted (pre_save)."""
    current = request_id.get()
    if current is not None and not raw and instance._state.adding:
        instance.args_kwargs = {**instance.args_kwargs, "request_id": current}


def task_context_enter(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """Before a task runs in a worker: its id, and the id of the request that enqueued it."""
    db_result = getattr(task_result, "db_result", None)
    stored = db_result.args_kwargs.get("request_id") if db_result is not None else None
    request_id.set(stored if isinstance(stored, str) else None)
    task_id.set(str(task_result.id))


def task_context_leave(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """After a task ran: the worker's own lines carry no task's ids."""
    request_id.set(None)
    task_id.set(None)
