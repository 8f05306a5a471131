"""Refusals of account operations, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linesheet.core.errors import DomainError


class AccountsErrorCode:
    INVITATION_NOT_FOUND = "invitation_not_found"
    INVITATION_EXPIRED = "invitation_expired"
    INVITATION_USED = "invitation_used"
    ALREADY_CONNECTED = "already_connected"
    BUYER_CONNECTED = "buyer_connected"
    NOT_ORGANIZATION_MEMBER = "not_organization_member"
    INVITATION_EMAIL_MISMATCH = "invitation_email_mismatch"


class AccountsError(DomainError):
    messages = {
        AccountsErrorCode.INVITATION_NOT_FOUND: _(
            "This invitation link is not valid. Ask the brand to send a new invitation."
        ),
        AccountsErrorCode.INVITATION_EXPIRED: _(
            "This invitation expired on %(expired_at)s. Ask %(brand)s to send a new one."
        ),
        AccountsErrorCode.INVITATION_USED: _("This invitation has already been accepted."),
        AccountsErrorCode.ALREADY_CONNECTED: _(
            "%(organization)s is already connected to %(brand)s."
        ),
        AccountsErrorCode.BUYER_CONNECTED: _(
            "%(buyer)s is already connected to a buyer organisation; no invitation is needed."
        ),
        AccountsErrorCode.NOT_ORGANIZATION_MEMBER: _(
            "You are not a member of that buyer organisation."
        ),
        AccountsErrorCode.INVITATION_EMAIL_MISMATCH: _(
            "This invitation was sent to %(invited)s, and you are logged in as %(email)s. "
            "Log in or create an account with %(invited)s to accept it."
        ),
    }
