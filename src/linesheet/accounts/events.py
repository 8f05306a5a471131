"""What accounts announce to the apps above them, inside the change's own transaction."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that creates the invitation, with `invitation`, so what
# listeners write (the invitation email in the outbox) commits or rolls back with it.
invitation_created = Signal()

# The same for an invitation to a brand's team or to a buyer organisation, with `invitation`
# and `token` (the link's secret, which the database keeps only as a digest).
member_invitation_created = Signal()
organization_invitation_created = Signal()
