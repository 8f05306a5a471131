from __future__ import annotations

from linesheet.brand_app.timeline import TimelineDetail, event_details


def texts(type: str, **details: object) -> list[str]:
    return [detail.text for detail in event_details(type, dict(details))]


def test_a_placed_order_says_its_route_and_how_many_lines() -> None:
    assert texts("placed", route="proxy", lines=1, replaces=None) == ["Route: Proxy order. 1 line."]
    assert texts("placed", route="buyer_app", lines=12) == ["Route: Buyer App. 12 lines."]


def test_a_status_change_names_both_statuses_as_the_brand_app_does() -> None:
    assert texts("oc_created", previous="awaiting_oc", status="oc_created") == [
        "Status: from “Please create an OC” to “OC created”."
    ]


def test_the_notification_choice_and_message_are_told_plainly() -> None:
    assert texts("rejected", notify=True, message="Out of stock.") == [
        "The buyer gets an email about it.",
        "Message: “Out of stock.”",
    ]
    assert texts("rejected", notify=False, message="") == ["No email to the buyer."]


def test_orders_named_in_the_details_become_links() -> None:
    assert event_details("placed", {"replaces": "A-1"}) == [
        TimelineDetail("It replaces the returned order", order_code="A-1")
    ]
    assert event_details("replaced", {"replaced_by": "A-2"}) == [
        TimelineDetail("The buyer ordered it again as", order_code="A-2")
    ]


def test_an_order_placed_again_names_who_returned_it_and_is_told_by_email() -> None:
    assert texts(
        "replaced", replaced_by="A-2", notify_member_id=3, notify_member="olivia@atelier.test"
    ) == [
        "The buyer ordered it again as",
        "olivia@atelier.test, who returned it, gets an email about it.",
    ]


def test_tags_show_what_they_were_and_what_they_became() -> None:
    assert texts("tags_changed", before=["rush"], after=[]) == ["Tags: rush → none"]


def test_unknown_details_are_listed_and_row_ids_left_out() -> None:
    assert texts("something_new", cart_id=7, reason="late", urgent=True, empty="") == [
        "Reason: late",
        "Urgent: yes",
    ]
