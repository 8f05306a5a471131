from __future__ import annotations

from typing import Any

import pytest

from linesheet.accounts.services import invitation_create
from linesheet.notifications.models import EmailStatus, OutboundEmail

pytestmark = pytest.mark.django_db


def test_an_invitation_email_is_delivered_over_smtp_by_the_worker(
    brand: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    invitation = invitation_create(
        brand=brand, email="shop@example.test", created_by=owner, name="Shop"
    )

    assert smtp_server.messages == []  # nothing is sent until the worker runs
    run_worker()

    [message] = smtp_server.messages
    assert message["To"] == "shop@example.test"
    assert "Atelier" in message["Subject"]
    assert (
        f"/invitations/{invitation.token}/"
        in message.get_payload(0).get_payload(decode=True).decode()
    )
    assert OutboundEmail.objects.get().status == EmailStatus.SENT
