"""Shapes of a brand's members, their invitations, the roles' permissions and the history."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from linesheet.accounts.models import AddressKind, BrandEventKind, BrandRole, OrganizationEventKind
from linesheet.accounts.permissions import ROLE_PERMISSIONS, Permission
from linesheet.api.serializers import StrictSerializer

ROLE_CHOICES = BrandRole.choices
# The roles a role change may give: the owner is made by handing the ownership over.
ASSIGNABLE_ROLES = [role for role in BrandRole.values if role != BrandRole.OWNER]


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    joined_at = serializers.DateTimeField()
    permissions = serializers.SerializerMethodField(
        help_text="What the member's role may do (see `GET roles`)."
    )

    def get_permissions(self, membership: Any) -> list[str]:
        return sorted(ROLE_PERMISSIONS.get(membership.role, frozenset()))


class MemberRoleInputSerializer(StrictSerializer):
    role = serializers.ChoiceField(
        choices=ASSIGNABLE_ROLES,
        help_text="The owner is made by `POST ownership`, not by a role change.",
    )


class MemberInvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    invited_by = serializers.EmailField(source="created_by.email", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(help_text="When the email last went out.")
    sent_count = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
    expired = serializers.BooleanField(source="is_expired")


class SentMemberInvitationSerializer(MemberInvitationSerializer):
    accept_url = serializers.CharField(
        help_text=(
            "The link the email carries; shown only now (the database keeps a digest of it). "
            "Only a user with the invited email can accept it."
        )
    )


class MemberInvitationInputSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(
        choices=ROLE_CHOICES,
        help_text="`owner` is for the owner to give: accepting hands the ownership over.",
    )


class OwnershipInputSerializer(StrictSerializer):
    member = serializers.IntegerField(min_value=1, help_text="The member (`id`) to make owner.")


class PermissionRowSerializer(serializers.Serializer):
    permission = serializers.ChoiceField(choices=Permission.choices)
    description = serializers.CharField()
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ROLE_CHOICES),
        help_text="The roles that have it.",
    )


class RolesSerializer(serializers.Serializer):
    roles = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(choices=Permission.choices)),
        help_text="Each role with the permissions it has.",
    )
    permissions = PermissionRowSerializer(many=True)


class BrandEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=BrandEventKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    actor = serializers.EmailField(source="actor.email", allow_null=True, default=None)
    subject = serializers.CharField(help_text="The email the change is about.")
    details = serializers.DictField()
    created_at = serializers.DateTimeField()


# --- Buyer organisations ------------------------------------------------------------------------


class OrganizationMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    joined_at = serializers.DateTimeField()


class OrganizationInvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    invited_by = serializers.EmailField(source="created_by.email", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField()
    sent_count = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
    expired = serializers.BooleanField(source="is_expired")


class SentOrganizationInvitationSerializer(OrganizationInvitationSerializer):
    accept_url = serializers.CharField(
        help_text="The link the email carries; shown only now. Only the invited email accepts it."
    )


class OrganizationInvitationInputSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254)


class AddressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AddressKind.choices)
    name = serializers.CharField(source="label", help_text="How the organisation tells it apart.")
    text = serializers.CharField()
    is_default = serializers.BooleanField()


class AddressInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=AddressKind.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    text = serializers.CharField(max_length=1000)
    is_default = serializers.BooleanField(required=False, default=False)


class AddressChangeSerializer(StrictSerializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    text = serializers.CharField(required=False, max_length=1000)
    is_default = serializers.BooleanField(
        required=False, help_text="`true` makes it the default of its kind."
    )


class OrganizationEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OrganizationEventKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    actor = serializers.EmailField(source="actor.email", allow_null=True, default=None)
    subject = serializers.CharField()
    details = serializers.DictField()
    created_at = serializers.DateTimeField()
