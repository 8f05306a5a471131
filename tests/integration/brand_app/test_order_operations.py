"""The order page's operations: OC editor, confirm, reopen, reject, documents, tags, archive."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linesheet.documents import services as documents
from linesheet.documents.models import (
    BacklogSkuList,
    DeliveryNote,
    Invoice,
    OrderConfirmation,
    PartnerInventorySlip,
)
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering import services as ordering
from linesheet.ordering.messages import MAX_MESSAGE_LENGTH
from linesheet.ordering.models import Order, OrderEvent, Tag
from tests import factories

pytestmark = pytest.mark.django_db


# --- Fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture
def catalog(brand: Any) -> Any:
    """Four SKUs; orders hold the first three, so the fourth can be added in an OC."""
    return factories.make_catalog(brand=brand, skus=4, code="SS27", name="SS27")


@pytest.fixture
def skus(catalog: Any) -> list[str]:
    return factories.sku_numbers(catalog)


@pytest.fixture
def order_in(order_in: Callable[..., Order], skus: list[str]) -> Callable[[str], Order]:
    """Orders of the first three SKUs, so an OC can add the fourth; the OC's rejection says why."""
    return functools.partial(
        order_in, quantities={n: 2 for n in skus[:3]}, rejection_note="Two of the first, please."
    )


def page_of(order: Order) -> str:
    return reverse("brand-order-detail", args=[order.brand.slug, order.code])


def url(name: str, order: Order, *args: Any) -> str:
    return reverse(f"brand-order-{name}", args=[order.brand.slug, order.code, *args])


def text_of(response: Any) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def followed(client: Client, response: Any) -> str:
    """Follow a redirect after a POST (PRG) and return the page's text."""
    assert response.status_code == 302, text_of(response)[:2000]
    return text_of(client.get(response["Location"]))


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def words(markup: str) -> str:
    """Return the text of some markup without its tags."""
    return " ".join(re.sub(r"<[^>]+>", "", markup).split())


def action(text: str, key: str) -> str:
    """Return what the actions panel shows of one operation."""
    after = text.split(f'data-action="{key}"', 1)[1]
    return re.split(r'data-action="|</section>', after, maxsplit=1)[0]


def offered(text: str) -> tuple[list[str], list[str]]:
    """Return the operations the actions panel offers, and those it shows disabled."""
    panel = section(text, 'id="actions"', "</section>")
    available, _, unavailable = panel.partition("Not possible now")
    find = re.compile(r'data-action="([a-z_]+)"')
    return find.findall(available), find.findall(unavailable)


def emails_of(order: Order) -> list[str]:
    return list(OutboundEmail.objects.filter(order=order).values_list("kind", flat=True))


def snapshot(order: Order) -> tuple[Any, ...]:
    """What an operation could change about an order, to show a refusal changed nothing."""
    order.refresh_from_db()
    confirmation = OrderConfirmation.objects.filter(order=order).first()
    return (
        order.status,
        order.archived,
        confirmation.updated_at if confirmation else None,
        OrderEvent.objects.filter(order=order).count(),
        sorted(order.tags.values_list("name", flat=True)),
        DeliveryNote.objects.filter(order=order).count(),
        Invoice.objects.filter(order=order).count(),
        BacklogSkuList.objects.filter(order=order).count(),
        PartnerInventorySlip.objects.filter(order=order).count(),
        OutboundEmail.objects.filter(order=order).count(),
    )


def oc_post(form: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data = {"add-TOTAL_FORMS": "3", "notify": "on", "message": "", **form}
    data.update(extra)
    return data


def quantity_fields(order: Order) -> dict[str, str]:
    return {line.sku_number: f"q{line.sku_id}" for line in order.lines.all()}


# --- The actions panel --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "available"),
    [
        ("awaiting_oc", {"create_oc", "create_partner_inventory_slip", "reject"}),
        (
            "oc_created",
            {
                "update_oc",
                "confirm_oc",
                "create_invoice",
                "create_partner_inventory_slip",
                "reject",
            },
        ),
        (
            "oc_approved",
            {"confirm_oc", "create_invoice", "create_partner_inventory_slip", "reject"},
        ),
        ("oc_rejected", {"update_oc", "create_partner_inventory_slip", "reject"}),
        (
            "oc_confirmed",
            {
                "reopen_oc",
                "create_delivery_note",
                "create_backlog_skus",
                "create_invoice",
                "create_partner_inventory_slip",
                "reject",
            },
        ),
        ("rejected", {"archive"}),
        ("returned_to_cart", {"archive"}),
    ],
)
def test_the_actions_panel_offers_what_the_status_accepts_and_disables_the_rest(
    owner_client: Client, order_in: Callable[[str], Order], status: str, available: set[str]
) -> None:
    order = order_in(status)

    shown, disabled = offered(text_of(owner_client.get(page_of(order))))

    assert set(shown) == available
    # Every operation of the brand's flow is there, one way or the other; archive only once the
    # order is over; the buyer's own answers to the OC never.
    flow = {
        "confirm_oc",
        "reopen_oc",
        "create_delivery_note",
        "create_backlog_skus",
        "create_invoice",
        "create_partner_inventory_slip",
        "reject",
    }
    assert flow <= set(shown) | set(disabled)
    assert len(shown) + len(disabled) == len(set(shown) | set(disabled))
    assert ("archive" in shown) == (status in {"rejected", "returned_to_cart"})
    assert not {"approve_oc", "reject_oc"} & (set(shown) | set(disabled))


def test_an_action_the_status_forbids_is_disabled_with_the_reason_in_plain_words(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("rejected")

    text = text_of(owner_client.get(page_of(order)))

    disabled = section(text, "Not possible now", "</section>")
    row = action(disabled, "confirm_oc")
    assert "disabled" in row and "Confirm the OC" in row
    assert "Not possible while the order's status is “Order rejected”." in row


def test_a_disabled_action_says_what_to_do_first(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_created")

    text = text_of(owner_client.get(page_of(order)))

    row = action(text, "create_delivery_note")
    assert "Not possible while the order's status is “OC created”." in row
    assert "Confirm the OC first." in row


def test_make_editable_again_is_disabled_by_every_blocker(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(order_id=order.pk, actor=owner, quantities=None)
    DeliveryNote.objects.filter(pk=note.pk)  # the note delivers everything: nothing is left
    order2 = order_in("oc_confirmed")
    documents.delivery_note_create(
        order_id=order2.pk, actor=owner, quantities={order2.lines.first().sku_number: 1}
    )
    backlog = documents.backlog_skus_create(order_id=order2.pk, actor=owner)

    text = text_of(owner_client.get(page_of(order2)))

    _shown, disabled = offered(text)
    assert "reopen_oc" in disabled
    row = action(text, "reopen_oc")
    assert "A delivery note (DN-000002) references this order. Delete it first." in row
    assert f"Backlog SKUs ({backlog.number}) were created from this order" in row
    assert "create_backlog_skus" in disabled
    assert f"Backlog SKUs {backlog.number} exist already" in text
    # Everything of the first order went out: nothing is left to deliver.
    first = text_of(owner_client.get(page_of(order)))
    assert "Every SKU of the OC has been delivered already" in action(first, "create_delivery_note")


def test_reject_is_disabled_before_the_click_by_every_document_of_the_order(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(
        order_id=order.pk, actor=owner, quantities={order.lines.first().sku_number: 1}
    )
    backlog = documents.backlog_skus_create(order_id=order.pk, actor=owner)
    invoice = documents.invoice_create(order_id=order.pk, actor=owner)

    text = text_of(owner_client.get(page_of(order)))

    _shown, disabled = offered(text)
    assert "reject" in disabled
    row = action(text, "reject")
    assert "disabled" in row
    assert f"Backlog SKUs {backlog.number} were created from this order" in row
    assert f"Delivery note {note.number} references this order. Delete it before rejecting" in row
    assert f"Invoice {invoice.number} references this order, so it can no longer be rejected" in row


def test_a_reject_posted_from_an_old_page_is_refused_with_the_blocker_and_changes_nothing(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("oc_created")
    invoice = documents.invoice_create(order_id=order.pk, actor=owner)
    before = snapshot(order)

    response = owner_client.post(url("reject", order), {"reject-confirm": "on"})

    assert response.status_code == 409
    assert f"Invoice {invoice.number} references this order" in text_of(response)
    assert snapshot(order) == before


def test_a_viewer_sees_the_order_but_no_write_controls(
    viewer_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("oc_confirmed")
    documents.delivery_note_create(order_id=order.pk, actor=owner)
    ordering.order_set_tags(order_id=order.pk, actor=owner, names=["rush"])

    response = viewer_client.get(page_of(order))

    assert response.status_code == 200
    text = text_of(response)
    assert "Your role is viewer: you can read this order, but not change it." in text
    assert "rush" in text and "DN-000001" in text and "Order Confirmation (OC)" in text
    forms = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]*)"', text)
    assert forms == [reverse("logout")]
    assert "Edit tags" not in text and ">Delete<" not in text
    assert viewer_client.get(url("confirmation", order)).status_code == 403


# --- Viewers, CSRF, PRG -------------------------------------------------------------------------


def test_every_operation_refuses_a_viewer_with_403_and_changes_nothing(
    viewer_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    before = snapshot(order)
    posts = [
        (url("confirmation", order), oc_post({})),
        (url("confirm", order), {"confirm-notify": "on"}),
        (url("reopen", order), {"reopen-notify": "on"}),
        (url("reject", order), {"reject-confirm": "on"}),
        (url("archive", order), {"archive-confirm": "on"}),
        (url("tags", order), {"tags-tags": "rush"}),
        (url("backlog-skus", order), {"backlog-confirm": "on"}),
        (url("delivery-notes", order), {}),
        (url("delivery-note-delete", order, note.pk), {f"dn{note.pk}-confirm": "on"}),
        (url("invoices", order), {"invoice-source": "oc", "invoice-confirm": "on"}),
        (url("partner-slips", order), {"slip-partner": "Lager Nord", "slip-confirm": "on"}),
    ]

    for target, data in posts:
        assert viewer_client.post(target, data).status_code == 403, target

    assert snapshot(order) == before


def test_the_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(
    owner: Any, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_created")
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    page = client.get(page_of(order)).content.decode()
    forms = re.findall(r'<form[^>]*method="post".*?</form>', page, re.S)
    assert forms and all("csrfmiddlewaretoken" in form for form in forms)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None

    assert client.post(url("confirm", order), {"confirm-notify": "on"}).status_code == 403
    order.refresh_from_db()
    assert order.status == "oc_created"
    response = client.post(
        url("confirm", order), {"confirm-notify": "on", "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "oc_confirmed"


def test_an_operation_url_opened_with_get_leads_back_to_the_order(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_created")

    response = owner_client.get(url("confirm", order))

    assert response.status_code == 302
    assert response["Location"] == page_of(order) + "#actions"


# --- The OC editor ------------------------------------------------------------------------------


def test_the_oc_editor_starts_a_new_oc_from_the_original_quantities(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("awaiting_oc")

    response = owner_client.get(url("confirmation", order))

    assert response.status_code == 200
    form = response.context["form"]
    fields = quantity_fields(order)
    assert {number: form[name].value() for number, name in fields.items()} == {
        skus[0]: 2,
        skus[1]: 2,
        skus[2]: 2,
    }
    text = text_of(response)
    assert "Create the OC" in text
    assert f'<option value="{skus[3]}">' in text  # the catalog's SKUs, to add
    assert 'role="switch"' in text and "checked" in section(text, 'name="notify"', ">")
    assert f'data-char-limit="{MAX_MESSAGE_LENGTH}"' in text


def test_the_oc_editor_starts_an_update_from_the_current_oc(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("oc_rejected")

    response = owner_client.get(url("confirmation", order))

    form = response.context["form"]
    fields = quantity_fields(order)
    assert {number: form[name].value() for number, name in fields.items()} == {
        skus[0]: 3,
        skus[1]: 2,
        skus[2]: 0,
    }
    assert form["allow_buyer_approval"].value() is True
    text = text_of(response)
    assert "The buyer rejected the OC" in text and "Two of the first, please." in text


def test_creating_the_oc_changes_adds_and_removes_lines_and_emails_the_buyer(
    owner_client: Client,
    order_in: Callable[[str], Order],
    skus: list[str],
    smtp_server: Any,
    run_worker: Any,
) -> None:
    order = order_in("awaiting_oc")
    fields = quantity_fields(order)

    response = owner_client.post(
        url("confirmation", order),
        oc_post(
            {
                fields[skus[0]]: "5",
                fields[skus[1]]: "2",
                fields[skus[2]]: "0",
                "add_0_sku": skus[3],
                "add_0_quantity": "4",
                "allow_buyer_approval": "on",
                "message": "We added the navy.",
            }
        ),
    )

    assert response["Location"] == page_of(order) + "#oc"
    text = followed(owner_client, response)
    assert "The OC was created. The buyer will get an email about it." in text
    confirmation = OrderConfirmation.objects.get(order=order)
    assert dict(confirmation.lines.values_list("sku_number", "quantity")) == {
        skus[0]: 5,
        skus[1]: 2,
        skus[3]: 4,
    }
    assert confirmation.allow_buyer_approval is True
    order.refresh_from_db()
    assert order.status == "oc_created"
    assert emails_of(order) == ["order_oc_created"]
    run_worker()  # the task that sends the email writes it
    assert OutboundEmail.objects.get(order=order).body_text.count("We added the navy.") == 1
    # The order page shows the OC beside the Original Order.
    oc = section(text, 'id="oc"', "</section>")
    assert "Order Confirmation (OC)" in oc
    assert "Removed" in section(oc, skus[2], "</tr>")
    assert "Added" in section(oc, skus[3], "</tr>")
    assert "OC total, 3 lines" in oc and "3 changed" in oc
    assert "550.00" in oc  # (5 + 2 + 4) x 50.00


def test_saving_the_oc_without_notifying_queues_no_email(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("oc_created")
    fields = quantity_fields(order)

    response = owner_client.post(
        url("confirmation", order),
        {
            "add-TOTAL_FORMS": "3",
            fields[skus[0]]: "1",
            fields[skus[1]]: "1",
            fields[skus[2]]: "1",
            "message": "Not sent.",
        },
    )

    text = followed(owner_client, response)
    assert "The OC was updated. The buyer was not emailed." in text
    assert emails_of(order) == []
    assert OrderConfirmation.objects.get(order=order).total_quantity == 3


def test_a_refused_oc_keeps_every_typed_value_and_changes_nothing(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("awaiting_oc")
    fields = quantity_fields(order)
    before = snapshot(order)

    response = owner_client.post(
        url("confirmation", order),
        oc_post(
            {
                fields[skus[0]]: "7",
                fields[skus[1]]: "8",
                fields[skus[2]]: "0",
                "add_0_sku": skus[3],
                "add_0_quantity": "4",
                "add_1_sku": "NOPE-1",
                "add_1_quantity": "2",
                "message": "Keep me.",
            }
        ),
    )

    assert response.status_code == 400
    text = text_of(response)
    assert "NOPE-1 is not a SKU of this order's catalog." in text
    form = response.context["form"]
    assert form.errors["add_1_sku"] == ["NOPE-1 is not a SKU of this order's catalog."]
    assert form[fields[skus[0]]].value() == "7" and form[fields[skus[1]]].value() == "8"
    assert form["add_0_sku"].value() == skus[3] and form["add_1_sku"].value() == "NOPE-1"
    assert ">Keep me.</textarea>" in text
    assert snapshot(order) == before


def test_a_refused_quantity_is_shown_on_its_line(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("awaiting_oc")
    fields = quantity_fields(order)

    response = owner_client.post(
        url("confirmation", order),
        oc_post({fields[skus[0]]: "-3", fields[skus[1]]: "2", fields[skus[2]]: "2"}),
    )

    assert response.status_code == 400
    errors = response.context["form"].errors[fields[skus[0]]]
    assert errors == [f"The quantity of {skus[0]} must be a whole number from 0 to 100000."]
    assert not OrderConfirmation.objects.filter(order=order).exists()


def test_a_message_over_the_limit_is_refused_and_kept(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("awaiting_oc")
    fields = quantity_fields(order)
    long = "x" * (MAX_MESSAGE_LENGTH + 5)

    response = owner_client.post(
        url("confirmation", order),
        oc_post({name: "2" for name in fields.values()}, message=long),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["message"] == [
        f"The message is {MAX_MESSAGE_LENGTH + 5} characters long; the limit is "
        f"{MAX_MESSAGE_LENGTH}."
    ]
    assert long in text_of(response)
    assert not OrderConfirmation.objects.filter(order=order).exists()
    assert emails_of(order) == []


def test_an_oc_the_status_no_longer_accepts_is_refused_with_the_typed_values(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    fields = quantity_fields(order)
    before = snapshot(order)

    response = owner_client.post(
        url("confirmation", order),
        oc_post({fields[skus[0]]: "9", fields[skus[1]]: "1", fields[skus[2]]: "1"}),
    )

    assert response.status_code == 409
    text = text_of(response)
    assert "“Update the OC” is not possible while the order's status is “OC confirmed”." in text
    assert response.context["form"][fields[skus[0]]].value() == "9"
    assert snapshot(order) == before


def test_the_oc_editor_carries_the_version_it_was_opened_on(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    fresh = owner_client.get(url("confirmation", order_in("awaiting_oc")))
    update = owner_client.get(url("confirmation", order_in("oc_created")))

    assert 'name="version" value="0"' in fresh.text
    assert 'name="version" value="1"' in update.text


def test_a_colleagues_save_meanwhile_refuses_the_oc_shows_it_and_keeps_what_was_typed(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str], owner: Any
) -> None:
    order = order_in("oc_created")  # version 1: 3 of the first, 2 of the second
    fields = quantity_fields(order)
    form = owner_client.get(url("confirmation", order)).context["form"]
    # A colleague saves first, and adds a SKU the form did not know about.
    documents.confirmation_save(
        order_id=order.pk,
        quantities={skus[0]: 6, skus[1]: 2, skus[3]: 5},
        allow_buyer_approval=True,
        actor=owner,
        notify=False,
        version=1,
    )
    before = snapshot(order)
    typed = {fields[skus[0]]: "9", fields[skus[1]]: "1", fields[skus[2]]: "0"}

    response = owner_client.post(
        url("confirmation", order),
        oc_post(typed, version=str(form["version"].value()), message="Mine."),
    )

    assert response.status_code == 409
    text = text_of(response)
    assert "The OC was saved by someone else while you were editing it" in text
    assert "In the OC now" in text
    refused = response.context["form"]
    assert refused[fields[skus[0]]].value() == "9" and refused[fields[skus[1]]].value() == "1"
    assert ">Mine.</textarea>" in text
    assert 'name="version" value="2"' in text  # saving again replaces it knowingly
    row = section(text, skus[0], "</tr>")
    assert "data-oc-now>6<" in row
    added = {row.sku_number: row for row, _field in refused.row_fields()}[skus[3]]
    assert (added.oc_quantity, refused[f"q{added.sku_id}"].value()) == (5, "5")
    assert snapshot(order) == before

    again = owner_client.post(url("confirmation", order), response.context["form"].data)

    assert again.status_code == 302
    confirmation = OrderConfirmation.objects.get(order=order)
    assert confirmation.version == 3
    assert dict(confirmation.lines.values_list("sku_number", "quantity")) == {
        skus[0]: 9,
        skus[1]: 1,
        skus[3]: 5,
    }


def test_the_oc_editor_of_a_confirmed_order_leads_back_with_the_reason(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_confirmed")

    response = owner_client.get(url("confirmation", order))

    text = followed(owner_client, response)
    assert "Update the OC: Not possible while the order's status is “OC confirmed”." in text


def test_adding_a_sku_already_in_the_oc_points_at_its_row(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("awaiting_oc")
    fields = quantity_fields(order)

    response = owner_client.post(
        url("confirmation", order),
        oc_post({name: "2" for name in fields.values()}, add_0_sku=skus[1], add_0_quantity="1"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["add_0_sku"] == [
        f"{skus[1]} is in the OC already: change its quantity in its row."
    ]
    assert not OrderConfirmation.objects.filter(order=order).exists()


def test_the_order_page_shows_the_buyers_note_on_a_rejected_oc(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_rejected")

    oc = section(text_of(owner_client.get(page_of(order))), 'id="oc"', "</section>")

    assert "The buyer rejected this OC" in oc and "Two of the first, please." in oc


# --- Confirm, make editable again, reject -------------------------------------------------------


def test_confirming_the_oc_emails_the_buyer_with_the_message(
    owner_client: Client, order_in: Callable[[str], Order], smtp_server: Any, run_worker: Any
) -> None:
    order = order_in("oc_approved")

    response = owner_client.post(
        url("confirm", order), {"confirm-notify": "on", "confirm-message": "Ships in May."}
    )

    text = followed(owner_client, response)
    assert "The OC was confirmed. The buyer will get an email about it." in text
    order.refresh_from_db()
    assert order.status == "oc_confirmed"
    assert emails_of(order) == ["order_oc_confirmed"]
    run_worker()  # the task that sends the email writes it
    assert "Ships in May." in OutboundEmail.objects.get(order=order).body_text


def test_confirming_without_notifying_queues_no_email(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_created")

    response = owner_client.post(url("confirm", order), {"confirm-message": "Not sent."})

    assert "The buyer was not emailed." in followed(owner_client, response)
    order.refresh_from_db()
    assert order.status == "oc_confirmed"
    assert emails_of(order) == []


def test_a_refused_confirmation_shows_why_keeps_the_message_and_changes_nothing(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("awaiting_oc")
    before = snapshot(order)

    response = owner_client.post(
        url("confirm", order), {"confirm-notify": "on", "confirm-message": "Typed with care."}
    )

    assert response.status_code == 409
    text = text_of(response)
    assert (
        "“Confirm the OC” is not possible while the order's status is “Please create an OC”."
        in text
    )
    # Shown unfolded, with what was typed.
    row = action(text, "confirm_oc")
    assert "<details" in row and " open>" in row
    assert ">Typed with care.</textarea>" in row
    assert snapshot(order) == before


def test_making_the_oc_editable_again_moves_it_back_to_oc_created(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_confirmed")

    response = owner_client.post(url("reopen", order), {"reopen-notify": "on"})

    assert "The OC is editable again." in followed(owner_client, response)
    order.refresh_from_db()
    assert order.status == "oc_created"
    assert emails_of(order) == ["order_oc_reopened"]


def test_a_refused_reopen_lists_every_blocker_and_changes_nothing(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any, skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    documents.delivery_note_create(order_id=order.pk, actor=owner, quantities={skus[0]: 1})
    backlog = documents.backlog_skus_create(order_id=order.pk, actor=owner)
    before = snapshot(order)

    response = owner_client.post(
        url("reopen", order), {"reopen-notify": "on", "reopen-message": "Hold on."}
    )

    assert response.status_code == 409
    row = action(text_of(response), "reopen_oc")
    assert "A delivery note (DN-000001) references this order. Delete it first." in row
    assert f"Backlog SKUs ({backlog.number}) were created from this order" in row
    assert ">Hold on.</textarea>" in row
    assert snapshot(order) == before


def test_rejecting_asks_for_a_plain_confirmation_first(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_created")
    before = snapshot(order)

    page = text_of(owner_client.get(page_of(order)))
    row = action(page, "reject")
    assert "This cannot be undone." in row
    assert "I understand that this cannot be undone." in row

    response = owner_client.post(
        url("reject", order), {"reject-notify": "on", "reject-message": "Sold out."}
    )

    assert response.status_code == 400
    row = action(text_of(response), "reject")
    assert "Tick the box to confirm: this cannot be undone." in row
    assert ">Sold out.</textarea>" in row
    assert snapshot(order) == before


def test_rejecting_the_order_ends_it_and_emails_the_buyer(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("awaiting_oc")

    response = owner_client.post(
        url("reject", order),
        {"reject-notify": "on", "reject-message": "Sold out.", "reject-confirm": "on"},
    )

    text = followed(owner_client, response)
    assert "The order was rejected. The buyer will get an email about it." in text
    order.refresh_from_db()
    assert order.status == "rejected"
    assert emails_of(order) == ["order_rejected"]
    shown, _disabled = offered(text)
    assert shown == ["archive"]
    assert "Not possible while the order's status is “Order rejected”." in action(text, "reject")


def test_rejecting_without_notifying_queues_no_email(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_confirmed")

    response = owner_client.post(url("reject", order), {"reject-confirm": "on"})

    assert "The buyer was not emailed." in followed(owner_client, response)
    assert emails_of(order) == []


# --- Documents ----------------------------------------------------------------------------------


def test_a_delivery_note_delivers_what_is_left_in_full_or_in_part(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    sku_ids = {line.sku_number: line.sku_id for line in order.lines.all()}

    first = owner_client.post(
        url("delivery-notes", order),
        {f"delivery-q{sku_ids[skus[0]]}": "1", f"delivery-q{sku_ids[skus[1]]}": "0"},
    )
    text = followed(owner_client, first)
    assert "Delivery note DN-000001 was created." in text
    assert dict(
        DeliveryNote.objects.get(number="DN-000001").lines.values_list("sku_number", "quantity")
    ) == {skus[0]: 1}
    # The form now starts from what is left: 2 of the first, 2 of the second.
    deliver = action(text, "create_delivery_note")
    assert f'name="delivery-q{sku_ids[skus[0]]}" value="2"' in deliver

    second = owner_client.post(
        url("delivery-notes", order),
        {f"delivery-q{sku_ids[skus[0]]}": "2", f"delivery-q{sku_ids[skus[1]]}": "2"},
    )
    text = followed(owner_client, second)
    documents_panel = section(text, 'id="documents"', "</section>")
    assert "DN-000002" in documents_panel and "2 lines, 4 pieces, 200.00 EUR" in documents_panel
    assert "Every SKU of the OC has been delivered already" in action(text, "create_delivery_note")


def test_a_delivery_quantity_above_what_is_left_is_refused_on_its_line(
    owner_client: Client, order_in: Callable[[str], Order], skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    sku_ids = {line.sku_number: line.sku_id for line in order.lines.all()}
    before = snapshot(order)

    response = owner_client.post(
        url("delivery-notes", order),
        {f"delivery-q{sku_ids[skus[0]]}": "9", f"delivery-q{sku_ids[skus[1]]}": "1"},
    )

    assert response.status_code == 400
    row = action(text_of(response), "create_delivery_note")
    assert f"{skus[0]}: deliver from 0 to the 3 still undelivered." in row
    assert f'name="delivery-q{sku_ids[skus[0]]}" value="9"' in row
    assert snapshot(order) == before


def test_a_delivery_note_of_nothing_is_refused(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_confirmed")
    fields = {f"delivery-q{line.sku_id}": "0" for line in order.lines.all()}

    response = owner_client.post(url("delivery-notes", order), fields)

    assert response.status_code == 400
    assert "Enter a quantity for at least one SKU to deliver." in text_of(response)
    assert not DeliveryNote.objects.filter(order=order).exists()


def test_deleting_a_delivery_note_asks_first_then_deletes_it(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    before = snapshot(order)

    unconfirmed = owner_client.post(url("delivery-note-delete", order, note.pk), {})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm: this cannot be undone." in text_of(unconfirmed)
    assert snapshot(order) == before

    response = owner_client.post(
        url("delivery-note-delete", order, note.pk), {f"dn{note.pk}-confirm": "on"}
    )

    assert response["Location"] == page_of(order) + "#documents"
    assert "Delivery note DN-000001 was deleted." in followed(owner_client, response)
    assert not DeliveryNote.objects.filter(pk=note.pk).exists()


def test_an_invoiced_delivery_note_offers_no_delete_and_a_stale_delete_is_refused(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("oc_confirmed")
    note = documents.delivery_note_create(order_id=order.pk, actor=owner)
    documents.invoice_create(order_id=order.pk, actor=owner, delivery_note_ids=[note.pk])
    before = snapshot(order)

    page = section(text_of(owner_client.get(page_of(order))), 'id="documents"', "</section>")
    assert "Invoiced in INV-000001" in words(page) and ">Delete<" not in page

    response = owner_client.post(
        url("delivery-note-delete", order, note.pk), {f"dn{note.pk}-confirm": "on"}
    )

    assert response.status_code == 409
    assert "The invoice INV-000001 references this delivery note, so it cannot be deleted." in (
        text_of(response)
    )
    assert snapshot(order) == before


def test_an_invoice_is_made_from_the_oc_or_from_ticked_delivery_notes(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any, skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    first = documents.delivery_note_create(order_id=order.pk, actor=owner, quantities={skus[0]: 1})
    documents.delivery_note_create(order_id=order.pk, actor=owner, quantities={skus[1]: 2})

    response = owner_client.post(
        url("invoices", order),
        {
            "invoice-source": "delivery_notes",
            "invoice-delivery_notes": [str(first.pk)],
            "invoice-confirm": "on",
        },
    )
    text = followed(owner_client, response)
    assert "Invoice INV-000001 was created." in text
    invoice = Invoice.objects.get(number="INV-000001")
    assert list(invoice.delivery_notes.values_list("number", flat=True)) == ["DN-000001"]
    assert "From DN-000001" in words(section(text, 'id="documents"', "</section>"))

    whole = owner_client.post(
        url("invoices", order), {"invoice-source": "oc", "invoice-confirm": "on"}
    )
    text = followed(owner_client, whole)
    assert "Invoice INV-000002 was created." in text
    assert Invoice.objects.get(number="INV-000002").total_amount == 250  # 5 x 50.00
    assert "From the OC" in section(text, 'id="documents"', "</section>")


def test_an_invoice_of_delivery_notes_needs_one_ticked(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("oc_confirmed")
    documents.delivery_note_create(order_id=order.pk, actor=owner)
    before = snapshot(order)

    response = owner_client.post(
        url("invoices", order), {"invoice-source": "delivery_notes", "invoice-confirm": "on"}
    )

    assert response.status_code == 400
    assert "Tick the delivery notes to invoice." in text_of(response)
    assert snapshot(order) == before


def test_backlog_skus_list_what_is_undelivered_once(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any, skus: list[str]
) -> None:
    order = order_in("oc_confirmed")
    documents.delivery_note_create(order_id=order.pk, actor=owner, quantities={skus[0]: 3})

    response = owner_client.post(url("backlog-skus", order), {"backlog-confirm": "on"})

    text = followed(owner_client, response)
    assert "Backlog SKUs BL-000001 were created." in text
    backlog = BacklogSkuList.objects.get(order=order)
    assert dict(backlog.lines.values_list("sku_number", "quantity")) == {skus[1]: 2}
    before = snapshot(order)
    again = owner_client.post(url("backlog-skus", order), {"backlog-confirm": "on"})
    assert again.status_code == 409
    assert "“Create backlog SKUs” is not possible" in text_of(again)
    assert snapshot(order) == before


def test_a_partner_inventory_slip_names_its_partner(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("awaiting_oc")
    before = snapshot(order)

    nameless = owner_client.post(
        url("partner-slips", order), {"slip-partner": "  ", "slip-confirm": "on"}
    )
    assert nameless.status_code == 400
    assert "Name the partner whose inventory this is (up to 200 characters)." in text_of(nameless)
    assert snapshot(order) == before

    response = owner_client.post(
        url("partner-slips", order), {"slip-partner": "Lager Nord", "slip-confirm": "on"}
    )

    text = followed(owner_client, response)
    assert "Partner-inventory transfer slip PIS-000001 was created." in text
    assert "Partner: Lager Nord" in section(text, 'id="documents"', "</section>")


# --- Tags and archive ---------------------------------------------------------------------------


def test_tags_are_saved_shown_as_chips_and_filter_order_management(
    owner_client: Client, order_in: Callable[[str], Order], brand: Any
) -> None:
    order = order_in("awaiting_oc")
    other = order_in("awaiting_oc")

    response = owner_client.post(url("tags", order), {"tags-tags": "rush,  VIP , rush"})

    assert response["Location"] == page_of(order) + "#tags"
    text = followed(owner_client, response)
    assert "Tags saved: VIP, rush." in text
    chips = section(text, 'id="tags"', "</ul>")
    assert ">VIP</a>" in chips and ">rush</a>" in chips
    assert sorted(order.tags.values_list("name", flat=True)) == ["VIP", "rush"]

    listing = owner_client.get(reverse("brand-orders", args=[brand.slug]), {"tag": "rush"})
    assert [o.code for o in listing.context["page"].items] == [order.code]
    assert other.code not in [o.code for o in listing.context["page"].items]
    assert '<option value="rush" selected>rush</option>' in text_of(listing)
    row = section(text_of(listing), order.code + "</a>", "</tr>")
    assert ">VIP</a>" in row and ">rush</a>" in row


def test_clearing_the_tags_removes_them(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any
) -> None:
    order = order_in("rejected")
    ordering.order_set_tags(order_id=order.pk, actor=owner, names=["rush"])

    response = owner_client.post(url("tags", order), {"tags-tags": ""})

    assert "The order has no tags now." in followed(owner_client, response)
    assert not order.tags.exists()


def test_refused_tags_keep_what_was_typed(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    order = order_in("oc_created")
    typed = "ok, " + "x" * 41
    before = snapshot(order)

    response = owner_client.post(url("tags", order), {"tags-tags": typed})

    assert response.status_code == 400
    tags = section(text_of(response), 'id="tags"', "</details>")
    assert "Use at most 20 tags of at most 40 characters each." in tags
    assert f'value="{typed}"' in tags and " open>" in tags
    assert snapshot(order) == before


def test_archive_is_offered_only_on_an_order_that_is_over(
    owner_client: Client, order_in: Callable[[str], Order]
) -> None:
    live = order_in("oc_confirmed")
    before = snapshot(live)

    shown, disabled = offered(text_of(owner_client.get(page_of(live))))
    assert "archive" not in shown + disabled

    response = owner_client.post(url("archive", live), {"archive-confirm": "on"})
    assert response.status_code == 409
    assert "“Archive” is not possible while the order's status is “OC confirmed”." in text_of(
        response
    )
    assert snapshot(live) == before


def test_archiving_a_returned_order_badges_it_and_moves_it_to_the_archived_filter(
    owner_client: Client, order_in: Callable[[str], Order], brand: Any
) -> None:
    order = order_in("returned_to_cart")

    unconfirmed = owner_client.post(url("archive", order), {})
    assert unconfirmed.status_code == 400
    order.refresh_from_db()
    assert order.archived is False

    response = owner_client.post(url("archive", order), {"archive-confirm": "on"})

    text = followed(owner_client, response)
    assert "The order was archived." in text
    assert '<span class="badge badge--neutral">Archived</span>' in section(text, "<h1>", "</h1>")
    assert "The order is archived." in action(text, "archive")
    orders = reverse("brand-orders", args=[brand.slug])
    assert order.code not in [o.code for o in owner_client.get(orders).context["page"].items]
    archived = owner_client.get(orders, {"archived": "yes"})
    assert [o.code for o in archived.context["page"].items] == [order.code]
    assert "Archived" in section(text_of(archived), order.code + "</a>", "</tr>")


# --- Cost ---------------------------------------------------------------------------------------


def test_the_order_page_costs_the_same_queries_with_one_document_and_tag_or_many(
    owner_client: Client,
    order_in: Callable[[str], Order],
    owner: Any,
    skus: list[str],
) -> None:
    def documented(count: int) -> Order:
        order = order_in("oc_confirmed")
        ordering.order_set_tags(
            order_id=order.pk, actor=owner, names=[f"tag {n}" for n in range(count)]
        )
        for _ in range(count):
            note = documents.delivery_note_create(
                order_id=order.pk, actor=owner, quantities={skus[0]: 1}
            )
            documents.invoice_create(order_id=order.pk, actor=owner, delivery_note_ids=[note.pk])
            documents.partner_inventory_slip_create(order_id=order.pk, actor=owner, partner="P")
        documents.backlog_skus_create(order_id=order.pk, actor=owner)
        return order

    def queries(order: Order) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = owner_client.get(page_of(order))
        assert response.status_code == 200
        return len(captured)

    one, many = documented(1), documented(3)

    assert DeliveryNote.objects.filter(order=many).count() == 3
    assert queries(one) == queries(many)


def test_order_management_costs_the_same_queries_with_one_tagged_order_or_many(
    owner_client: Client, order_in: Callable[[str], Order], owner: Any, brand: Any
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = owner_client.get(reverse("brand-orders", args=[brand.slug]))
        assert response.status_code == 200
        return len(captured)

    first = order_in("awaiting_oc")
    ordering.order_set_tags(order_id=first.pk, actor=owner, names=["rush"])
    one = queries()
    for n in range(4):
        order = order_in("awaiting_oc")
        ordering.order_set_tags(order_id=order.pk, actor=owner, names=["rush", f"lot {n}", "VIP"])

    assert queries() == one
    assert Tag.objects.filter(brand=brand).count() == 6
