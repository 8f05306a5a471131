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
    INVITATION_REVOKED = "invitation_revoked"
    # Roles and members
    READ_ONLY_ROLE = "read_only_role"
    NOT_PERMITTED = "not_permitted"
    LAST_OWNER = "last_owner"
    OWNER_BY_TRANSFER = "owner_by_transfer"
    ALREADY_MEMBER = "already_member"
    INVITATION_PENDING = "invitation_pending"
    MEMBER_NOT_FOUND = "member_not_found"
    INVITATION_CLOSED = "invitation_closed"
    LAST_MEMBER = "last_member"
    ADDRESS_NOT_FOUND = "address_not_found"


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
        AccountsErrorCode.INVITATION_REVOKED: _(
            "This invitation was withdrawn. Ask %(inviter)s for a new one if you still need it."
        ),
        AccountsErrorCode.READ_ONLY_ROLE: _(
            "Your role at %(brand)s is viewer: you can read and export, but not change anything."
        ),
        AccountsErrorCode.NOT_PERMITTED: _(
            "Your role at %(brand)s is %(role)s. Only these roles may do this (%(what)s): "
            "%(roles)s."
        ),
        AccountsErrorCode.LAST_OWNER: _(
            "%(member)s is the owner of %(brand)s, and a brand always keeps one owner. "
            "Transfer the ownership to another member first."
        ),
        AccountsErrorCode.OWNER_BY_TRANSFER: _(
            "A brand has exactly one owner: make someone owner by transferring the ownership "
            "to them."
        ),
        AccountsErrorCode.ALREADY_MEMBER: _("%(email)s is already a member of %(team)s."),
        AccountsErrorCode.INVITATION_PENDING: _(
            "%(email)s already has an invitation waiting. Resend it or withdraw it instead."
        ),
        AccountsErrorCode.MEMBER_NOT_FOUND: _("That person is not a member (any more)."),
        AccountsErrorCode.INVITATION_CLOSED: _(
            "That invitation was already accepted or withdrawn; nothing to change."
        ),
        AccountsErrorCode.ADDRESS_NOT_FOUND: _(
            "That address is not in your address book (any more)."
        ),
        AccountsErrorCode.LAST_MEMBER: _(
            "You are the last member of %(team)s: invite someone to take over before you leave."
        ),
    }
