"""A brand's team in the API: members, invitations, the ownership, the roles, the history."""

from __future__ import annotations

from typing import Any, cast

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.members import (
    brand_member_invitation_accept,
    brand_member_invitation_resend,
    brand_member_invitation_revoke,
    brand_member_invite,
    brand_member_remove,
    brand_member_role_change,
    brand_ownership_transfer,
)
from linesheet.accounts.models import BrandMemberInvitation, User
from linesheet.accounts.permissions import (
    ROLE_PERMISSIONS,
    ROLES_BY_RANK,
    Permission,
    permission_table,
)
from linesheet.accounts.selectors import brand_events, brand_member_invitations_open, brand_members
from linesheet.api.base import parsed
from linesheet.api.idempotency import idempotent
from linesheet.api.members.serializers import (
    BrandEventSerializer,
    MemberInvitationInputSerializer,
    MemberInvitationSerializer,
    MemberRoleInputSerializer,
    MemberSerializer,
    OwnershipInputSerializer,
    RolesSerializer,
    SentMemberInvitationSerializer,
)
from linesheet.api.pagination import CursorListView
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.tenancy import BrandScopedMixin
from linesheet.notifications.services import absolute_url

TAGS = ["brand: members"]
READ_PROBLEMS = (401, 404)
WRITE_PROBLEMS = (400, 401, 403, 404, 409, 415, 422)
ROLE_REFUSALS = (
    "403 `read_only_role` (a viewer) or `not_permitted` (a role without `members_manage`; "
    "inviting as owner needs `ownership_transfer`)"
)


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _sent(invitation: BrandMemberInvitation, token: str) -> dict[str, Any]:
    data = dict(MemberInvitationSerializer(invitation).data)
    data["accept_url"] = absolute_url(reverse("member-invitation-accept", args=[token]))
    return data


class MemberListView(BrandScopedMixin, CursorListView, APIView):
    """The brand's members with their roles."""

    @extend_schema(
        tags=TAGS,
        summary="List the brand's members",
        responses=responses({200: MemberSerializer(many=True)}, 400, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        return self.paginated_response(
            request, queryset=brand_members(brand=self.brand), serializer_class=MemberSerializer
        )


class MemberDetailView(BrandScopedMixin, APIView):
    """Change a member's role, or remove the member."""

    write_permission = Permission.MEMBERS_MANAGE
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Change a member's role",
        description=(
            "Refusals: 409 `last_owner` (the owner's role changes only by `POST ownership`), "
            f"`owner_by_transfer`; {ROLE_REFUSALS}; 404 `member_not_found`."
        ),
        request=MemberRoleInputSerializer,
        responses=responses({200: MemberSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def patch(self, request: Request, brand: str, member_id: int) -> Response:
        data = parsed(MemberRoleInputSerializer, request)
        membership = brand_member_role_change(
            brand=self.brand, actor=_actor(request), member_id=member_id, role=data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove a member",
        description=(
            "A member may remove themselves (leave). Refusals: 409 `last_owner` (transfer the "
            f"ownership first); {ROLE_REFUSALS}; 404 `member_not_found`."
        ),
        responses=responses({204: OpenApiResponse(description="Removed.")}, *WRITE_PROBLEMS),
    )
    def delete(self, request: Request, brand: str, member_id: int) -> Response:
        brand_member_remove(brand=self.brand, actor=_actor(request), member_id=member_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberInvitationListView(BrandScopedMixin, CursorListView, APIView):
    """The invitations waiting for an answer; POST invites an email with a role."""

    write_permission = Permission.MEMBERS_MANAGE
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="List the waiting invitations",
        responses=responses({200: MemberInvitationSerializer(many=True)}, 400, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        return self.paginated_response(
            request,
            queryset=brand_member_invitations_open(brand=self.brand),
            serializer_class=MemberInvitationSerializer,
        )

    @extend_schema(
        tags=TAGS,
        summary="Invite someone to the brand's team",
        description=(
            "Emails the invited address a link; they sign up or log in with that email to join "
            "with the role. Refusals: 409 `already_member`, `invitation_pending` (resend it); "
            f"{ROLE_REFUSALS}."
        ),
        request=MemberInvitationInputSerializer,
        responses=responses({201: SentMemberInvitationSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        data = parsed(MemberInvitationInputSerializer, request)
        invitation, token = brand_member_invite(
            brand=self.brand, actor=_actor(request), email=data["email"], role=data["role"]
        )
        return Response(_sent(invitation, token), status=status.HTTP_201_CREATED)


class MemberInvitationDetailView(BrandScopedMixin, APIView):
    """Withdraw a waiting invitation."""

    write_permission = Permission.MEMBERS_MANAGE

    @extend_schema(
        tags=TAGS,
        summary="Withdraw an invitation",
        description=f"Refusals: 409 `invitation_closed`; {ROLE_REFUSALS}; 404.",
        responses=responses({204: OpenApiResponse(description="Withdrawn.")}, *WRITE_PROBLEMS),
    )
    def delete(self, request: Request, brand: str, invitation_id: int) -> Response:
        brand_member_invitation_revoke(
            brand=self.brand, actor=_actor(request), invitation_id=invitation_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberInvitationResendView(BrandScopedMixin, APIView):
    """Send a waiting invitation again, with a new link."""

    write_permission = Permission.MEMBERS_MANAGE
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Resend an invitation",
        description=(
            "A new link, valid for 14 days from now; the previous link stops working. "
            f"Refusals: 409 `invitation_closed`; {ROLE_REFUSALS}; 404."
        ),
        request=None,
        responses=responses({200: SentMemberInvitationSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str, invitation_id: int) -> Response:
        invitation, token = brand_member_invitation_resend(
            brand=self.brand, actor=_actor(request), invitation_id=invitation_id
        )
        return Response(_sent(invitation, token))


class OwnershipView(BrandScopedMixin, APIView):
    """Hand the brand's ownership to another member."""

    write_permission = Permission.OWNERSHIP_TRANSFER
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Transfer the ownership",
        description=(
            "The member becomes the owner; the owner who transfers stays on as an admin. "
            "Only the owner may (403 `not_permitted` otherwise); 404 `member_not_found`."
        ),
        request=OwnershipInputSerializer,
        responses=responses({200: MemberSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, brand: str) -> Response:
        data = parsed(OwnershipInputSerializer, request)
        membership = brand_ownership_transfer(
            brand=self.brand, actor=_actor(request), member_id=data["member"]
        )
        return Response(MemberSerializer(membership).data)


class RolesView(BrandScopedMixin, APIView):
    """What each role may do: the table every check reads."""

    @extend_schema(
        tags=TAGS,
        summary="The roles and their permissions",
        responses=responses({200: RolesSerializer}, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        rows = [
            {
                "permission": row["permission"],
                "description": row["label"],
                "roles": [cell["role"] for cell in row["roles"] if cell["allowed"]],
            }
            for row in permission_table()
        ]
        roles = {role: sorted(ROLE_PERMISSIONS[role]) for role in ROLES_BY_RANK}
        return Response(RolesSerializer({"roles": roles, "permissions": rows}).data)


class BrandHistoryView(BrandScopedMixin, CursorListView, APIView):
    """The brand's history of team changes, newest first."""

    @extend_schema(
        tags=TAGS,
        summary="The brand's history",
        responses=responses({200: BrandEventSerializer(many=True)}, 400, *READ_PROBLEMS),
    )
    def get(self, request: Request, brand: str) -> Response:
        return self.paginated_response(
            request, queryset=brand_events(brand=self.brand), serializer_class=BrandEventSerializer
        )


class MemberInvitationAcceptView(APIView):
    """Join a brand's team from an invitation: only a user with the invited email may."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["account"],
        summary="Accept an invitation to a brand's team",
        description=(
            "Refusals: 404 `invitation_not_found`; 409 `invitation_used`, `invitation_expired`, "
            "`invitation_revoked`, `already_member`; 403 `invitation_email_mismatch`."
        ),
        request=None,
        responses=responses({201: MemberSerializer}, *(400, 401, 403, 404, 409, 415, 422)),
    )
    @idempotent
    def post(self, request: Request, token: str) -> Response:
        membership = brand_member_invitation_accept(token=token, user=_actor(request))
        data = dict(MemberSerializer(membership).data)
        data["brand"] = membership.brand.slug
        return Response(data, status=status.HTTP_201_CREATED)
