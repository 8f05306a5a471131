"""A soak on PostgreSQL: clients in real threads work one brand's orders at random for a while.

Each client has its own database connection and picks operations at random: open carts, set
lines, place orders, return orders to the cart, order returned carts again, create, confirm,
approve and reject OCs, write delivery notes and invoices, reject orders. Refusals (a
`DomainError` with its code) are expected and counted; any other exception is a violation.
Afterwards the whole database is checked against the invariants, and the real task worker sends
every queued email to an SMTP server in this process, each exactly once.

`SOAK_SECONDS` (default 10), `SOAK_CLIENTS` (default 8) and `SOAK_SEED` tune a run.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from linesheet.accounts.models import BuyerOrganization, User
from linesheet.catalog.models import Catalog
from linesheet.core.errors import DomainError
from linesheet.documents import services as documents
from linesheet.documents.models import DeliveryNote
from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.notifications.order_emails import MESSAGES
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Cart, Order, OrderEvent, OrderLine
from linesheet.ordering.services import (
    OrderHeader,
    cart_create,
    cart_delete,
    cart_set_lines,
    cart_take_oc_quantities,
    cart_update,
    order_archive,
    order_place,
    order_place_for_buyer,
    order_reject,
    order_return_to_cart,
    order_set_tags,
)
from linesheet.ordering.statuses import (
    LIVE_STATUSES,
    OrderStatus,
    can_transition,
)
from tests import factories
from tests.smtp_inbox import SmtpInbox

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "10"))
SOAK_CLIENTS = int(os.environ.get("SOAK_CLIENTS", "8"))
SOAK_SEED = int(os.environ.get("SOAK_SEED", "20270301"))
# Worker processes delivering the emails while the clients work (the rest is sent afterwards).
SOAK_WORKERS = int(os.environ.get("SOAK_WORKERS", "2"))
LINESHEET = Path(sys.executable).with_name("linesheet")
# A bound on the loop besides the clock, so a client that stops waiting cannot spin forever.
MAX_OPERATIONS_PER_CLIENT = 50_000
ORGANIZATIONS = 6
CATALOGS = 3
SKUS_PER_CATALOG = 4

# Event types that a successful operation writes, to compare with what the database holds.
E = OrderEventType


@dataclass
class World:
    brand: Any
    owner: User
    organizations: list[BuyerOrganization]
    member_of: dict[int, User]
    catalogs: list[Catalog]
    sku_numbers: dict[int, list[str]]


@dataclass
class Tally:
    """What one client did: operations by kind, events written, refusals by code, failures."""

    operations: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        self.operations.update(other.operations)
        self.events.update(other.events)
        self.refusals.update(other.refusals)
        self.failures.extend(other.failures)


def build_world() -> World:
    brand = factories.make_brand(name="Soak")
    owner = factories.make_member(brand=brand)
    organizations, member_of = [], {}
    for index in range(ORGANIZATIONS):
        user = factories.make_user()
        buyer = factories.make_connected_buyer(
            brand=brand, members=[user], recipients=[f"orders{index}@shop.test"]
        )
        assert buyer.organization is not None
        organizations.append(buyer.organization)
        member_of[buyer.organization.pk] = user
    catalogs = [factories.make_catalog(brand=brand, skus=SKUS_PER_CATALOG) for _ in range(CATALOGS)]
    world = World(
        brand=brand,
        owner=owner,
        organizations=organizations,
        member_of=member_of,
        catalogs=catalogs,
        sku_numbers={catalog.pk: factories.sku_numbers(catalog) for catalog in catalogs},
    )
    # Every organisation starts with an order in two catalogs and an empty cart in the third.
    for index, organization in enumerate(organizations):
        buyer = organization.buyer_records.get()
        for offset in (0, 1):
            catalog = catalogs[(index + offset) % CATALOGS]
            factories.make_order(buyer=buyer, catalog=catalog, user=member_of[organization.pk])
        cart_create(organization=organization, catalog=catalogs[(index + 2) % CATALOGS])
    return world


# --- Picking rows at random ------------------------------------------------------------------


def pick_order(
    world: World, rng: random.Random, *, live_share: float = 0.85
) -> tuple[int, int] | None:
    """Return (order id, organisation id) of a random order: live ones `live_share` of the
    time, the others among all orders (terminal ones included, to be refused)."""
    orders = Order.objects.filter(brand=world.brand)
    if rng.random() < live_share:
        orders = orders.filter(status__in=list(LIVE_STATUSES))
    rows = list(orders.values_list("pk", "organization_id"))
    return rng.choice(rows) if rows else None


def pick_cart(world: World, rng: random.Random, *, returned: bool | None = None) -> Cart | None:
    """Return a random cart of the brand, as a request that found it a moment ago has it."""
    carts = Cart.objects.filter(brand=world.brand)
    if returned is not None:
        carts = carts.filter(returned_by_brand=returned)
    ids = list(carts.values_list("pk", flat=True))
    if not ids:
        return None
    return Cart.objects.select_related("catalog", "organization").filter(pk=rng.choice(ids)).first()


# --- The operations: each returns the events it wrote, or None when it found nothing to do ----

Operation = Callable[[World, random.Random], "list[str] | None"]


def open_cart(world: World, rng: random.Random) -> list[str] | None:
    cart_create(organization=rng.choice(world.organizations), catalog=rng.choice(world.catalogs))
    return []


def set_lines(world: World, rng: random.Random) -> list[str] | None:
    cart = pick_cart(world, rng)
    if cart is None:
        return None
    numbers = rng.sample(world.sku_numbers[cart.catalog_id], k=rng.randint(1, 3))
    cart_set_lines(cart=cart, quantities={number: rng.randint(1, 24) for number in numbers})
    return []


def update_cart(world: World, rng: random.Random) -> list[str] | None:
    cart = pick_cart(world, rng)
    if cart is None:
        return None
    cart_update(cart=cart, comment=f"Soak note {rng.randint(1, 999)}")
    return []


def delete_cart(world: World, rng: random.Random) -> list[str] | None:
    # Returned carts are kept, so every returned order ends in its cart or its new order.
    cart = pick_cart(world, rng, returned=False)
    if cart is None:
        return None
    cart_delete(cart=cart)
    return []


def place(world: World, rng: random.Random, *, returned: bool = False) -> list[str] | None:
    cart = pick_cart(world, rng, returned=returned)
    if cart is None:
        return None
    order_place(
        cart_id=cart.pk,
        organization=cart.organization,
        placed_by=world.member_of[cart.organization_id],
    )
    return [E.PLACED, E.REPLACED] if returned else [E.PLACED]


def reorder(world: World, rng: random.Random) -> list[str] | None:
    return place(world, rng, returned=True)


def return_to_cart(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    order_return_to_cart(
        order_id=picked[0],
        actor=world.owner,
        notify=rng.random() < 0.3,
        message=rng.choice(["", "Please split the order by delivery month."]),
    )
    return [E.RETURNED_TO_CART]


def create_oc(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    lines = OrderLine.objects.filter(order_id=picked[0]).values_list("sku_number", "quantity")
    quantities = {number: max(0, quantity + rng.randint(-2, 2)) for number, quantity in lines}
    if not any(quantities.values()):
        quantities[next(iter(quantities))] = 1
    _confirmation, created = documents.confirmation_save(
        order_id=picked[0],
        quantities=quantities,
        allow_buyer_approval=rng.random() < 0.5,
        actor=world.owner,
        notify=rng.random() < 0.2,
    )
    return [E.OC_CREATED if created else E.OC_UPDATED]


def confirm_oc(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    documents.confirmation_confirm(order_id=picked[0], actor=world.owner, notify=rng.random() < 0.2)
    return [E.OC_CONFIRMED]


def buyer_answers_oc(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    order_id, organization_id = picked
    organization = next(o for o in world.organizations if o.pk == organization_id)
    user = world.member_of[organization_id]
    if rng.random() < 0.7:
        documents.confirmation_approve(order_id=order_id, organization=organization, actor=user)
        return [E.OC_APPROVED]
    documents.confirmation_reject(
        order_id=order_id, organization=organization, actor=user, note="Too many"
    )
    return [E.OC_REJECTED]


def reopen_oc(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    documents.confirmation_reopen(order_id=picked[0], actor=world.owner, notify=False)
    return [E.OC_REOPENED]


def delivery_note(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    documents.delivery_note_create(order_id=picked[0], actor=world.owner)
    return [E.DELIVERY_NOTE_CREATED]


def invoice(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    documents.invoice_create(order_id=picked[0], actor=world.owner)
    return [E.INVOICE_CREATED]


def reject(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    order_reject(order_id=picked[0], actor=world.owner, notify=rng.random() < 0.3, message="No")
    return [E.REJECTED]


def proxy_order(world: World, rng: random.Random) -> list[str] | None:
    organization = rng.choice(world.organizations)
    catalog = rng.choice(world.catalogs)
    numbers = rng.sample(world.sku_numbers[catalog.pk], k=rng.randint(1, 3))
    order_place_for_buyer(
        buyer=organization.buyer_records.get(brand=world.brand),
        catalog=catalog,
        quantities={number: rng.randint(1, 12) for number in numbers},
        header=OrderHeader(comment="By phone"),
        placed_by=world.owner,
    )
    return [E.PLACED]


def take_oc_quantities(world: World, rng: random.Random) -> list[str] | None:
    cart = pick_cart(world, rng, returned=True)
    if cart is None:
        return None
    cart_take_oc_quantities(cart=cart)
    return []


def backlog_skus(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng)
    if picked is None:
        return None
    documents.backlog_skus_create(order_id=picked[0], actor=world.owner)
    return [E.BACKLOG_SKUS_CREATED]


class NotFound(DomainError):
    """What the API answers 404 to: the row a request named is gone."""

    status = 404


def delete_delivery_note(world: World, rng: random.Random) -> list[str] | None:
    ids = list(DeliveryNote.objects.filter(brand=world.brand).values_list("pk", flat=True))
    if not ids:
        return None
    try:
        documents.delivery_note_delete(delivery_note_id=rng.choice(ids), actor=world.owner)
    except DeliveryNote.DoesNotExist as exc:  # deleted meanwhile; the API answers 404
        raise NotFound("not_found") from exc
    return [E.DELIVERY_NOTE_DELETED]


def set_tags(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng, live_share=0.5)
    if picked is None:
        return None
    names = rng.sample(["rush", "vip", "check stock", "hold"], k=rng.randint(0, 2))
    order_set_tags(order_id=picked[0], actor=world.owner, names=names)
    return [E.TAGS_CHANGED]  # at most: no event when the tags were those already


def archive(world: World, rng: random.Random) -> list[str] | None:
    picked = pick_order(world, rng, live_share=0.2)
    if picked is None:
        return None
    order_archive(order_id=picked[0], actor=world.owner)
    return [E.ARCHIVED]  # at most: archiving an archived order changes nothing


# Events an operation writes only when it changes something: counted as "at most".
AT_MOST_ONE_EVENT = {E.TAGS_CHANGED, E.ARCHIVED}

OPERATIONS: dict[str, tuple[Operation, int]] = {
    "open_cart": (open_cart, 8),
    "set_lines": (set_lines, 10),
    "update_cart": (update_cart, 3),
    "delete_cart": (delete_cart, 2),
    "place": (place, 10),
    "reorder": (reorder, 8),
    "return": (return_to_cart, 14),
    "create_oc": (create_oc, 10),
    "confirm_oc": (confirm_oc, 6),
    "buyer_answers_oc": (buyer_answers_oc, 4),
    "reopen_oc": (reopen_oc, 2),
    "delivery_note": (delivery_note, 4),
    "invoice": (invoice, 3),
    "reject": (reject, 2),
    "proxy_order": (proxy_order, 3),
    "take_oc_quantities": (take_oc_quantities, 2),
    "backlog_skus": (backlog_skus, 2),
    "delete_delivery_note": (delete_delivery_note, 2),
    "set_tags": (set_tags, 2),
    "archive": (archive, 2),
}


def refusal_code(error: DomainError) -> str:
    """Name a refusal by its code; a refused return by its first blocker too."""
    blockers = error.params.get("blockers")
    if error.code == "not_returnable" and blockers:
        return f"not_returnable:{blockers[0]['code']}"
    return error.code


def client(world: World, seed: int, deadline: float, barrier: threading.Barrier) -> Tally:
    """Run random operations until the deadline, on this thread's own connection."""
    rng = random.Random(seed)
    names = list(OPERATIONS)
    weights = [OPERATIONS[name][1] for name in names]
    tally = Tally()
    try:
        barrier.wait(timeout=30)
        for _ in range(MAX_OPERATIONS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            [name] = rng.choices(names, weights)
            try:
                written = OPERATIONS[name][0](world, rng)
            except DomainError as refusal:
                tally.operations[name] += 1
                tally.refusals[refusal_code(refusal)] += 1
            except Exception as exc:
                tally.operations[name] += 1
                tally.failures.append(
                    f"{name}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
                )
            else:
                if written is not None:
                    tally.operations[name] += 1
                    tally.events.update(written)
    finally:
        connection.close()
    return tally


def run_clients(world: World, *, clients: int, seconds: float) -> Tally:
    barrier = threading.Barrier(clients)
    deadline = time.monotonic() + seconds
    tallies: list[Tally | None] = [None] * clients

    def work(index: int) -> None:
        tallies[index] = client(world, SOAK_SEED + index, deadline + 0.5, barrier)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    total = Tally()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    for index, (thread, tally) in enumerate(zip(threads, tallies, strict=True)):
        if thread.is_alive() or tally is None:
            total.failures.append(f"client {index} did not finish")
        else:
            total.merge(tally)
    return total


# --- The invariants --------------------------------------------------------------------------

STATUS_CHANGING = {
    E.OC_CREATED,
    E.OC_APPROVED,
    E.OC_REJECTED,
    E.OC_CONFIRMED,
    E.OC_REOPENED,
    E.REJECTED,
    E.RETURNED_TO_CART,
}


def one_cart_per_organization_and_catalog() -> list[str]:
    duplicates = (
        Cart.objects.values("organization_id", "catalog_id").annotate(n=Count("id")).filter(n__gt=1)
    )
    return [f"{row['n']} carts for {row}" for row in duplicates]


def order_codes_unique_per_brand() -> list[str]:
    duplicates = Order.objects.values("brand_id", "code").annotate(n=Count("id")).filter(n__gt=1)
    return [f"order code used {row['n']} times: {row}" for row in duplicates]


def returned_orders_end_in_one_cart_or_one_new_order() -> list[str]:
    violations = []
    carts = Counter(
        Cart.objects.filter(source_order__isnull=False).values_list("source_order_id", flat=True)
    )
    replacements = Counter(
        Order.objects.filter(replaces__isnull=False).values_list("replaces_id", flat=True)
    )
    returned = set(
        Order.objects.filter(status=OrderStatus.RETURNED_TO_CART).values_list("pk", flat=True)
    )
    for order_id in returned:
        if carts[order_id] + replacements[order_id] != 1:
            violations.append(
                f"returned order {order_id}: {carts[order_id]} cart(s), "
                f"{replacements[order_id]} new order(s)"
            )
    for order_id in (set(carts) | set(replacements)) - returned:
        violations.append(
            f"order {order_id} has a returned cart or a new order but is not returned"
        )
    returned_flags = Cart.objects.filter(returned_by_brand=True, source_order__isnull=True)
    violations += [f"cart {cart.pk} returned by brand without its order" for cart in returned_flags]
    return violations


def every_status_change_has_its_event() -> list[str]:
    """Replay each order's events: each status event follows on from the one before, along
    TRANSITIONS, and the last one is the order's status now."""
    violations = []
    statuses = dict(Order.objects.values_list("pk", "status"))
    current: dict[int, str] = {}
    for order_id, event_type, details in OrderEvent.objects.order_by("order_id", "id").values_list(
        "order_id", "type", "details"
    ):
        if event_type == E.PLACED:
            if order_id in current:
                violations.append(f"order {order_id} placed twice")
            current[order_id] = OrderStatus.AWAITING_OC
            continue
        if "status" not in details:
            if event_type in STATUS_CHANGING - {E.OC_CREATED}:
                violations.append(f"order {order_id}: {event_type} event without a status")
            continue
        before = current.get(order_id)
        if details.get("previous") != before or not can_transition(before, details["status"]):
            violations.append(
                f"order {order_id}: {event_type} says {details.get('previous')} -> "
                f"{details['status']}, but the order was {before}"
            )
        current[order_id] = details["status"]
    for order_id, status in statuses.items():
        if current.get(order_id) != status:
            violations.append(
                f"order {order_id} is {status}; its events end at {current.get(order_id)}"
            )
    return violations


def event_counts() -> Counter[str]:
    """Count the order events by type, leaving out those the email worker writes."""
    rows = (
        OrderEvent.objects.exclude(type__in=[E.EMAIL_SENT, E.EMAIL_FAILED])
        .values_list("type")
        .annotate(n=Count("id"))
    )
    return Counter(dict(rows))


def events_match_the_operations(baseline: Counter[str], tally: Tally) -> list[str]:
    """Every operation that succeeded wrote its event, and nothing else wrote one."""
    written = event_counts() - baseline
    exact = {t: n for t, n in written.items() if t not in AT_MOST_ONE_EVENT}
    expected = {t: n for t, n in tally.events.items() if t not in AT_MOST_ONE_EVENT and n}
    violations = []
    if exact != expected:
        violations.append(f"events written {exact} != operations that succeeded {expected}")
    for event_type in AT_MOST_ONE_EVENT:
        if written[event_type] > tally.events[event_type]:
            violations.append(
                f"{written[event_type]} {event_type} events for {tally.events[event_type]} calls"
            )
    return violations


def one_email_per_notifying_event() -> list[str]:
    notifying = set(
        OrderEvent.objects.filter(type__in=list(MESSAGES), details__notify=True).values_list(
            "pk", flat=True
        )
    )
    # An order placed again tells the member who returned it, whom its event names.
    notifying |= set(
        OrderEvent.objects.filter(type=E.REPLACED, details__has_key="notify_member").values_list(
            "pk", flat=True
        )
    )
    references = Counter(OutboundEmail.objects.values_list("reference", flat=True))
    violations = [f"{ref} has {n} emails" for ref, n in references.items() if n > 1]
    queued = {int(ref.split(":")[1]) for ref in references if ref.startswith("order_event:")}
    if queued != notifying:
        violations.append(
            f"events that notify without an email: {sorted(notifying - queued)[:10]}; "
            f"emails without such an event: {sorted(queued - notifying)[:10]}"
        )
    return violations


def text_part(message: Message) -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8").replace("\r\n", "\n").strip()


def each_email_delivered_once(inbox: SmtpInbox) -> list[str]:
    """Compare what the SMTP server received with the outbox, message for message."""
    violations = []
    emails = list(OutboundEmail.objects.all())
    not_sent = [(e.pk, e.status, e.attempts) for e in emails if e.status != EmailStatus.SENT]
    if not_sent:
        violations.append(f"emails not sent: {not_sent[:10]}")
    sent_twice = [(e.pk, e.attempts) for e in emails if e.attempts != 1]
    if sent_twice:
        violations.append(f"emails with more than one attempt: {sent_twice[:10]}")
    outbox = Counter(
        (e.subject, ", ".join(e.to), e.body_text.replace("\r\n", "\n").strip()) for e in emails
    )
    received = Counter((str(m["Subject"]), str(m["To"]), text_part(m)) for m in inbox.messages)
    if outbox != received:
        violations.append(
            f"{len(inbox.messages)} messages received for {len(emails)} outbox rows: "
            f"{sum((outbox - received).values())} missing, "
            f"{sum((received - outbox).values())} extra"
        )
    ids = Counter(str(m["Message-ID"]) for m in inbox.messages)
    violations += [f"Message-ID {mid} received {n} times" for mid, n in ids.items() if n > 1]
    sent_events = OrderEvent.objects.filter(type=E.EMAIL_SENT).count()
    if sent_events != len(emails):
        violations.append(f"{sent_events} email_sent events for {len(emails)} emails")
    return violations


def worker_database_url() -> str:
    """Return the URL of the test database, for worker processes to use."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = db["PORT"] or 5432
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port}/{db['NAME']}"


@contextmanager
def workers_alongside(*, count: int, smtp_port: int, log_dir: Path) -> Iterator[None]:
    """Run `linesheet db_worker` processes on the test database while the block runs.

    On leaving, each is asked to stop (SIGTERM: it finishes the task in hand) and waited for.
    """
    env = dict(
        os.environ,
        DATABASE_URL=worker_database_url(),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        LINESHEET_VAR_DIR=str(log_dir),
        DEBUG="false",
    )
    command = [str(LINESHEET), "db_worker", "--no-startup-delay", "--no-reload", "--interval=0.2"]
    logs = [(log_dir / f"worker{index}.log").open("w") for index in range(count)]
    workers = [
        subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT) for log in logs
    ]
    try:
        yield
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        for log in logs:
            log.close()


def test_soak_of_random_concurrent_operations_keeps_every_invariant(
    smtp_server: SmtpInbox, run_worker: Any, tmp_path: Path
) -> None:
    # The workers start first: their start-up overlaps with building the world.
    with workers_alongside(count=SOAK_WORKERS, smtp_port=smtp_server.port, log_dir=tmp_path):
        world = build_world()
        baseline = event_counts()
        started = time.monotonic()
        tally = run_clients(world, clients=SOAK_CLIENTS, seconds=SOAK_SECONDS)
        elapsed = time.monotonic() - started
    sent_alongside = len(smtp_server.messages)

    violations = [
        *tally.failures,
        *one_cart_per_organization_and_catalog(),
        *order_codes_unique_per_brand(),
        *returned_orders_end_in_one_cart_or_one_new_order(),
        *every_status_change_has_its_event(),
        *events_match_the_operations(baseline, tally),
        *one_email_per_notifying_event(),
    ]
    # A worker stopped between claiming a task and starting it leaves the task RUNNING (it
    # exits at once when it holds no task yet): with every worker gone, that is the abandoned
    # task the documented recovery requeues.
    call_command("requeue_stale_tasks", "--older-than", "0", stdout=io.StringIO())
    run_worker()  # what the worker processes left in the queue
    violations += each_email_delivered_once(smtp_server)

    operations = sum(tally.operations.values())
    print(
        f"\nsoak: clients={SOAK_CLIENTS} seconds={elapsed:.1f} operations={operations} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(tally.operations.items()))}) "
        f"refusals={sum(tally.refusals.values())} "
        f"({', '.join(f'{k} {v}' for k, v in tally.refusals.most_common())}) "
        f"orders={Order.objects.count()} "
        f"returned={Order.objects.filter(status=OrderStatus.RETURNED_TO_CART).count()} "
        f"emails={len(smtp_server.messages)} ({sent_alongside} by {SOAK_WORKERS} workers "
        f"alongside) violations={len(violations)}"
    )
    assert not violations, "\n".join(violations[:20])
    assert operations > 0
    assert tally.events[E.RETURNED_TO_CART] > 0 and tally.events[E.REPLACED] > 0
