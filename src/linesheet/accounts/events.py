"""What accounts announce to the apps above them, inside the change's own transaction."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that creates the invitation, with `invitation`, so what
# listeners write (the invitation email in the outbox) commits or rolls back with it.
invitation_created = Signal()
