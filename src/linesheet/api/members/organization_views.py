"""A buyer organisation's team and address book in the API."""

from __future__ import annotations

from typing import Any, cast

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from linesheet.accounts.models import OrganizationMemberInvitation, User
from linesheet.accounts.organization_members import (
    organization_address_add,
    organization_address_make_default,
    organization_address_remove,
    organization_address_update,
    organization_member_invitation_accept,
    organization_member_invitation_resend,
    organization_member_invitation_revoke,
    organization_member_invite,
    organization_member_remove,
)
from linesheet.accounts.selectors import (
    organization_addresses,
    organization_events,
    organization_member_invitations_open,
    organization_members,
)
from linesheet.api.base import parsed
from linesheet.api.idempotency import idempotent
from linesheet.api.members.serializers import (
    AddressChangeSerializer,
    AddressInputSerializer,
    AddressSerializer,
    OrganizationEventSerializer,
    OrganizationInvitationInputSerializer,
    OrganizationInvitationSerializer,
    OrganizationMemberSerializer,
    SentOrganizationInvitationSerializer,
)
from linesheet.api.pagination import CursorListView
from linesheet.api.parsers import JSONParser
from linesheet.api.schema import responses
from linesheet.api.tenancy import OrganizationScopedMixin
from linesheet.notifications.services import absolute_url

TAGS = ["buyer: organisation"]
READ_PROBLEMS = (401, 404)
WRITE_PROBLEMS = (400, 401, 404, 409, 415, 422)


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _sent(invitation: OrganizationMemberInvitation, token: str) -> dict[str, Any]:
    data = dict(OrganizationInvitationSerializer(invitation).data)
    data["accept_url"] = absolute_url(reverse("organization-invitation-accept", args=[token]))
    return data


class OrganizationMemberListView(OrganizationScopedMixin, CursorListView, APIView):
    """The organisation's members."""

    @extend_schema(
        tags=TAGS,
        summary="List the organisation's members",
        responses=responses({200: OrganizationMemberSerializer(many=True)}, 400, *READ_PROBLEMS),
    )
    def get(self, request: Request, org: int) -> Response:
        return self.paginated_response(
            request,
            queryset=organization_members(organization=self.organization),
            serializer_class=OrganizationMemberSerializer,
        )


class OrganizationMemberDetailView(OrganizationScopedMixin, APIView):
    """Remove a member; removing oneself is leaving."""

    @extend_schema(
        tags=TAGS,
        summary="Remove a member (or leave)",
        description="Refusals: 409 `last_member` (the last member cannot leave); 404.",
        responses=responses({204: OpenApiResponse(description="Removed.")}, *WRITE_PROBLEMS),
    )
    def delete(self, request: Request, org: int, member_id: int) -> Response:
        organization_member_remove(
            organization=self.organization, actor=_actor(request), member_id=member_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganizationInvitationListView(OrganizationScopedMixin, CursorListView, APIView):
    """The invitations waiting for an answer; POST invites an email."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="List the waiting invitations",
        responses=responses(
            {200: OrganizationInvitationSerializer(many=True)}, 400, *READ_PROBLEMS
        ),
    )
    def get(self, request: Request, org: int) -> Response:
        return self.paginated_response(
            request,
            queryset=organization_member_invitations_open(organization=self.organization),
            serializer_class=OrganizationInvitationSerializer,
        )

    @extend_schema(
        tags=TAGS,
        summary="Invite a colleague to the organisation",
        description="Refusals: 409 `already_member`, `invitation_pending` (resend it).",
        request=OrganizationInvitationInputSerializer,
        responses=responses({201: SentOrganizationInvitationSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, org: int) -> Response:
        data = parsed(OrganizationInvitationInputSerializer, request)
        invitation, token = organization_member_invite(
            organization=self.organization, actor=_actor(request), email=data["email"]
        )
        return Response(_sent(invitation, token), status=status.HTTP_201_CREATED)


class OrganizationInvitationDetailView(OrganizationScopedMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="Withdraw an invitation",
        description="Refusals: 409 `invitation_closed`; 404.",
        responses=responses({204: OpenApiResponse(description="Withdrawn.")}, *WRITE_PROBLEMS),
    )
    def delete(self, request: Request, org: int, invitation_id: int) -> Response:
        organization_member_invitation_revoke(
            organization=self.organization, actor=_actor(request), invitation_id=invitation_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganizationInvitationResendView(OrganizationScopedMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Resend an invitation",
        description="A new link; the previous one stops working. Refusals: 409 "
        "`invitation_closed`; 404.",
        request=None,
        responses=responses({200: SentOrganizationInvitationSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, org: int, invitation_id: int) -> Response:
        invitation, token = organization_member_invitation_resend(
            organization=self.organization, actor=_actor(request), invitation_id=invitation_id
        )
        return Response(_sent(invitation, token))


class AddressListView(OrganizationScopedMixin, APIView):
    """The organisation's delivery and billing addresses; POST adds one."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="List the addresses",
        responses=responses({200: AddressSerializer(many=True)}, *READ_PROBLEMS),
    )
    def get(self, request: Request, org: int) -> Response:
        addresses = organization_addresses(organization_id=self.organization.pk)
        return Response(AddressSerializer(addresses, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add an address",
        description="The first of its kind becomes the default. A cart takes a copy of an "
        "address's text (`PATCH carts/{id}` with `delivery_address_id`, `billing_address_id`).",
        request=AddressInputSerializer,
        responses=responses({201: AddressSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def post(self, request: Request, org: int) -> Response:
        data = parsed(AddressInputSerializer, request)
        address = organization_address_add(
            organization=self.organization,
            actor=_actor(request),
            kind=data["kind"],
            text=data["text"],
            label=data["name"],
            is_default=data["is_default"],
        )
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetailView(OrganizationScopedMixin, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Change an address, or make it the default",
        description="Carts and orders keep the text they were given.",
        request=AddressChangeSerializer,
        responses=responses({200: AddressSerializer}, *WRITE_PROBLEMS),
    )
    @idempotent
    def patch(self, request: Request, org: int, address_id: int) -> Response:
        data = parsed(AddressChangeSerializer, request)
        actor = _actor(request)
        address = None
        if "text" in data or "name" in data:
            current = organization_addresses(organization_id=self.organization.pk).filter(
                pk=address_id
            )
            known = current.first()
            address = organization_address_update(
                organization=self.organization,
                actor=actor,
                address_id=address_id,
                text=data.get("text", known.text if known else ""),
                label=data.get("name", known.label if known else ""),
            )
        if data.get("is_default"):
            address = organization_address_make_default(
                organization=self.organization, actor=actor, address_id=address_id
            )
        if address is None:
            address = (
                organization_addresses(organization_id=self.organization.pk)
                .filter(pk=address_id)
                .first()
            )
        if address is None:
            raise NotFound()
        return Response(AddressSerializer(address).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove an address",
        description="A default hands over to the oldest other address of its kind.",
        responses=responses({204: OpenApiResponse(description="Removed.")}, *WRITE_PROBLEMS),
    )
    def delete(self, request: Request, org: int, address_id: int) -> Response:
        organization_address_remove(
            organization=self.organization, actor=_actor(request), address_id=address_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganizationHistoryView(OrganizationScopedMixin, CursorListView, APIView):
    @extend_schema(
        tags=TAGS,
        summary="The organisation's history",
        responses=responses({200: OrganizationEventSerializer(many=True)}, 400, *READ_PROBLEMS),
    )
    def get(self, request: Request, org: int) -> Response:
        return self.paginated_response(
            request,
            queryset=organization_events(organization=self.organization),
            serializer_class=OrganizationEventSerializer,
        )


class OrganizationInvitationAcceptView(APIView):
    """Join a buyer organisation from an invitation: only the invited email may."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["account"],
        summary="Accept an invitation to a buyer organisation",
        description="Refusals: 404 `invitation_not_found`; 409 `invitation_used`, "
        "`invitation_expired`, `invitation_revoked`, `already_member`; 403 "
        "`invitation_email_mismatch`.",
        request=None,
        responses=responses(
            {201: OrganizationMemberSerializer}, *(400, 401, 403, 404, 409, 415, 422)
        ),
    )
    @idempotent
    def post(self, request: Request, token: str) -> Response:
        membership = organization_member_invitation_accept(token=token, user=_actor(request))
        data = dict(OrganizationMemberSerializer(membership).data)
        data["organization"] = membership.organization_id
        return Response(data, status=status.HTTP_201_CREATED)
