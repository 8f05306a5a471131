from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connections, transaction

from linesheet.accounts.models import Buyer, Invitation
from linesheet.accounts.services import invitation_create
from linesheet.api.models import IdempotencyKey
from linesheet.catalog.models import Catalog
from tests import factories
from tests.integration.api.conftest import client_for

CATALOGS = "/api/v1/brands/atelier/catalogs"


def _post(client: Any, body: Any, key: str = "key-1", path: str = CATALOGS) -> Any:
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_the_same_key_and_body_replay_the_first_response(
    brand: Any, owner: Any, as_user: Any
) -> None:
    client = as_user(owner)
    first = _post(client, {"name": "Spring", "code": "SS27"})

    again = _post(client, {"name": "Spring", "code": "SS27"})

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Catalog.objects.count() == 1


@pytest.mark.django_db
def test_the_same_body_in_another_key_order_and_spacing_is_the_same_request(
    brand: Any, owner: Any, as_user: Any
) -> None:
    client = as_user(owner)
    _post(client, {"name": "Spring", "code": "SS27"})

    again = client.post(
        CATALOGS,
        '{ "code": "SS27",   "name": "Spring" }',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Catalog.objects.count() == 1


@pytest.mark.django_db
def test_the_replay_is_the_first_response_even_after_the_data_changed(
    brand: Any, owner: Any, as_user: Any
) -> None:
    client = as_user(owner)
    first = _post(client, {"name": "Spring", "code": "SS27"})
    client.patch(f"{CATALOGS}/{first.json()['id']}", {"name": "Renamed"}, format="json")

    again = _post(client, {"name": "Spring", "code": "SS27"})

    assert again.json()["name"] == "Spring"


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_nothing_changes(
    brand: Any, owner: Any, as_user: Any, database_state: Any
) -> None:
    client = as_user(owner)
    _post(client, {"name": "Spring", "code": "SS27"})
    before = database_state()

    response = _post(client, {"name": "Autumn", "code": "AW27"})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"
    assert database_state() == before


@pytest.mark.django_db
def test_the_same_key_on_another_endpoint_is_refused(brand: Any, owner: Any, as_user: Any) -> None:
    client = as_user(owner)
    _post(client, {"name": "Spring", "code": "SS27"})

    response = _post(client, {"name": "Spring"}, path="/api/v1/brands/atelier/buyers")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not Buyer.objects.exists()


@pytest.mark.django_db
def test_keys_belong_to_one_user(brand: Any, owner: Any, as_user: Any) -> None:
    colleague = factories.make_member(brand=brand, role="staff")
    _post(as_user(owner), {"name": "Spring", "code": "SS27"})

    response = _post(as_user(colleague), {"name": "Autumn", "code": "AW27"})

    assert response.status_code == 201
    assert Catalog.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_keeps_no_key_so_a_corrected_retry_runs(
    brand: Any, owner: Any, as_user: Any
) -> None:
    factories.make_catalog(brand=brand, code="SS27")
    client = as_user(owner)

    refused = _post(client, {"name": "Spring", "code": "SS27"})
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()

    Catalog.objects.filter(code="SS27").update(code="OLD")
    retried = _post(client, {"name": "Spring", "code": "SS27"})

    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried


@pytest.mark.django_db
def test_a_patch_with_a_key_replays_too(brand: Any, owner: Any, as_user: Any) -> None:
    catalog = factories.make_catalog(brand=brand, name="Spring")
    client = as_user(owner)
    path = f"{CATALOGS}/{catalog.pk}"

    first = client.patch(path, {"name": "Summer"}, format="json", HTTP_IDEMPOTENCY_KEY="p1")
    again = client.patch(path, {"name": "Summer"}, format="json", HTTP_IDEMPOTENCY_KEY="p1")
    other = client.patch(path, {"name": "Winter"}, format="json", HTTP_IDEMPOTENCY_KEY="p1")

    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 422)
    assert again.json() == first.json()


@pytest.mark.django_db
def test_accepting_an_invitation_twice_with_one_key_replays_the_connection(
    brand: Any, owner: Any, as_user: Any
) -> None:
    invitation = invitation_create(brand=brand, email="s@shop.test", created_by=owner, name="S")
    client = as_user(factories.make_user(email="s@shop.test"))
    path = f"/api/v1/invitations/{invitation.token}/accept"

    first = _post(client, {"new_organization": "Shop"}, key="accept-1", path=path)
    again = _post(client, {"new_organization": "Shop"}, key="accept-1", path=path)
    without_key = client.post(path, {"new_organization": "Shop"}, format="json")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert without_key.json()["code"] == "invitation_used"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
def test_an_empty_or_overlong_key_is_invalid(
    brand: Any, owner: Any, as_user: Any, key: str
) -> None:
    response = _post(as_user(owner), {"name": "Spring", "code": "SS27"}, key=key)

    assert response.status_code == 400
    assert response.json()["errors"]["Idempotency-Key"][0]["code"] == "invalid"
    assert not Catalog.objects.exists()


@pytest.mark.django_db
def test_without_a_key_every_request_runs(brand: Any, owner: Any, as_user: Any) -> None:
    client = as_user(owner)

    client.post(CATALOGS, {"name": "Spring", "code": "SS27"}, format="json")
    client.post(CATALOGS, {"name": "Spring", "code": "SS28"}, format="json")

    assert Catalog.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_run_the_operation_once() -> None:
    """The second request waits on the key's unique index, then replays the first's answer.

    The invitation row is held locked, so the first request stops inside the operation after
    inserting its key; the second is then sure to arrive while the first is still running.
    """
    brand = factories.make_brand(slug="atelier")
    owner = factories.make_member(brand=brand)
    invitation = invitation_create(brand=brand, email="s@shop.test", created_by=owner, name="S")
    user = factories.make_user(email="s@shop.test")
    clients = [client_for(user), client_for(user)]  # the tokens exist before the threads start
    path = f"/api/v1/invitations/{invitation.token}/accept"
    responses: list[Any] = []
    barrier = threading.Barrier(2)

    def accept(client: Any) -> None:
        try:
            barrier.wait()
            responses.append(_post(client, {"new_organization": "Shop"}, "k", path))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(client,)) for client in clients]
    with transaction.atomic():
        Invitation.objects.select_for_update().get(pk=invitation.pk)
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # both requests are now waiting: one on the invitation, one on the key
        assert responses == []
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in responses) == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sorted(r.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]
    assert Buyer.objects.get().organization is not None
    assert IdempotencyKey.objects.count() == 1
