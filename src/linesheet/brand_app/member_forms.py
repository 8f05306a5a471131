"""The Members page's forms: invite with a role, change a role, hand the ownership over."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linesheet.accounts.models import BrandMembership, BrandRole
from linesheet.web.forms import DomainErrorForm

ROLE_HELP = _("What each role may do is in the table below.")


class MemberInviteForm(DomainErrorForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=BrandRole.choices, help_text=ROLE_HELP)

    def __init__(self, *args: Any, may_invite_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        if not may_invite_owner:
            field.choices = [c for c in BrandRole.choices if c[0] != BrandRole.OWNER]
        self.initial.setdefault("role", BrandRole.STAFF)


class MemberRoleForm(DomainErrorForm):
    """A member's new role; the owner is made by handing over, so it is not offered."""

    role = forms.ChoiceField(
        label=_("Role"), choices=[c for c in BrandRole.choices if c[0] != BrandRole.OWNER]
    )


class OwnershipTransferForm(DomainErrorForm):
    member = forms.TypedChoiceField(label=_("New owner"), coerce=int)

    def __init__(self, *args: Any, members: list[BrandMembership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (m.pk, f"{m.user.get_full_name()} ({m.get_role_display()})")
            for m in members
            if m.role != BrandRole.OWNER
        ]
