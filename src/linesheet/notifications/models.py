"""The outbox: every email queued in the transaction that causes it, then sent by a task.

Emails about order events are written (rendered) by the task that sends them, from their
`reference`; the others are rendered when queued."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class OutboundEmail(models.Model):
    """One email to send. Kept after sending so support can see what went out, and when."""

    kind = models.CharField(max_length=40)
    order = models.ForeignKey(
        "ordering.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emails",
        help_text=_("The order the email is about; its delivery is recorded on the order."),
    )
    reference = models.CharField(
        max_length=80, blank=True, help_text=_("What caused it, e.g. invitation:12.")
    )
    to = models.JSONField(default=list)
    language = models.CharField(max_length=8, default="en")
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text=_(
            "The recipients' time zone, for the times the email shows (the default zone when "
            "blank)."
        ),
    )
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    inline_images = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "The images the HTML part shows (product thumbnails, the brand's logo), by "
            "Content-ID: read from storage and attached when the email is sent."
        ),
    )
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivery_task_id = models.CharField(
        max_length=64,
        blank=True,
        help_text=_(
            "The task that is to deliver it; any other task for this email stands down, so a "
            "duplicated or superseded task does not send it again."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {', '.join(self.to)} ({self.status})"

    @property
    def is_written(self) -> bool:
        """Whether the email's content is stored: always once sent; an order event's email
        is written by the task that sends it."""
        return bool(self.body_text)
