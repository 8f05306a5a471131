"""The tasks that deliver email; run by `linesheet db_worker`."""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from linesheet.core.tasks import task_schedule_retry
from linesheet.notifications.models import EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

# Failures worth another attempt: the SMTP server or the network, not a bug in our data.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


@task()
def email_deliver(email_id: int, attempt: int = 1) -> str:
    """Send one outbox email; on a transient failure schedule the next attempt and fail this one.

    A sent email is never sent again, so a duplicated or recovered task is harmless.
    """
    email = OutboundEmail.objects.get(pk=email_id)
    if email.status == EmailStatus.SENT:
        return "already sent"
    message = EmailMultiAlternatives(subject=email.subject, body=email.body_text, to=email.to)
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except TRANSIENT_ERRORS as exc:
        with transaction.atomic():
            run_after = task_schedule_retry(email_deliver, attempt=attempt, email_id=email_id)
            OutboundEmail.objects.filter(pk=email_id).update(
                attempts=attempt,
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
                status=EmailStatus.PENDING if run_after else EmailStatus.FAILED,
                next_attempt_at=run_after,
            )
        logger.warning("email %s attempt %s failed: %s", email_id, attempt, exc)
        raise
    OutboundEmail.objects.filter(pk=email_id).update(
        status=EmailStatus.SENT,
        attempts=attempt,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return "sent"
