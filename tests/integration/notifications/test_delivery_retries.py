"""Retry and recovery of email delivery, with the real worker and a real SMTP server."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.notifications.services import email_retry_now
from linesheet.notifications.tasks import email_deliver, email_message_id
from tests.integration.notifications.conftest import Clock
from tests.smtp_inbox import RefusingInbox, free_loopback_port

pytestmark = pytest.mark.django_db


def tasks_in_order() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at", "id"))


def test_when_smtp_is_down_the_attempt_fails_and_a_retry_waits_for_its_backoff(
    invite: Callable[..., Any], smtp_down: Any, run_worker: Any, settings: Any
) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 30
    invite()

    run_worker()

    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.PENDING
    assert email.attempts == 1
    assert email.last_error.startswith("ConnectionRefusedError")
    first, retry = tasks_in_order()
    assert first.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in first.traceback  # what support reads in the task admin
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["kwargs"] == {"email_id": email.pk, "attempt": 2}
    wait = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=25) < wait <= datetime.timedelta(seconds=30)
    assert email.next_attempt_at == retry.run_after
    assert email.delivery_task_id == str(retry.id)

    run_worker()  # the retry is not due yet: nothing runs

    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.READY


def test_when_smtp_is_back_and_the_wait_has_passed_the_worker_sends_it_exactly_once(
    invite: Callable[..., Any],
    smtp_server: Any,
    smtp_down: Callable[[], None],
    run_worker: Any,
    settings: Any,
    clock: Clock,
) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 30
    invite()
    run_worker()
    bring_smtp_back = smtp_down
    bring_smtp_back()

    run_worker()
    assert smtp_server.messages == []  # back, but the retry waits for its time

    clock.advance(seconds=31)
    run_worker()
    run_worker()

    assert len(smtp_server.messages) == 1
    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 2
    assert email.last_error == ""
    assert [task.status for task in tasks_in_order()] == [
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]


def test_the_wait_between_attempts_doubles(
    invite: Callable[..., Any], smtp_down: Any, run_worker: Any, settings: Any, clock: Clock
) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 30
    invite()

    run_worker()
    clock.advance(seconds=31)
    run_worker()

    email = OutboundEmail.objects.get()
    assert email.attempts == 2
    assert email.next_attempt_at is not None
    wait = email.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=55) < wait <= datetime.timedelta(seconds=60)


def test_after_the_last_attempt_the_email_is_failed_and_nothing_more_is_queued(
    invite: Callable[..., Any], smtp_down: Any, run_worker: Any, settings: Any
) -> None:
    settings.TASK_MAX_ATTEMPTS = 3
    settings.TASK_RETRY_BASE_SECONDS = 0  # each retry is due at once: one batch runs them all
    invite()

    run_worker()

    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.FAILED
    assert email.attempts == 3
    assert email.next_attempt_at is None
    assert "ConnectionRefusedError" in email.last_error
    tasks = tasks_in_order()
    assert [task.args_kwargs["kwargs"].get("attempt", 1) for task in tasks] == [1, 2, 3]
    assert {task.status for task in tasks} == {TaskResultStatus.FAILED}


def test_a_task_left_running_by_a_dead_worker_is_requeued_and_delivered_once(
    invite: Callable[..., Any], smtp_server: Any, run_worker: Any
) -> None:
    invite()
    task = DBTaskResult.objects.get()
    # What a worker killed in the middle of sending leaves behind: the task claimed long ago,
    # the email marked as being sent by that task.
    task.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    OutboundEmail.objects.update(status=EmailStatus.SENDING)

    run_worker()
    assert smtp_server.messages == []  # a running task belongs to its worker

    out = io.StringIO()
    call_command("requeue_stale_tasks", "--older-than", "600", stdout=out)
    assert "Requeued 1 abandoned task(s)." in out.getvalue()
    run_worker()
    run_worker()

    assert len(smtp_server.messages) == 1
    assert OutboundEmail.objects.get().status == EmailStatus.SENT
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "worker-that-died"
    assert len(task.worker_ids) == 2


def test_a_task_running_for_less_than_the_threshold_is_left_alone(
    invite: Callable[..., Any],
) -> None:
    invite()
    DBTaskResult.objects.get().claim("busy-worker")

    out = io.StringIO()
    call_command("requeue_stale_tasks", "--older-than", "600", stdout=out)

    assert "Requeued 0 abandoned task(s)." in out.getvalue()
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def test_the_task_of_an_already_sent_email_does_not_send_it_again(
    invite: Callable[..., Any], smtp_server: Any, run_worker: Any
) -> None:
    invite()
    run_worker()
    # The worker died after sending and recording it, before marking its task done.
    DBTaskResult.objects.update(status=TaskResultStatus.READY)

    run_worker()

    assert len(smtp_server.messages) == 1
    assert DBTaskResult.objects.get().return_value == "already sent"
    assert OutboundEmail.objects.get().attempts == 1


def test_two_tasks_for_a_new_email_send_it_once_and_the_first_to_run_names_itself(
    invite: Callable[..., Any], smtp_server: Any, run_worker: Any
) -> None:
    invite()
    email = OutboundEmail.objects.get()
    assert email.delivery_task_id == ""  # named by the task that claims it
    # Queued ahead of the real one, so it runs first and finds the email not yet sent.
    duplicate = email_deliver.using(priority=10).enqueue(email_id=email.pk)

    run_worker()

    assert len(smtp_server.messages) == 1
    results = {
        str(id): value for id, value in DBTaskResult.objects.values_list("id", "return_value")
    }
    assert results.pop(duplicate.id) == "sent"
    assert list(results.values()) == ["already sent"]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.delivery_task_id == str(duplicate.id)


def test_once_an_email_names_its_task_a_stray_task_stands_down(
    invite: Callable[..., Any], smtp_server: Any, smtp_down: Callable[[], None], run_worker: Any
) -> None:
    invite()
    run_worker()  # the queued task claims the email, fails to connect and schedules a retry
    email = OutboundEmail.objects.get()
    [_first, retry] = tasks_in_order()
    assert email.delivery_task_id == str(retry.id)
    stray = email_deliver.using(priority=10).enqueue(email_id=email.pk)
    bring_smtp_back = smtp_down
    bring_smtp_back()

    run_worker()

    assert smtp_server.messages == []  # the retry is not due yet and the stray task stood down
    assert DBTaskResult.objects.get(pk=stray.id).return_value == "superseded by another task"


def test_a_requeued_attempt_whose_retry_is_already_scheduled_stands_down(
    invite: Callable[..., Any],
    smtp_server: Any,
    smtp_down: Callable[[], None],
    run_worker: Any,
    settings: Any,
    clock: Clock,
) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 300
    invite()
    first = DBTaskResult.objects.get()
    run_worker()  # attempt 1 fails and schedules attempt 2 in five minutes
    bring_smtp_back = smtp_down
    bring_smtp_back()
    # The worker of attempt 1 died after recording the failure, before marking its task
    # failed; requeued, attempt 1 runs again while attempt 2 is waiting.
    DBTaskResult.objects.filter(pk=first.pk).update(status=TaskResultStatus.READY)

    run_worker()

    assert smtp_server.messages == []
    first.refresh_from_db()
    assert first.return_value == "superseded by another task"
    clock.advance(minutes=6)
    run_worker()
    assert len(smtp_server.messages) == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0


def test_retry_now_sends_a_failed_email_once_and_supersedes_a_waiting_retry(
    invite: Callable[..., Any],
    smtp_server: Any,
    smtp_down: Callable[[], None],
    run_worker: Any,
    settings: Any,
    clock: Clock,
) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 300
    invite()
    run_worker()  # attempt 1 fails; attempt 2 waits five minutes
    bring_smtp_back = smtp_down
    bring_smtp_back()
    email = OutboundEmail.objects.get()

    [requeued] = email_retry_now(email_ids=[email.pk])
    run_worker()
    clock.advance(minutes=10)  # the retry that was waiting comes due too
    run_worker()

    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 2
    assert email.delivery_task_id == requeued.delivery_task_id
    returns = sorted(
        str(task.return_value)
        for task in DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    )
    assert returns == ["already sent", "sent"]


def test_retry_now_leaves_a_sent_email_alone(
    invite: Callable[..., Any], smtp_server: Any, run_worker: Any
) -> None:
    invite()
    run_worker()

    assert email_retry_now(email_ids=[OutboundEmail.objects.get().pk]) == []
    run_worker()

    assert len(smtp_server.messages) == 1


def test_requeue_refuses_a_negative_age(db: None) -> None:
    with pytest.raises(CommandError, match="0 or more"):
        call_command("requeue_stale_tasks", "--older-than", "-5", stdout=io.StringIO())


def test_every_attempt_at_an_email_carries_the_same_message_id(
    invite: Callable[..., Any], run_worker: Any, settings: Any
) -> None:
    """Delivery is at least once at the SMTP boundary; the Message-ID names the email, not
    the attempt, so whoever receives two copies can tell they are one message."""
    inbox = RefusingInbox(host="127.0.0.1", port=free_loopback_port(), refuse_every=1)
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = inbox.host, inbox.port
    settings.TASK_RETRY_BASE_SECONDS = 0  # each retry is due at once
    try:
        invite()
        run_worker()  # refused with 451; its retry runs in the same batch, refused again ...
        assert len(inbox.refused) == settings.TASK_MAX_ATTEMPTS
        inbox.refuse_every = 10_000
        assert email_retry_now(email_ids=[OutboundEmail.objects.get().pk])
        run_worker()
    finally:
        controller.stop()

    email = OutboundEmail.objects.get()
    [message] = inbox.messages
    assert email.status == EmailStatus.SENT
    assert set(inbox.refused) == {message["Message-ID"]} == {email_message_id(email)}
