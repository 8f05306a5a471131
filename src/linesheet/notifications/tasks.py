"""The tasks that deliver email; run by `linesheet worker`."""

from __future__ import annotations

import logging
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskContext, task

from linesheet.core.tasks import task_schedule_retry
from linesheet.notifications.inline_images import RelatedEmail, inline_image_parts
from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.ordering.events import OrderEventType, record_event

logger = logging.getLogger(__name__)

# An email in one of these is done with: no task sends it (support's "retry now" reopens one).
FINAL_STATUSES = frozenset({EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.CANCELLED})


class EmailNotWritten(Exception):
    """The email's content could not be written (rendered) for this attempt."""


def _is_permanent_reply(code: int) -> bool:
    return 500 <= code <= 599


def smtp_refusal_is_permanent(exc: BaseException) -> bool:
    """Return whether the mail server refused the email for good, not just for now.

    A 5xx reply to the recipients, the sender or the message comes back on every attempt, so
    retrying only delays the bad news for hours; a 4xx reply (greylisting, a full mailbox) or a
    network failure may pass.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        return bool(codes) and all(_is_permanent_reply(code) for code in codes)
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return _is_permanent_reply(exc.smtp_code)
    return isinstance(exc, smtplib.SMTPNotSupportedError)


def delivery_failure_is_transient(exc: BaseException) -> bool:
    """Return whether another attempt may succeed: the network or the server, not a refusal.

    A worker stopped in the middle of sending counts as transient too: the email was not
    delivered by this attempt as far as anyone can tell, and the next attempt is cheap. Any
    other exception is a bug or bad data that no retry fixes; support sees it as failed. An
    email that could not be written is retried: writing it reads the database, and a fix
    deployed before the attempts run out lets it go.
    """
    if isinstance(exc, KeyboardInterrupt | SystemExit | EmailNotWritten):
        return True
    return isinstance(exc, OSError) and not smtp_refusal_is_permanent(exc)


def email_message_id(email: OutboundEmail) -> str:
    """Return the Message-ID every attempt at `email` carries, from any worker on any machine.

    Delivery to the mail server is at least once: a worker that dies after the server's "250"
    and before the sent mark commits sends the email again on the next attempt. The same
    Message-ID on both copies lets the receiving side (and anyone reading the logs) see them
    as one message.
    """
    host = urlsplit(settings.BASE_URL).hostname or "linesheet.invalid"
    return f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{host}>"


def email_message(email: OutboundEmail) -> RelatedEmail:
    """Build the message for `email`: text, HTML and the images the HTML shows, read now."""
    html, images = inline_image_parts(html=email.body_html, records=email.inline_images)
    message = RelatedEmail(
        subject=email.subject,
        body=email.body_text,
        to=email.to,
        headers={"Message-ID": email_message_id(email)},
        related=images,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


@task(takes_context=True)
def email_deliver(context: TaskContext, email_id: int, attempt: int = 1) -> str:
    """Send one outbox email; on a transient failure schedule the next attempt and fail this one.

    Only the task the outbox row names (`delivery_task_id`; while it names none, the first task
    to claim it, which names itself) sends, and a sent, failed or cancelled email is never sent
    by a task, so a duplicated or superseded task stands down.
    `attempt` numbers the task for whoever reads the queue; the outbox row counts the attempts.
    """
    task_id = str(context.task_result.id)
    email, stand_down_reason = _claim(email_id=email_id, task_id=task_id)
    if email is None:
        return stand_down_reason
    try:
        # Inside the try: whatever fails while writing or building the message is a failed
        # attempt too, never an email left "sending".
        if not email.is_written:
            email_write(email)
        email_message(email).send()
    except BaseException as exc:
        status = _record_failure(email_id=email_id, exc=exc)
        logger.warning("email %s attempt %s failed (%s): %s", email_id, attempt, status, exc)
        raise
    now = timezone.now()
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email_id).update(
            status=EmailStatus.SENT,
            attempts=F("attempts") + 1,
            sent_at=now,
            last_attempt_at=now,
            next_attempt_at=None,
            last_error="",
        )
        _record_on_order(email, OrderEventType.EMAIL_SENT, to=email.to)
    return "sent"


def email_write(email: OutboundEmail) -> None:
    """Write an email stored unwritten (an order event's) and keep its content on the row.

    Kept before sending, so support's admin, the EMAIL_SENT event and any later attempt see
    the content that went out: an attempt that wrote it but failed to send leaves the next
    attempt nothing to write.
    """
    from linesheet.notifications.order_emails import order_event_email_render

    try:
        content = order_event_email_render(email)
    except Exception as exc:
        raise EmailNotWritten(f"{type(exc).__name__}: {exc}") from exc
    for field, value in content.items():
        setattr(email, field, value)
    OutboundEmail.objects.filter(pk=email.pk).update(**content)


def _record_on_order(email: OutboundEmail, event_type: str, **details: object) -> None:
    """Note the delivery outcome on the order the email is about, for the brand to see."""
    if email.order is not None:
        record_event(
            order=email.order,
            type=event_type,
            actor=None,
            email_id=email.pk,
            subject=email.subject,
            **details,
        )


def _claim(*, email_id: int, task_id: str) -> tuple[OutboundEmail | None, str]:
    """Mark the email as being sent by this task, or return why this task must leave it alone.

    The row lock (on SQLite, the write lock) orders this against a concurrent task and against
    support's "retry now", so at most one task gets past this point for an email.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return None, "no such email"
        if email.status in FINAL_STATUSES:
            return None, f"already {email.status}"
        # A row naming no task is new: the first task to claim it names itself below.
        if email.delivery_task_id and email.delivery_task_id != task_id:
            return None, "superseded by another task"
        # SENDING under this very task means the worker running it died mid-send and the task
        # was requeued. Whether the server took the message cannot be known; sending again is
        # the lesser harm, since the window between the server's "250" and our commit is
        # milliseconds while a worker can die anywhere in a connect that may take seconds.
        email.status = EmailStatus.SENDING
        email.delivery_task_id = task_id
        email.save(update_fields=["status", "delivery_task_id"])
    return email, ""


def _record_failure(*, email_id: int, exc: BaseException) -> str:
    """Count the failed attempt; schedule the next one when it may succeed, else give up.

    The record and the retry task commit together, so a retry exists exactly when the outbox
    row says one is coming.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        email.attempts += 1
        email.last_attempt_at = timezone.now()
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        retry = (
            task_schedule_retry(email_deliver, attempt=email.attempts, email_id=email_id)
            if delivery_failure_is_transient(exc)
            else None
        )
        if retry is None:
            email.status = EmailStatus.FAILED
            email.next_attempt_at = None
        else:
            email.status = EmailStatus.PENDING
            email.next_attempt_at = retry.task.run_after
            email.delivery_task_id = str(retry.id)
        email.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_error",
                "status",
                "next_attempt_at",
                "delivery_task_id",
            ]
        )
        _record_on_order(
            email,
            OrderEventType.EMAIL_FAILED,
            error=email.last_error,
            attempt=email.attempts,
            retry_at=email.next_attempt_at.isoformat() if email.next_attempt_at else None,
        )
    return email.status
