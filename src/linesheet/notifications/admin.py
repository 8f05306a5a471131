"""The outbox for support: what went out, what failed and why, and a way to try again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from linesheet.core.admin import ViewOnlyAdmin
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.services import email_retry_now


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ViewOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "recipients",
        "shown_subject",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["subject", "reference", "to", "last_error"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    actions = ["retry_now"]
    fieldsets = [
        (None, {"fields": ["kind", "reference", "to", "language", "subject"]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "status",
                    "attempts",
                    "last_error",
                    "cancel_reason",
                    "created_at",
                    "last_attempt_at",
                    "next_attempt_at",
                    "sent_at",
                    "delivery_task_id",
                ]
            },
        ),
        (_("Content"), {"fields": ["body_text", "body_html"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("to"))
    def recipients(self, email: OutboundEmail) -> str:
        return ", ".join(email.to)

    @admin.display(description=_("subject"), ordering="subject")
    def shown_subject(self, email: OutboundEmail) -> str:
        # An order event's email is written by the task that sends it.
        return email.subject if email.is_written else str(_("(written when sent)"))

    @admin.display(description=_("last error"))
    def short_error(self, email: OutboundEmail) -> str:
        return email.last_error[:120]

    @admin.action(description=_("Retry now (pending or failed emails)"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        requeued = email_retry_now(email_ids=queryset.values_list("pk", flat=True))
        skipped = queryset.count() - len(requeued)
        self.message_user(
            request,
            ngettext(
                "%(count)d email queued for an attempt now.",
                "%(count)d emails queued for an attempt now.",
                len(requeued),
            )
            % {"count": len(requeued)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email was left alone: it is being sent, sent or cancelled.",
                    "%(count)d emails were left alone: they are being sent, sent or cancelled.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
