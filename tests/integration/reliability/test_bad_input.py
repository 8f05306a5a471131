"""Bad input to the API's writes: a clear 4xx problem with a code, and nothing changed.

Oversized and control-character messages on return and reject, huge, negative and fractional
quantities, unknown fields, wrong types, malformed JSON and the wrong content type. Every
domain table is compared before and after each refused request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from linesheet.accounts.tokens import api_token_issue
from linesheet.documents.models import OrderConfirmation, OrderConfirmationLine
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.models import Cart, CartLine, Order, OrderEvent, OrderLine
from tests import factories

pytestmark = pytest.mark.django_db

DOMAIN_MODELS = [
    Cart,
    CartLine,
    Order,
    OrderLine,
    OrderEvent,
    OrderConfirmation,
    OrderConfirmationLine,
    OutboundEmail,
    DBTaskResult,
]


def domain_state() -> dict[str, list[dict[str, Any]]]:
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in DOMAIN_MODELS
    }


class Api:
    """Send raw bodies with any content type, authenticated with a Bearer token."""

    def __init__(self, user: Any) -> None:
        _token, secret = api_token_issue(user=user)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: str | bytes | None = None,
        content_type: str = "application/json",
    ) -> Any:
        data = raw if raw is not None else json.dumps(body)
        return getattr(self.client, method)(path, data=data, content_type=content_type)


@pytest.fixture
def world(brand: Any, owner: Any) -> dict[str, Any]:
    shop_user = factories.make_user()
    buyer = factories.make_connected_buyer(
        brand=brand, members=[shop_user], recipients=["orders@shop.test"]
    )
    catalog = factories.make_catalog(brand=brand, skus=3)
    order = factories.make_order(buyer=buyer, catalog=catalog)
    other_catalog = factories.make_catalog(brand=brand, skus=2)
    cart = factories.make_cart(buyer=buyer, catalog=other_catalog)
    return {
        "owner": Api(owner),
        "buyer": Api(shop_user),
        "order": order,
        "cart": cart,
        "sku": factories.sku_numbers(other_catalog)[0],
        "organization": buyer.organization,
    }


@pytest.fixture
def refused(world: dict[str, Any]) -> Callable[..., dict[str, Any]]:
    """Send the request as `who`; check it is refused with `status` and changed nothing."""

    def send(
        who: str, method: str, path: str, body: Any = None, *, status: int, **kwargs: Any
    ) -> dict[str, Any]:
        before = domain_state()
        response = world[who].send(method, path, body, **kwargs)
        assert response.status_code == status, response.content[:500]
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status and problem["code"]
        assert domain_state() == before
        return dict(problem)

    return send


def order_url(world: dict[str, Any], action: str) -> str:
    return f"/api/v1/brands/atelier/orders/{world['order'].code}/{action}"


def lines_url(world: dict[str, Any]) -> str:
    return f"/api/v1/buyer-orgs/{world['organization'].pk}/carts/{world['cart'].pk}/lines"


def field_codes(problem: dict[str, Any], field: str) -> list[str]:
    """Return the codes of a field's errors, keyed `a.0.b` (services) or nested (serializers)."""
    errors = problem["errors"]
    if field in errors:
        return [error["code"] for error in errors[field]]
    for part in field.split("."):
        errors = errors[part]
    return [error["code"] for error in errors]


# --- Messages on return and reject ------------------------------------------------------------


@pytest.mark.parametrize("action", ["return-to-cart", "reject"])
def test_a_message_over_2000_characters_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], action: str
) -> None:
    problem = refused(
        "owner",
        "post",
        order_url(world, action),
        {"notify_buyer": True, "message": "x" * 2001},
        status=400,
    )

    assert problem["code"] == "invalid"
    assert field_codes(problem, "message") in (["max_length"], ["too_long"])


@pytest.mark.parametrize("action", ["return-to-cart", "reject"])
def test_a_message_of_a_megabyte_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], action: str
) -> None:
    problem = refused(
        "owner",
        "post",
        order_url(world, action),
        {"notify_buyer": True, "message": "x" * 1_000_000},
        status=400,
    )

    assert problem["code"] == "invalid"


@pytest.mark.parametrize("action", ["return-to-cart", "reject"])
@pytest.mark.parametrize(
    "message",
    [
        "Please fix\x1b[2J\x1b[31m the sizes",  # terminal escape sequences
        "Ring the bell\x07",
        "Back\x08space",
        "C1 control \x85 next line",
        "Delete \x7f",
    ],
)
def test_a_message_with_control_characters_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], action: str, message: str
) -> None:
    problem = refused(
        "owner",
        "post",
        order_url(world, action),
        {"notify_buyer": True, "message": message},
        status=400,
    )

    assert field_codes(problem, "message") == ["control_characters"]


@pytest.mark.parametrize("action", ["return-to-cart", "reject"])
def test_a_message_with_a_null_character_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], action: str
) -> None:
    problem = refused(
        "owner",
        "post",
        order_url(world, action),
        {"notify_buyer": True, "message": "nul\x00"},
        status=400,
    )

    assert field_codes(problem, "message") in (["null_characters_not_allowed"],)


def test_line_breaks_and_tabs_in_a_message_are_kept(world: dict[str, Any]) -> None:
    message = "Dear shop,\n\tplease split the order.\r\nThanks"

    response = world["owner"].send(
        "post", order_url(world, "return-to-cart"), {"notify_buyer": True, "message": message}
    )

    assert response.status_code == 200, response.content
    assert OrderEvent.objects.get(type="returned_to_cart").details["message"] == message


# --- Quantities -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quantity",
    [0, -1, -(10**12), 100_001, 10**12, 10**40, 1.5, 3.0, "3", "many", True, None, []],
)
def test_a_cart_line_quantity_that_is_not_a_whole_number_from_1_to_100000_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], quantity: Any
) -> None:
    problem = refused(
        "buyer",
        "put",
        lines_url(world),
        {"lines": [{"sku_number": world["sku"], "quantity": quantity}]},
        status=400,
    )

    assert problem["code"] == "invalid"
    assert field_codes(problem, "lines.0.quantity")


@pytest.mark.parametrize("quantity", [-1, 100_001, 10**40, 2.5])
def test_an_oc_quantity_out_of_range_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], quantity: Any
) -> None:
    number = world["order"].lines.first().sku_number

    problem = refused(
        "owner",
        "post",
        order_url(world, "confirmation"),
        {"lines": [{"sku_number": number, "quantity": quantity}]},
        status=400,
    )

    assert problem["code"] == "invalid"


# --- Shape of the body ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "field"),
    [
        ("owner", "post", "return-to-cart", {"notify_buyer": True, "mesage": "typo"}, "mesage"),
        ("owner", "post", "reject", {"notify": True}, "notify"),
        ("buyer", "put", "lines", {"lines": [], "replace": False}, "replace"),
    ],
)
def test_an_unknown_field_is_refused_by_name(
    world: dict[str, Any],
    refused: Callable[..., dict[str, Any]],
    who: str,
    method: str,
    path: str,
    body: Any,
    field: str,
) -> None:
    url = lines_url(world) if path == "lines" else order_url(world, path)

    problem = refused(who, method, url, body, status=400)

    assert field_codes(problem, field) == ["unknown_field"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"notify_buyer": "maybe"}, "notify_buyer"),
        ({"notify_buyer": [True]}, "notify_buyer"),
        ({"message": {"text": "hi"}}, "message"),
        ({"message": ["hi"]}, "message"),
        # JSON says what it means: no guessing that "true" or 1 is a flag, or 123 a message.
        ({"notify_buyer": "true"}, "notify_buyer"),
        ({"notify_buyer": 1}, "notify_buyer"),
        ({"message": 123}, "message"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], body: Any, field: str
) -> None:
    problem = refused("owner", "post", order_url(world, "return-to-cart"), body, status=400)

    assert field in problem["errors"]


@pytest.mark.parametrize(
    "body", [[], "just a string", 42, None, {"lines": {"sku_number": "x"}}, {"lines": "all"}]
)
def test_a_body_of_the_wrong_shape_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], body: Any
) -> None:
    problem = refused("buyer", "put", lines_url(world), body, status=400)

    assert problem["code"] == "invalid"


@pytest.mark.parametrize(
    "raw", ['{"notify_buyer": tru', "{'message': 'single quotes'}", "\xff\xfe", "{" * 10_000]
)
def test_malformed_json_is_refused_as_a_parse_error(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], raw: str
) -> None:
    problem = refused("owner", "post", order_url(world, "return-to-cart"), raw=raw, status=400)

    assert problem["code"] == "parse_error"


@pytest.mark.parametrize(
    ("content_type", "raw"),
    [
        ("text/plain", "notify_buyer=true"),
        ("application/x-www-form-urlencoded", "notify_buyer=true&message=hi"),
        ("application/xml", "<return><notify>true</notify></return>"),
    ],
)
def test_a_body_that_is_not_json_is_refused_as_unsupported(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], content_type: str, raw: str
) -> None:
    problem = refused(
        "owner",
        "post",
        order_url(world, "return-to-cart"),
        raw=raw,
        content_type=content_type,
        status=415,
    )

    assert problem["code"] == "unsupported_media_type"


def test_a_body_over_the_upload_limit_is_refused_as_a_problem(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    problem = refused(
        "owner",
        "post",
        order_url(world, "return-to-cart"),
        {"notify_buyer": True, "message": "x" * 20_000},
        status=413,
    )

    assert problem["code"] == "request_too_large"


def test_a_cart_address_that_is_not_text_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]]
) -> None:
    url = f"/api/v1/buyer-orgs/{world['organization'].pk}/carts/{world['cart'].pk}"

    problem = refused("buyer", "patch", url, {"billing_address": -12412}, status=400)

    assert field_codes(problem, "billing_address") == ["invalid"]


@pytest.mark.parametrize("tags", [[2033], ["ss27", 12], [True], [["nested"]], [{"name": "x"}]])
def test_a_tag_that_is_not_text_is_refused(
    world: dict[str, Any], refused: Callable[..., dict[str, Any]], tags: list[Any]
) -> None:
    # A list's items are held to their JSON type like any field: 2033 is not the tag "2033".
    problem = refused("owner", "put", order_url(world, "tags"), {"tags": tags}, status=400)

    assert field_codes(problem, "tags") == ["invalid"]
