"""Render emails into the outbox and enqueue their delivery, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from linesheet.accounts.models import Invitation
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.tasks import email_deliver


def absolute_url(path: str) -> str:
    """Return the link as the recipient must see it, from BASE_URL."""
    return f"{settings.BASE_URL}{path}"


def email_enqueue(
    *,
    kind: str,
    reference: str,
    to: Sequence[str],
    language: str,
    template: str,
    context: dict[str, Any],
) -> OutboundEmail | None:
    """Render `template` (.subject.txt, .txt, .html) in `language`, store it and enqueue it.

    Runs in the caller's transaction: a rollback drops both the email and its task. Returns
    None when there is nobody to send to.
    """
    recipients = sorted({address.strip().lower() for address in to if address.strip()})
    if not recipients:
        return None
    with translation.override(language), transaction.atomic():
        subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
        email = OutboundEmail.objects.create(
            kind=kind,
            reference=reference,
            to=recipients,
            language=language,
            subject=subject[:255],
            body_text=render_to_string(f"{template}.txt", context),
            body_html=render_to_string(f"{template}.html", context),
        )
        email_deliver.enqueue(email_id=email.pk)
    return email


def email_enqueue_invitation(*, invitation: Invitation) -> OutboundEmail | None:
    """Queue the email that invites an address to connect to the brand."""
    return email_enqueue(
        kind="invitation",
        reference=f"invitation:{invitation.pk}",
        to=[invitation.email],
        language=invitation.buyer.language,
        template="notifications/email/invitation",
        context={
            "brand": invitation.brand,
            "invitation": invitation,
            "accept_url": absolute_url(reverse("invitation-accept", args=[invitation.token])),
        },
    )
