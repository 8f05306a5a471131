"""Request ids: answered, logged with each line a request causes, and carried into its tasks."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from linesheet.core.logs import JsonFormatter
from tests.integration.api.conftest import client_for
from tests.smtp_inbox import free_loopback_port

LogLines = Callable[[], list[dict[str, Any]]]
NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines() -> Iterator[LogLines]:
    """Read the JSON lines the configured console handler wrote so far in the test."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler) and handler.get_name() == "console"
    ]
    stream = io.StringIO()
    previous_stream = handler.setStream(stream)
    previous_formatter = handler.formatter
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous_level = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.setLevel(previous_level)
        handler.setFormatter(previous_formatter)
        handler.setStream(previous_stream)


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one_in_its_answer() -> None:
    first = Client().get("/login/")
    second = Client().get("/login/")

    assert NEW_ID.fullmatch(first["X-Request-ID"])
    assert NEW_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_the_proxys_id_is_kept_when_it_looks_like_one() -> None:
    for sent in ["7f1c9a40-2b1d-4f5e-9c3a-0d8e6b2a1f00", "Root=1-5759e988-bd862e3fe1be46a9"]:
        assert Client().get("/login/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sent",
    ["", "has space", 'quote"d', "line\nbreak", "x" * 129, "-leading-dash", "ünïcode", "{json}"],
)
def test_an_id_that_could_forge_or_break_a_log_line_is_replaced(sent: str) -> None:
    answered = Client().get("/login/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]

    assert NEW_ID.fullmatch(answered)


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_its_id(log_lines: LogLines) -> None:
    response = Client().get("/login/", HTTP_X_REQUEST_ID="req-1")
    missing = Client().get("/no-such-page/", HTTP_X_REQUEST_ID="req-2")

    assert (response.status_code, missing.status_code) == (200, 404)
    lines = log_lines()
    access = [line for line in lines if line["logger"] == "linesheet.access"]
    assert [(line["request_id"], line["path"], line["status"]) for line in access] == [
        ("req-1", "/login/", 200),
        ("req-2", "/no-such-page/", 404),
    ]
    assert access[0]["method"] == "GET"
    assert access[0]["duration_ms"] >= 0
    # Django's own warning about the 404 is a line of that request too.
    [warning] = [line for line in lines if line["logger"] == "django.request"]
    assert warning["request_id"] == "req-2"
    assert warning["level"] == "WARNING"


@pytest.mark.django_db
def test_a_task_logs_with_the_id_of_the_request_that_enqueued_it(
    brand: Any, owner: Any, run_worker: Any, settings: Any, log_lines: LogLines
) -> None:
    # No mail server answers: the delivery task logs its failed attempt.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_loopback_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    response = client_for(owner).post(
        "/api/v1/brands/atelier/invitations",
        {"email": "shop@example.test"},
        format="json",
        HTTP_X_REQUEST_ID="invite-42",
    )
    assert response.status_code == 201
    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["request_id"] == "invite-42"

    run_worker()

    failed = [line for line in log_lines() if line["logger"] == "linesheet.notifications.tasks"]
    assert failed
    assert {(line["request_id"], line["task_id"]) for line in failed} == {
        ("invite-42", str(task.pk))
    }
    # The retry it scheduled keeps the id of the request that started it all.
    [retry] = DBTaskResult.objects.exclude(pk=task.pk)
    assert retry.args_kwargs["request_id"] == "invite-42"
    assert retry.args_kwargs["kwargs"]["attempt"] == 2


@pytest.mark.django_db
def test_a_task_enqueued_outside_a_request_carries_no_request_id(brand: Any, owner: Any) -> None:
    from linesheet.accounts.services import invitation_create

    invitation_create(brand=brand, email="shop@example.test", created_by=owner, name="Shop")

    [task] = DBTaskResult.objects.all()
    assert "request_id" not in task.args_kwargs
