"""Put emails into the outbox and enqueue their delivery, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from linesheet.accounts.models import (
    Brand,
    BrandMemberInvitation,
    Invitation,
    OrganizationMemberInvitation,
)
from linesheet.notifications.inline_images import brand_logo_image, inline_images_of
from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.notifications.tasks import email_deliver
from linesheet.ordering.models import Order


def absolute_url(path: str) -> str:
    """Return the link as the recipient must see it, from BASE_URL."""
    return f"{settings.BASE_URL}{path}"


def email_render(
    *, template: str, context: dict[str, Any], language: str, time_zone: str = ""
) -> dict[str, Any]:
    """Render `template` (.subject.txt, .txt, .html) in `language` and `time_zone` (the
    default zone when blank): the outbox row's subject, body_text, body_html and inline_images.

    The brand in the context (if any) heads the email with its logo; the summary's lines (if
    any) show their pictures.
    """
    brand = context.get("brand")
    logo = brand_logo_image(brand) if isinstance(brand, Brand) else None
    summary = context.get("summary")
    context = {**context, "logo": logo}
    with translation.override(language), timezone.override(zone_or_default(time_zone)):
        subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
        body_html = render_to_string(f"{template}.html", context)
        images = [logo, *(line.image for line in summary.lines)] if summary else [logo]
        return {
            "subject": subject[:255],
            "body_text": render_to_string(f"{template}.txt", context),
            "body_html": body_html,
            "inline_images": inline_images_of(body_html, images),
        }


def zone_or_default(time_zone: str | None) -> str:
    return time_zone or timezone.get_default_timezone_name()


def email_enqueue(
    *,
    kind: str,
    reference: str,
    to: Sequence[str],
    language: str,
    template: str | None,
    context: dict[str, Any] | None = None,
    order: Order | None = None,
    time_zone: str | None = None,
) -> OutboundEmail | None:
    """Store the email to `to` and enqueue its delivery; None when there is nobody to send to.

    With a `template`, the email is rendered now (see `email_render`; times in it are shown in
    `time_zone`, the recipients', not in the zone of whoever caused the email). Without one it
    is stored unwritten, and the task that sends it writes it from its `reference` (emails about
    order events: see `order_emails.order_event_email_render`), keeping that work out of the
    caller's request.

    Runs in the caller's transaction: a rollback drops both the email and its task (no
    savepoint of its own: a failure here fails the caller's change too, as it must).

    The row names no task yet (`delivery_task_id` blank): the task queued with it names itself
    when it claims the email, under the row's lock, and every later task (a retry, support's
    "retry now") is named as it is queued. So a duplicated or superseded task still stands
    down, without a second write of the row in the caller's transaction.
    """
    recipients = sorted({address.strip().lower() for address in to if address.strip()})
    if not recipients:
        return None
    content: dict[str, Any] = (
        email_render(
            template=template, context=context or {}, language=language, time_zone=time_zone or ""
        )
        if template is not None
        else {}
    )
    with transaction.atomic(savepoint=False):
        email = OutboundEmail.objects.create(
            kind=kind,
            order=order,
            reference=reference,
            to=recipients,
            language=language,
            time_zone=time_zone or "",
            **content,
        )
        email_deliver.enqueue(email_id=email.pk)
    return email


def email_retry_now(*, email_ids: Iterable[int]) -> list[OutboundEmail]:
    """Enqueue an immediate attempt for each pending or failed email; return those requeued.

    The new task replaces any attempt waiting on its backoff (that one stands down when it
    runs). An email being sent, sent or cancelled is left alone. A failed email gets one more
    attempt; it is retried automatically only while it has attempts left.
    """
    requeued = []
    with transaction.atomic():
        emails = (
            OutboundEmail.objects.select_for_update()
            .filter(pk__in=list(email_ids), status__in=[EmailStatus.PENDING, EmailStatus.FAILED])
            .order_by("pk")
        )
        for email in emails:
            delivery = email_deliver.enqueue(email_id=email.pk, attempt=email.attempts + 1)
            email.status = EmailStatus.PENDING
            email.delivery_task_id = str(delivery.id)
            email.next_attempt_at = timezone.now()
            email.save(update_fields=["status", "delivery_task_id", "next_attempt_at"])
            requeued.append(email)
    return requeued


def email_cancel(*, email_ids: Iterable[int], reason: str) -> list[OutboundEmail]:
    """Stop pending emails from going out, recording why; return those cancelled.

    Their queued tasks stand down when they run. An email being sent or already sent is left
    alone: it cannot be called back.
    """
    cancelled = []
    with transaction.atomic():
        emails = (
            OutboundEmail.objects.select_for_update()
            .filter(pk__in=list(email_ids), status__in=[EmailStatus.PENDING, EmailStatus.FAILED])
            .order_by("pk")
        )
        for email in emails:
            email.status = EmailStatus.CANCELLED
            email.cancel_reason = reason[:255]
            email.next_attempt_at = None
            email.save(update_fields=["status", "cancel_reason", "next_attempt_at"])
            cancelled.append(email)
    return cancelled


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
            "button_url": absolute_url(reverse("invitation-accept", args=[invitation.token])),
        },
        # The invited shop has no organisation here yet: the brand's zone.
        time_zone=invitation.brand.time_zone,
    )


def email_enqueue_member_invitation(
    *, invitation: BrandMemberInvitation, token: str
) -> OutboundEmail | None:
    """Queue the email that invites an address to a brand's team (the link holds `token`)."""
    return email_enqueue(
        kind="member_invitation",
        reference=f"member_invitation:{invitation.pk}:{invitation.sent_count}",
        to=[invitation.email],
        language=settings.LANGUAGE_CODE,
        template="notifications/email/member_invitation",
        context={
            "brand": invitation.brand,
            "invitation": invitation,
            "inviter": invitation.created_by,
            "role": invitation.get_role_display(),
            "button_url": absolute_url(reverse("member-invitation-accept", args=[token])),
        },
        time_zone=invitation.brand.time_zone,
    )


def email_enqueue_organization_invitation(
    *, invitation: OrganizationMemberInvitation, token: str
) -> OutboundEmail | None:
    """Queue the email that invites an address to a buyer organisation (link holds `token`)."""
    return email_enqueue(
        kind="organization_invitation",
        reference=f"organization_invitation:{invitation.pk}:{invitation.sent_count}",
        to=[invitation.email],
        language=settings.LANGUAGE_CODE,
        template="notifications/email/member_invitation",
        context={
            "brand": invitation.organization,
            "invitation": invitation,
            "inviter": invitation.created_by,
            "role": "",
            "button_url": absolute_url(reverse("organization-invitation-accept", args=[token])),
        },
        time_zone=invitation.organization.time_zone,
    )
