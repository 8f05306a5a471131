from __future__ import annotations

from email.message import Message
from typing import Any

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linesheet.accounts.services import invitation_create
from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.notifications.services import email_cancel
from tests import factories

pytestmark = pytest.mark.django_db


def body(message: Message, content_type: str) -> str:
    [part] = [part for part in message.walk() if part.get_content_type() == content_type]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def test_an_invitation_email_is_delivered_over_smtp_by_the_worker(
    brand: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    invitation = invitation_create(
        brand=brand, email="shop@example.test", created_by=owner, name="Shop"
    )

    assert smtp_server.messages == []  # nothing is sent until the worker runs
    run_worker()

    [message] = smtp_server.messages
    assert message["To"] == "shop@example.test"
    assert "Atelier" in message["Subject"]
    assert f"/invitations/{invitation.token}/" in body(message, "text/plain")
    assert f"/invitations/{invitation.token}/" in body(message, "text/html")
    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 1
    assert email.sent_at is not None


def test_an_email_enqueued_in_a_transaction_that_rolls_back_is_never_sent(
    brand: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        invitation_create(brand=brand, email="shop@example.test", created_by=owner, name="Shop")
        raise RuntimeError("the request failed after the email was queued")

    run_worker()

    assert smtp_server.messages == []
    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_brand_name_with_markup_is_escaped_in_the_html_part_and_plain_elsewhere(
    owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    evil = factories.make_brand(name="<b>Evil & Co</b>")
    invitation_create(brand=evil, email="shop@example.test", created_by=owner, name="Shop")

    run_worker()

    [message] = smtp_server.messages
    html = body(message, "text/html")
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in html
    assert "<b>Evil" not in html
    # Plain text is not HTML: escaping it would show the reader "&amp;".
    assert "<b>Evil & Co</b> invites you" in body(message, "text/plain")
    assert message["Subject"] == "<b>Evil & Co</b> invites you to order on linesheet"


def test_a_recipient_the_server_refuses_for_good_fails_at_once_without_a_retry(
    brand: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    smtp_server.refused_recipients["gone@example.test"] = "550 5.1.1 No such mailbox"
    invitation_create(brand=brand, email="gone@example.test", created_by=owner, name="Shop")

    run_worker()

    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.FAILED
    assert email.attempts == 1
    assert "SMTPRecipientsRefused" in email.last_error
    assert "No such mailbox" in email.last_error
    [task] = DBTaskResult.objects.all()
    assert task.status == TaskResultStatus.FAILED
    assert "SMTPRecipientsRefused" in task.traceback
    assert smtp_server.messages == []


def test_a_recipient_refused_for_now_is_retried(
    brand: Any, owner: Any, smtp_server: Any, run_worker: Any, settings: Any
) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 60
    smtp_server.refused_recipients["full@example.test"] = "452 4.2.2 Mailbox full"
    invitation_create(brand=brand, email="full@example.test", created_by=owner, name="Shop")

    run_worker()

    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.PENDING
    assert email.attempts == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_a_cancelled_email_is_not_sent_by_its_queued_task(
    brand: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    invitation_create(brand=brand, email="shop@example.test", created_by=owner, name="Shop")
    email = OutboundEmail.objects.get()

    assert email_cancel(email_ids=[email.pk], reason="The invitation was withdrawn.") == [email]
    run_worker()

    assert smtp_server.messages == []
    email.refresh_from_db()
    assert email.status == EmailStatus.CANCELLED
    assert email.cancel_reason == "The invitation was withdrawn."
    assert DBTaskResult.objects.get().return_value == "already cancelled"


def test_a_sent_email_cannot_be_cancelled(
    brand: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    invitation_create(brand=brand, email="shop@example.test", created_by=owner, name="Shop")
    run_worker()

    assert email_cancel(email_ids=[OutboundEmail.objects.get().pk], reason="too late") == []
    assert OutboundEmail.objects.get().status == EmailStatus.SENT
